import type { AccessKey, AccessKeyStore, AccessKeyStatus } from '../access-keys.js';
import { alreadyExists, notFound } from '../errors.js';
import { foldName } from '../names.js';
import { decodeMarker, pageLimit, toPage } from '../paging.js';
import type { PageRequest } from '../types.js';
import { requireAccount } from './accounts.js';
import type { SqliteDatabase } from './database.js';
import { inAccount, mapConflict } from './rows.js';

interface AccessKeyRow {
  access_key_id: string;
  account_id: string;
  user_id: string | null;
  secret_access_key: string;
  status: AccessKeyStatus;
  created_at: number;
  user_name: string | null;
  user_arn: string | null;
}

/** Every read joins the owner, so a key comes back with its user's current name and ARN. */
const SELECT = `SELECT k.*, u.name AS user_name, u.arn AS user_arn
FROM access_keys k LEFT JOIN users u ON u.id = k.user_id`;

/** `AccessKeyStore` on SQLite. */
export function sqliteAccessKeys(db: SqliteDatabase): AccessKeyStore {
  const byId = (accessKeyId: string) =>
    db.statement(`${SELECT} WHERE k.access_key_id = ?`).get(accessKeyId) as AccessKeyRow | undefined;
  const inAccountById = (accountId: string, accessKeyId: string): AccessKeyRow => {
    const row = byId(accessKeyId);
    if (row === undefined || row.account_id !== accountId) {
      throw notFound('accessKey', accessKeyId, inAccount(accountId));
    }
    return row;
  };
  const page = (sql: string, owner: string, request: PageRequest) => {
    const limit = pageLimit(request.maxItems);
    const [createdAt, id] =
      request.marker === undefined
        ? [Number.MIN_SAFE_INTEGER, '']
        : decodeMarker(request.marker, ['number', 'string'], 'accessKey');
    const rows = db
      .statement(
        `${SELECT} WHERE ${sql} AND (k.created_at, k.access_key_id) > (?, ?)
ORDER BY k.created_at, k.access_key_id LIMIT ?`,
      )
      .all(owner, createdAt, id, limit + 1) as AccessKeyRow[];
    return toPage(rows, limit, toAccessKey, (r) => [r.created_at, r.access_key_id]);
  };

  return {
    create: (key) =>
      db.write(() => {
        requireAccount(db, key.accountId);
        let userId: string | null = null;
        if (key.userName !== undefined) {
          userId = userIdOf(db, key.accountId, key.userName);
        }
        if (byId(key.accessKeyId) !== undefined) throw alreadyExists('accessKey', key.accessKeyId);
        mapConflict('accessKey', key.accessKeyId, inAccount(key.accountId), () =>
          db
            .statement(
              `INSERT INTO access_keys (access_key_id, account_id, user_id, secret_access_key, status, created_at)
VALUES (?, ?, ?, ?, ?, ?)`,
            )
            .run(
              key.accessKeyId,
              key.accountId,
              userId,
              key.secretAccessKey,
              key.status ?? 'Active',
              key.createdAt,
            ),
        );
        return toAccessKey(byId(key.accessKeyId) as AccessKeyRow);
      }),

    // Cached (database.ts `cachedRead`): every request signed with a long-term key reads it. A deactivated
    // or deleted key is a write on this connection, so the next request sees it at once.
    get: (accessKeyId) =>
      db.cachedRead(`accessKey\u0000${accessKeyId}`, () => {
        const row = byId(accessKeyId);
        return row === undefined ? undefined : toAccessKey(row);
      }),

    listForUser: (accountId, userName, request = {}) =>
      db.snapshot(() => page('k.user_id = ?', userIdOf(db, accountId, userName), request)),

    listForRoot: (accountId, request = {}) =>
      db.read(() => page('k.account_id = ? AND k.user_id IS NULL', accountId, request)),

    updateStatus: (accountId, accessKeyId, status) =>
      db.write(() => {
        inAccountById(accountId, accessKeyId);
        db.statement('UPDATE access_keys SET status = ? WHERE access_key_id = ?').run(status, accessKeyId);
        return toAccessKey(byId(accessKeyId) as AccessKeyRow);
      }),

    delete: (accountId, accessKeyId) =>
      db.write(() => {
        inAccountById(accountId, accessKeyId);
        db.statement('DELETE FROM access_keys WHERE access_key_id = ?').run(accessKeyId);
      }),
  };
}

/** The id of user `name` (any case) in the account; `notFound` when there is none. */
export function userIdOf(db: SqliteDatabase, accountId: string, name: string): string {
  const row = db
    .statement('SELECT id FROM users WHERE account_id = ? AND name_lower = ?')
    .get(accountId, foldName(name)) as { id: string } | undefined;
  if (row === undefined) throw notFound('user', name, inAccount(accountId));
  return row.id;
}

function toAccessKey(row: AccessKeyRow): AccessKey {
  return {
    accessKeyId: row.access_key_id,
    accountId: row.account_id,
    ...(row.user_id !== null && row.user_name !== null && row.user_arn !== null
      ? { user: { name: row.user_name, id: row.user_id, arn: row.user_arn } }
      : {}),
    secretAccessKey: row.secret_access_key,
    status: row.status,
    createdAt: row.created_at,
  };
}
