import type { Bucket, BucketStore, PublicAccessBlock } from '../buckets.js';
import { alreadyExists, deleteConflict, notFound } from '../errors.js';
import { requireAccount } from './accounts.js';
import type { SqliteDatabase } from './database.js';
import { mapConflict, optional } from './rows.js';

interface BucketRow {
  name: string;
  account_id: string;
  region: string;
  created_at: number;
  policy: string | null;
  public_access_block: string | null;
}

/** `BucketStore` on SQLite. */
export function sqliteBuckets(db: SqliteDatabase): BucketStore {
  const find = (name: string) =>
    db.statement('SELECT * FROM buckets WHERE name = ?').get(name) as BucketRow | undefined;
  const existing = (name: string): BucketRow => {
    const row = find(name);
    if (row === undefined) throw notFound('bucket', name);
    return row;
  };

  return {
    create: (bucket) =>
      db.write(() => {
        requireAccount(db, bucket.accountId);
        if (find(bucket.name) !== undefined) throw alreadyExists('bucket', bucket.name);
        mapConflict('bucket', bucket.name, 'the bucket namespace', () =>
          db
            .statement('INSERT INTO buckets (name, account_id, region, created_at) VALUES (?, ?, ?, ?)')
            .run(bucket.name, bucket.accountId, bucket.region, bucket.createdAt),
        );
        return toBucket(existing(bucket.name));
      }),

    // Cached (database.ts `cachedRead`): every S3 request reads its bucket (owner, policy, public access).
    get: (name) =>
      db.cachedRead(`bucket\u0000${name}`, () => {
        const row = find(name);
        return row === undefined ? undefined : toBucket(row);
      }),

    listByAccount: (accountId) =>
      db.read(() =>
        (
          db
            .statement('SELECT * FROM buckets WHERE account_id = ? ORDER BY name')
            .all(accountId) as BucketRow[]
        ).map(toBucket),
      ),

    setPolicy: (name, policy) =>
      db.write(() => {
        existing(name);
        db.statement('UPDATE buckets SET policy = ? WHERE name = ?').run(policy ?? null, name);
        return toBucket(existing(name));
      }),

    setPublicAccessBlock: (name, settings) =>
      db.write(() => {
        existing(name);
        const text = settings === undefined ? null : JSON.stringify(pabOf(settings));
        db.statement('UPDATE buckets SET public_access_block = ? WHERE name = ?').run(text, name);
        return toBucket(existing(name));
      }),

    delete: (name) =>
      db.write(() => {
        existing(name);
        if (db.statement('SELECT 1 FROM objects WHERE bucket = ? LIMIT 1').get(name) !== undefined) {
          throw deleteConflict('bucket', name, 'objects');
        }
        // ⚠ In-progress multipart uploads hold the bucket too (fail closed: S3's documented rule names objects).
        if (db.statement('SELECT 1 FROM uploads WHERE bucket = ? LIMIT 1').get(name) !== undefined) {
          throw deleteConflict('bucket', name, 'objects');
        }
        db.statement('DELETE FROM buckets WHERE name = ?').run(name);
      }),
  };
}

/** Exactly the four flags, whatever else the caller's object holds. */
function pabOf(s: PublicAccessBlock): PublicAccessBlock {
  return {
    blockPublicAcls: s.blockPublicAcls,
    ignorePublicAcls: s.ignorePublicAcls,
    blockPublicPolicy: s.blockPublicPolicy,
    restrictPublicBuckets: s.restrictPublicBuckets,
  };
}

function toBucket(row: BucketRow): Bucket {
  return {
    name: row.name,
    accountId: row.account_id,
    region: row.region,
    createdAt: row.created_at,
    ...optional('policy', row.policy),
    ...(row.public_access_block === null
      ? {}
      : { publicAccessBlock: JSON.parse(row.public_access_block) as PublicAccessBlock }),
  };
}
