import { alreadyExists, deleteConflict } from '../errors.js';
import { foldName } from '../names.js';
import type { User, UserStore } from '../users.js';
import { requireAccount } from './accounts.js';
import type { SqliteDatabase } from './database.js';
import {
  holderIdentity,
  holderPage,
  holderPolicies,
  holderRows,
  sqlitePolicyHolder,
  USER_TABLES,
  type HolderRow,
} from './policy-holders.js';
import { inAccount, mapConflict, optional, parseTags, tagsText } from './rows.js';

/** `UserStore` on SQLite. */
export function sqliteUsers(db: SqliteDatabase): UserStore {
  const { find, existing } = holderRows<HolderRow>(db, USER_TABLES);

  return {
    ...sqlitePolicyHolder(db, USER_TABLES),

    create: (user) =>
      db.write(() => {
        requireAccount(db, user.accountId);
        if (find(user.accountId, user.name) !== undefined) {
          throw alreadyExists('user', user.name, inAccount(user.accountId));
        }
        mapConflict('user', user.id, inAccount(user.accountId), () =>
          db
            .statement(
              `INSERT INTO users (id, account_id, name, name_lower, path, arn, permissions_boundary_arn, tags, created_at)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
            )
            .run(
              user.id,
              user.accountId,
              user.name,
              foldName(user.name),
              user.path,
              user.arn,
              user.permissionsBoundaryArn ?? null,
              tagsText(user.tags),
              user.createdAt,
            ),
        );
        return toUser(existing(user.accountId, user.name));
      }),

    get: (accountId, name) =>
      db.read(() => {
        const row = find(accountId, name);
        return row === undefined ? undefined : toUser(row);
      }),

    list: (accountId, options = {}) => db.read(() => holderPage(db, USER_TABLES, accountId, options, toUser)),

    update: (accountId, name, update) =>
      db.write(() => {
        const row = existing(accountId, name);
        const rename = update.rename ?? { name: row.name, path: row.path, arn: row.arn };
        if (foldName(rename.name) !== row.name_lower && find(accountId, rename.name) !== undefined) {
          throw alreadyExists('user', rename.name, inAccount(accountId));
        }
        const boundary =
          update.permissionsBoundaryArn === undefined
            ? row.permissions_boundary_arn
            : update.permissionsBoundaryArn;
        db.statement(
          `UPDATE users SET name = ?, name_lower = ?, path = ?, arn = ?, permissions_boundary_arn = ?, tags = ?
WHERE id = ?`,
        ).run(
          rename.name,
          foldName(rename.name),
          rename.path,
          rename.arn,
          boundary,
          update.tags === undefined ? row.tags : tagsText(update.tags),
          row.id,
        );
        return toUser(existing(accountId, rename.name));
      }),

    delete: (accountId, name) =>
      db.write(() => {
        const row = existing(accountId, name);
        const where = inAccount(accountId);
        if (db.statement('SELECT 1 FROM access_keys WHERE user_id = ? LIMIT 1').get(row.id) !== undefined) {
          throw deleteConflict('user', row.name, 'accessKeys', where);
        }
        const policies = holderPolicies(db, USER_TABLES, row.id);
        if (policies.inline) throw deleteConflict('user', row.name, 'inlinePolicies', where);
        if (policies.attached) throw deleteConflict('user', row.name, 'attachedPolicies', where);
        db.statement('DELETE FROM users WHERE id = ?').run(row.id);
      }),
  };
}

/** A users row has the holder columns and no others. */
function toUser(row: HolderRow): User {
  return {
    ...holderIdentity(row),
    ...optional('permissionsBoundaryArn', row.permissions_boundary_arn),
    tags: parseTags(row.tags),
    createdAt: row.created_at,
  };
}
