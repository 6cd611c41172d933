import { notFound } from '../errors.js';
import { type ObjectListRequest, type ObjectStore, type S3Object } from '../objects.js';
import type { SqliteDatabase } from './database.js';
import { optional, wherePrefix } from './rows.js';

/**
 * An object's row as better-sqlite3 returns it raw (an array in `OBJECT_COLUMNS` order): no keyed object
 * per row only to be copied into an `S3Object` (a keyed row of 16 columns cost 2 of the 3 µs of a lookup).
 */
type ObjectRow = [
  bucket: string,
  objectKey: string,
  size: number,
  etag: string,
  contentType: string | null,
  contentEncoding: string | null,
  contentDisposition: string | null,
  contentLanguage: string | null,
  cacheControl: string | null,
  expires: string | null,
  metadata: string,
  checksums: string,
  lastModified: number,
  blobId: string,
  tags: string | null,
  /** 1 when object_bytes holds the bytes under `blobId`, else 0 (migration 6). */
  inlineBytes: number,
];

/** The position of `blobId` in an `ObjectRow`. */
const BLOB_ID = 13;

/** Whether object_bytes holds the row's bytes. */
function isInlineRow(row: ObjectRow): boolean {
  return row[15] === 1;
}

/** The columns of `ObjectRow`, in its order. */
const OBJECT_COLUMNS = `bucket, object_key, size, etag, content_type, content_encoding, content_disposition,
  content_language, cache_control, expires, metadata, checksums, last_modified, blob_id, tags, inline_bytes`;

/** The columns `listSummaries` reads. */
const SUMMARY_COLUMNS = 'object_key, size, etag, last_modified';
type SummaryRow = [key: string, size: number, etag: string, lastModified: number];

