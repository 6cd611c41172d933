import { alreadyExists, deleteConflict, notFound } from '../errors.js';
import type { ManagedPolicy, ManagedPolicyStore, PolicyEntity, PolicyVersion } from '../managed-policies.js';
import { foldName } from '../names.js';
import { decodeMarker, pageLimit, toPage } from '../paging.js';
import { requireAccount } from './accounts.js';
import type { SqliteDatabase } from './database.js';
import { inAccount, mapConflict, optional, parseTags, tagsText } from './rows.js';

interface PolicyRow {
  id: string;
  account_id: string;
  name: string;
  name_lower: string;
  path: string;
  arn: string;
  description: string | null;
  tags: string;
  created_at: number;
  updated_at: number;
  default_version: number;
  last_version: number;
  attachment_count: number;
  boundary_count: number;
}

interface VersionRow {
  version: number;
  document: string;
  created_at: number;
  default_version: number;
}

/** A policy with its counts. The counts are index lookups on the attachment and boundary indexes. */
const SELECT = `SELECT p.*,
  (SELECT COUNT(*) FROM role_policy_attachments a WHERE a.policy_id = p.id)
    + (SELECT COUNT(*) FROM user_policy_attachments a WHERE a.policy_id = p.id) AS attachment_count,
  (SELECT COUNT(*) FROM roles r WHERE r.permissions_boundary_arn = p.arn AND r.account_id = p.account_id)
    + (SELECT COUNT(*) FROM users u WHERE u.permissions_boundary_arn = p.arn AND u.account_id = p.account_id)
    AS boundary_count
FROM managed_policies p`;

const ATTACHED = `(EXISTS (SELECT 1 FROM role_policy_attachments a WHERE a.policy_id = p.id)
  OR EXISTS (SELECT 1 FROM user_policy_attachments a WHERE a.policy_id = p.id))`;

