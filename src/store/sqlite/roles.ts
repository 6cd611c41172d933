import { alreadyExists, deleteConflict } from '../errors.js';
import { foldName } from '../names.js';
import { DEFAULT_MAX_SESSION_DURATION, type Role, type RoleStore } from '../roles.js';
import { requireAccount } from './accounts.js';
import type { SqliteDatabase } from './database.js';
import {
  holderIdentity,
  holderPage,
  holderPolicies,
  holderRows,
  ROLE_TABLES,
  sqlitePolicyHolder,
  type HolderRow,
} from './policy-holders.js';
import { inAccount, mapConflict, optional, parseTags, tagsText } from './rows.js';

interface RoleRow extends HolderRow {
  trust_policy: string;
  description: string | null;
  max_session_duration: number;
}

/** `RoleStore` on SQLite. */
export function sqliteRoles(db: SqliteDatabase): RoleStore {
  const { find, existing } = holderRows<RoleRow>(db, ROLE_TABLES);

  return {
    ...sqlitePolicyHolder(db, ROLE_TABLES),

    create: (role) =>
      db.write(() => {
        requireAccount(db, role.accountId);
        if (find(role.accountId, role.name) !== undefined) {
          throw alreadyExists('role', role.name, inAccount(role.accountId));
        }
        mapConflict('role', role.id, inAccount(role.accountId), () =>
          db
            .statement(
              `INSERT INTO roles (id, account_id, name, name_lower, path, arn, trust_policy, description,
  max_session_duration, permissions_boundary_arn, tags, created_at)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
            )
            .run(
              role.id,
              role.accountId,
              role.name,
              foldName(role.name),
              role.path,
              role.arn,
              role.trustPolicy,
              role.description ?? null,
              role.maxSessionDuration ?? DEFAULT_MAX_SESSION_DURATION,
              role.permissionsBoundaryArn ?? null,
              tagsText(role.tags),
              role.createdAt,
            ),
        );
        return toRole(existing(role.accountId, role.name));
      }),

    // Cached (database.ts `cachedRead`): AssumeRoleWithWebIdentity reads the role on every call.
    get: (accountId, name) =>
      db.cachedRead(`role\u0000${accountId}\u0000${foldName(name)}`, () => {
        const row = find(accountId, name);
        return row === undefined ? undefined : toRole(row);
      }),

    list: (accountId, options = {}) => db.read(() => holderPage(db, ROLE_TABLES, accountId, options, toRole)),

    update: (accountId, name, update) =>
      db.write(() => {
        const row = existing(accountId, name);
        const description = update.description === undefined ? row.description : update.description;
        const boundary =
          update.permissionsBoundaryArn === undefined
            ? row.permissions_boundary_arn
            : update.permissionsBoundaryArn;
        db.statement(
          `UPDATE roles SET trust_policy = ?, description = ?, max_session_duration = ?,
  permissions_boundary_arn = ?, tags = ? WHERE id = ?`,
        ).run(
          update.trustPolicy ?? row.trust_policy,
          description,
          update.maxSessionDuration ?? row.max_session_duration,
          boundary,
          update.tags === undefined ? row.tags : tagsText(update.tags),
          row.id,
        );
        return toRole(existing(accountId, name));
      }),

    delete: (accountId, name) =>
      db.write(() => {
        const row = existing(accountId, name);
        const policies = holderPolicies(db, ROLE_TABLES, row.id);
        if (policies.inline) throw deleteConflict('role', row.name, 'inlinePolicies', inAccount(accountId));
        if (policies.attached) {
          throw deleteConflict('role', row.name, 'attachedPolicies', inAccount(accountId));
        }
        db.statement('DELETE FROM roles WHERE id = ?').run(row.id);
      }),
  };
}

function toRole(row: RoleRow): Role {
  return {
    ...holderIdentity(row),
    trustPolicy: row.trust_policy,
    ...optional('description', row.description),
    maxSessionDuration: row.max_session_duration,
    ...optional('permissionsBoundaryArn', row.permissions_boundary_arn),
    tags: parseTags(row.tags),
    createdAt: row.created_at,
  };
}