/** `ObjectStore` on SQLite; every list is a range scan of the (bucket, object_key) primary key. */
export function sqliteObjects(db: SqliteDatabase): ObjectStore {
  const find = (bucket: string, key: string) =>
    db
      .statement(`SELECT ${OBJECT_COLUMNS} FROM objects WHERE bucket = ? AND object_key = ?`)
      .raw(true)
      .get(bucket, key) as ObjectRow | undefined;

  /** The rows of one listing request (a range scan of the primary key), with `columns`. */
  const range = (columns: string, bucket: string, request: ObjectListRequest): unknown[] => {
    if (!Number.isSafeInteger(request.limit) || request.limit < 1) {
      throw new TypeError(`limit must be a positive integer, got ${String(request.limit)}`);
    }
    const where = ['bucket = ?'];
    const args: (string | number)[] = [bucket];
    wherePrefix('object_key', request.prefix ?? '', where, args);
    if (request.after !== undefined) {
      where.push('object_key > ?');
      args.push(request.after);
    }
    if (request.from !== undefined) {
      where.push('object_key >= ?');
      args.push(request.from);
    }
    args.push(request.limit);
    return db
      .statement(`SELECT ${columns} FROM objects WHERE ${where.join(' AND ')} ORDER BY object_key LIMIT ?`)
      .raw(true)
      .all(...args);
  };

  const deleteBytes = (blobId: string) =>
    db.statement('DELETE FROM object_bytes WHERE blob_id = ?').run(blobId);

  /**
   * Creates or replaces the object's row; `inline` when its bytes go into object_bytes in the same
   * transaction. INVARIANT: inline_bytes = 1 exactly when object_bytes holds blob_id (every write of one
   * writes the other, in one transaction).
   */
  const upsert = (object: S3Object, inline: boolean) =>
    db
      .statement(
        `INSERT INTO objects (bucket, object_key, size, etag, content_type, content_encoding,
  content_disposition, content_language, cache_control, expires, metadata, checksums, last_modified, blob_id,
  tags, inline_bytes)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
ON CONFLICT (bucket, object_key) DO UPDATE SET size = excluded.size, etag = excluded.etag,
  content_type = excluded.content_type, content_encoding = excluded.content_encoding,
  content_disposition = excluded.content_disposition, content_language = excluded.content_language,
  cache_control = excluded.cache_control, expires = excluded.expires, metadata = excluded.metadata,
  checksums = excluded.checksums, last_modified = excluded.last_modified, blob_id = excluded.blob_id,
  tags = excluded.tags, inline_bytes = excluded.inline_bytes`,
      )
      .run(
        object.bucket,
        object.key,
        object.size,
        object.etag,
        object.contentType ?? null,
        object.contentEncoding ?? null,
        object.contentDisposition ?? null,
        object.contentLanguage ?? null,
        object.cacheControl ?? null,
        object.expires ?? null,
        JSON.stringify(object.metadata.map(([k, v]) => [k, v])),
        JSON.stringify(object.checksums),
        object.lastModified,
        object.blobId,
        tagsColumn(object.tags),
        inline ? 1 : 0,
      );

  return {
    // Cached (database.ts `cachedRead`): every GetObject and HeadObject reads its object. Any write on
    // this connection drops every kept object (an object write, `writeIn('object')`, only those), so a
    // read after a write sees it.
    // A bucket name holds no NUL, so the key is unambiguous whatever the object key holds.
    get: (bucket, key) =>
      db.cachedRead(`object\u0000${bucket}\u0000${key}`, () => {
        const row = find(bucket, key);
        return row === undefined ? undefined : toObject(row);
      }),

    // Writes of the `object` scope: a PutObject keeps the cached buckets and access keys (database.ts).
    put: (object, bytes) =>
      db.writeIn('object', () => {
        if (bytes !== undefined && bytes.length !== object.size) {
          throw new TypeError(`an inline object of size ${object.size} was given ${bytes.length} bytes`);
        }
        if (bytes === undefined && object.inline === true) {
          throw new TypeError('an inline object is put with its bytes');
        }
        const previous = find(object.bucket, object.key);
        // A missing bucket fails the insert itself (objects.bucket REFERENCES buckets): no lookup of the
        // bucket before it, and nothing of this put was written yet.
        try {
          upsert(object, bytes !== undefined);
        } catch (error) {
          if ((error as { code?: unknown }).code === 'SQLITE_CONSTRAINT_FOREIGNKEY') {
            throw notFound('bucket', object.bucket);
          }
          throw error;
        }
        const previousInline = previous !== undefined && isInlineRow(previous);
        if (bytes !== undefined) {
          // The replaced inline bytes become the new ones in place (one statement, no row deleted and
          // another inserted); otherwise the new bytes are inserted (or replace a retried row's).
          const replacedInPlace =
            previousInline &&
            previous[BLOB_ID] !== object.blobId &&
            db
              .statement('UPDATE object_bytes SET blob_id = ?, bytes = ? WHERE blob_id = ?')
              .run(object.blobId, asBuffer(bytes), previous[BLOB_ID]).changes === 1;
          if (!replacedInPlace) {
            db.statement(
              `INSERT INTO object_bytes (blob_id, bytes) VALUES (?, ?)
ON CONFLICT (blob_id) DO UPDATE SET bytes = excluded.bytes`,
            ).run(object.blobId, asBuffer(bytes));
          }
        } else if (previousInline) {
          // Replaced by a file (or the same blob id, now a file): its inline bytes must not outlive the change.
          deleteBytes(previous[BLOB_ID]);
        }
        return previous === undefined ? undefined : toObject(previous);
      }),

    delete: (bucket, key) =>
      db.writeIn('object', () => {
        const previous = find(bucket, key);
        if (previous === undefined) return undefined;
        db.statement('DELETE FROM objects WHERE bucket = ? AND object_key = ?').run(bucket, key);
        if (isInlineRow(previous)) deleteBytes(previous[BLOB_ID]);
        return toObject(previous);
      }),

    getBytes: (blobId) =>
      db.read(
        () =>
          db.statement('SELECT bytes FROM object_bytes WHERE blob_id = ?').pluck().get(blobId) as
            Buffer | undefined,
      ),

    list: (bucket, request) =>
      db.read(() => (range(OBJECT_COLUMNS, bucket, request) as ObjectRow[]).map(toObject)),

    listSummaries: (bucket, request) =>
      db.read(() =>
        // Raw rows (arrays, in SUMMARY_COLUMNS order): no keyed object per row only to be copied.
        (range(SUMMARY_COLUMNS, bucket, request) as SummaryRow[]).map(([key, size, etag, lastModified]) => ({
          key,
          size,
          etag,
          lastModified,
        })),
      ),

    setTags: (bucket, key, blobId, tags) =>
      db.writeIn(
        'object',
        () =>
          db
            .statement('UPDATE objects SET tags = ? WHERE bucket = ? AND object_key = ? AND blob_id = ?')
            .run(tagsColumn(tags), bucket, key, blobId).changes === 1,
      ),

    hasBlob: (blobId) =>
      db.read(
        () =>
          // A file blob through the index of file blobs (migration 6), an inline one by its own key.
          db.statement('SELECT 1 FROM objects WHERE blob_id = ? AND inline_bytes = 0 LIMIT 1').get(blobId) !==
            undefined ||
          db.statement('SELECT 1 FROM object_bytes WHERE blob_id = ?').get(blobId) !== undefined ||
          // Part blobs of uploads in progress are referenced too: the sweep must keep them.
          db.statement('SELECT 1 FROM upload_parts WHERE blob_id = ? LIMIT 1').get(blobId) !== undefined,
      ),
  };
}

function toObject(row: ObjectRow): S3Object {
  return {
    bucket: row[0],
    key: row[1],
    size: row[2],
    etag: row[3],
    ...optional('contentType', row[4]),
    ...optional('contentEncoding', row[5]),
    ...optional('contentDisposition', row[6]),
    ...optional('contentLanguage', row[7]),
    ...optional('cacheControl', row[8]),
    ...optional('expires', row[9]),
    metadata: JSON.parse(row[10]) as [string, string][],
    checksums: JSON.parse(row[11]) as Record<string, string>,
    lastModified: row[12],
    blobId: row[13],
    ...(isInlineRow(row) ? { inline: true as const } : {}),
    ...(row[14] !== null ? { tags: JSON.parse(row[14]) as [string, string][] } : {}),
  };
}

/** Tags as a JSON list of pairs; NULL for none, so an untagged object reads back without `tags`. */
export function tagsColumn(tags: readonly (readonly [string, string])[] | undefined): string | null {
  return tags === undefined || tags.length === 0 ? null : JSON.stringify(tags.map(([k, v]) => [k, v]));
}

/** better-sqlite3 binds a Buffer as a BLOB: a view of the same bytes, not a copy. */
function asBuffer(bytes: Uint8Array): Buffer {
  return Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}