/** `ManagedPolicyStore` on SQLite. */
export function sqliteManagedPolicies(db: SqliteDatabase): ManagedPolicyStore {
  const find = (accountId: string, arn: string) =>
    db.statement(`${SELECT} WHERE p.account_id = ? AND p.arn = ?`).get(accountId, arn) as
      PolicyRow | undefined;
  const existing = (accountId: string, arn: string): PolicyRow => {
    const row = find(accountId, arn);
    if (row === undefined) throw notFound('managedPolicy', arn, inAccount(accountId));
    return row;
  };
  const findVersion = (row: PolicyRow, versionId: string) => {
    const n = versionNumber(versionId);
    if (n === undefined) return undefined;
    return db
      .statement(
        'SELECT version, document, created_at FROM managed_policy_versions WHERE policy_id = ? AND version = ?',
      )
      .get(row.id, n) as Omit<VersionRow, 'default_version'> | undefined;
  };
  const ofPolicy = (arn: string) => `managedPolicy \`${arn}\``;

  return {
    create: (policy) =>
      db.write(() => {
        requireAccount(db, policy.accountId);
        const taken = db
          .statement('SELECT 1 FROM managed_policies WHERE account_id = ? AND name_lower = ?')
          .get(policy.accountId, foldName(policy.name));
        if (taken !== undefined)
          throw alreadyExists('managedPolicy', policy.name, inAccount(policy.accountId));
        mapConflict('managedPolicy', policy.arn, inAccount(policy.accountId), () =>
          db
            .statement(
              `INSERT INTO managed_policies (id, account_id, name, name_lower, path, arn, description, tags,
  created_at, updated_at, default_version, last_version)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, 1)`,
            )
            .run(
              policy.id,
              policy.accountId,
              policy.name,
              foldName(policy.name),
              policy.path,
              policy.arn,
              policy.description ?? null,
              tagsText(policy.tags),
              policy.createdAt,
              policy.createdAt,
            ),
        );
        db.statement(
          'INSERT INTO managed_policy_versions (policy_id, version, document, created_at) VALUES (?, 1, ?, ?)',
        ).run(policy.id, policy.document, policy.createdAt);
        return toPolicy(existing(policy.accountId, policy.arn));
      }),

    get: (accountId, arn) =>
      db.read(() => {
        const row = find(accountId, arn);
        return row === undefined ? undefined : toPolicy(row);
      }),

    list: (accountId, options = {}) =>
      db.read(() => {
        const limit = pageLimit(options.maxItems);
        const [after] =
          options.marker === undefined ? [''] : decodeMarker(options.marker, ['string'], 'managedPolicy');
        const prefix = options.pathPrefix ?? '/';
        const filters = [
          'p.account_id = ?',
          'p.name_lower > ?',
          ...(prefix === '/' ? [] : ['substr(p.path, 1, ?) = ?']),
          ...(options.onlyAttached === true ? [ATTACHED] : []),
        ];
        const params = [accountId, after, ...(prefix === '/' ? [] : [prefix.length, prefix]), limit + 1];
        const rows = db
          .statement(`${SELECT} WHERE ${filters.join(' AND ')} ORDER BY p.name_lower LIMIT ?`)
          .all(...params) as PolicyRow[];
        return toPage(rows, limit, toPolicy, (r) => [r.name_lower]);
      }),

    setTags: (accountId, arn, tags) =>
      db.write(() => {
        const row = existing(accountId, arn);
        db.statement('UPDATE managed_policies SET tags = ? WHERE id = ?').run(tagsText(tags), row.id);
        return toPolicy(existing(accountId, arn));
      }),

    delete: (accountId, arn) =>
      db.write(() => {
        const row = existing(accountId, arn);
        const where = inAccount(accountId);
        if (row.attachment_count > 0) throw deleteConflict('managedPolicy', arn, 'attachments', where);
        const others = db
          .statement('SELECT 1 FROM managed_policy_versions WHERE policy_id = ? AND version <> ? LIMIT 1')
          .get(row.id, row.default_version);
        if (others !== undefined) throw deleteConflict('managedPolicy', arn, 'policyVersions', where);
        db.statement('DELETE FROM managed_policy_versions WHERE policy_id = ?').run(row.id);
        db.statement('DELETE FROM managed_policies WHERE id = ?').run(row.id);
      }),

    createVersion: (accountId, arn, version) =>
      db.write(() => {
        const row = existing(accountId, arn);
        // INVARIANT: `last_version` only grows, so a deleted version's id is never issued again.
        const n = row.last_version + 1;
        db.statement(
          'INSERT INTO managed_policy_versions (policy_id, version, document, created_at) VALUES (?, ?, ?, ?)',
        ).run(row.id, n, version.document, version.createdAt);
        db.statement(
          'UPDATE managed_policies SET last_version = ?, updated_at = ?, default_version = ? WHERE id = ?',
        ).run(n, version.createdAt, version.setAsDefault ? n : row.default_version, row.id);
        return {
          versionId: `v${n}`,
          document: version.document,
          isDefault: version.setAsDefault,
          createdAt: version.createdAt,
        };
      }),

    getVersion: (accountId, arn, versionId) =>
      db.snapshot(() => {
        const row = find(accountId, arn);
        if (row === undefined) return undefined;
        const v = findVersion(row, versionId);
        return v === undefined ? undefined : toVersion({ ...v, default_version: row.default_version });
      }),

    listVersions: (accountId, arn) =>
      db.snapshot(() => {
        const row = existing(accountId, arn);
        const rows = db
          .statement(
            `SELECT v.version, v.document, v.created_at, p.default_version FROM managed_policy_versions v
JOIN managed_policies p ON p.id = v.policy_id WHERE v.policy_id = ? ORDER BY v.version DESC`,
          )
          .all(row.id) as VersionRow[];
        return rows.map(toVersion);
      }),

    setDefaultVersion: (accountId, arn, versionId) =>
      db.write(() => {
        const row = existing(accountId, arn);
        const v = findVersion(row, versionId);
        if (v === undefined) throw notFound('policyVersion', versionId, ofPolicy(arn));
        // INVARIANT: the default is one column, so exactly one version is the default at every moment.
        db.statement('UPDATE managed_policies SET default_version = ? WHERE id = ?').run(v.version, row.id);
      }),

    deleteVersion: (accountId, arn, versionId) =>
      db.write(() => {
        const row = existing(accountId, arn);
        const v = findVersion(row, versionId);
        if (v === undefined) throw notFound('policyVersion', versionId, ofPolicy(arn));
        if (v.version === row.default_version) {
          throw deleteConflict('policyVersion', versionId, 'defaultVersion', ofPolicy(arn));
        }
        db.statement('DELETE FROM managed_policy_versions WHERE policy_id = ? AND version = ?').run(
          row.id,
          v.version,
        );
      }),

    listEntities: (accountId, arn, options = {}) =>
      db.snapshot(() => {
        const row = existing(accountId, arn);
        const limit = pageLimit(options.maxItems);
        const [afterType, afterId] =
          options.marker === undefined
            ? ['', '']
            : decodeMarker(options.marker, ['string', 'string'], 'policyAttachment');
        const want = (type: PolicyEntity['type']) =>
          (options.entityType === undefined || options.entityType === type) && afterType <= type;
        // Roles sort before users ('role' < 'user'): the marker's type says which part to resume.
        const rows: PolicyEntity[] = [];
        if (want('role')) {
          rows.push(
            ...(db
              .statement(
                `SELECT 'role' AS type, r.name, r.id FROM role_policy_attachments a JOIN roles r ON r.id = a.role_id
WHERE a.policy_id = ? AND a.role_id > ? ORDER BY a.role_id LIMIT ?`,
              )
              .all(row.id, afterType === 'role' ? afterId : '', limit + 1) as PolicyEntity[]),
          );
        }
        if (want('user') && rows.length <= limit) {
          rows.push(
            ...(db
              .statement(
                `SELECT 'user' AS type, u.name, u.id FROM user_policy_attachments a JOIN users u ON u.id = a.user_id
WHERE a.policy_id = ? AND a.user_id > ? ORDER BY a.user_id LIMIT ?`,
              )
              .all(row.id, afterType === 'user' ? afterId : '', limit + 1 - rows.length) as PolicyEntity[]),
          );
        }
        return toPage(
          rows,
          limit,
          (e) => ({ type: e.type, name: e.name, id: e.id }),
          (e) => [e.type, e.id],
        );
      }),
  };
}

/** `v7` → 7; anything else names no version. */
function versionNumber(versionId: string): number | undefined {
  const m = /^v([1-9][0-9]{0,8})$/.exec(versionId);
  return m === null ? undefined : Number(m[1]);
}

function toPolicy(row: PolicyRow): ManagedPolicy {
  return {
    accountId: row.account_id,
    name: row.name,
    id: row.id,
    path: row.path,
    arn: row.arn,
    ...optional('description', row.description),
    tags: parseTags(row.tags),
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    defaultVersionId: `v${row.default_version}`,
    attachmentCount: row.attachment_count,
    permissionsBoundaryUsageCount: row.boundary_count,
  };
}

function toVersion(row: VersionRow): PolicyVersion {
  return {
    versionId: `v${row.version}`,
    document: row.document,
    isDefault: row.version === row.default_version,
    createdAt: row.created_at,
  };
}
