import { notFound } from '../errors.js';
import { foldName } from '../names.js';
import { decodeMarker, pageLimit, toPage } from '../paging.js';
import type { AttachedPolicyDocument, InlinePolicy, PolicyHolderStore } from '../principal-policies.js';
import type { Page, PathPageRequest } from '../types.js';
import type { SqliteDatabase } from './database.js';
import { inAccount } from './rows.js';

/** Where a kind of policy holder keeps its rows. Table names are constants, never caller input. */
export interface HolderTables {
  readonly entity: 'role' | 'user';
  readonly table: 'roles' | 'users';
  readonly inline: 'role_inline_policies' | 'user_inline_policies';
  readonly attachments: 'role_policy_attachments' | 'user_policy_attachments';
  readonly column: 'role_id' | 'user_id';
}

/** Roles' tables. */
export const ROLE_TABLES: HolderTables = {
  entity: 'role',
  table: 'roles',
  inline: 'role_inline_policies',
  attachments: 'role_policy_attachments',
  column: 'role_id',
};

/** Users' tables. */
export const USER_TABLES: HolderTables = {
  entity: 'user',
  table: 'users',
  inline: 'user_inline_policies',
  attachments: 'user_policy_attachments',
  column: 'user_id',
};

/**
 * One page of a holder table (users or roles) in name order, optionally under a path prefix: the
 * listing both ListUsers and ListRoles share. Costs O(page) through the (account, name) index.
 */
export function holderPage<R extends { readonly name_lower: string }, T>(
  db: SqliteDatabase,
  tables: HolderTables,
  accountId: string,
  options: PathPageRequest,
  toItem: (row: R) => T,
): Page<T> {
  const limit = pageLimit(options.maxItems);
  const [after] =
    options.marker === undefined ? [''] : decodeMarker(options.marker, ['string'], tables.entity);
  const prefix = options.pathPrefix ?? '/';
  const rows = (
    prefix === '/'
      ? db
          .statement(
            `SELECT * FROM ${tables.table} WHERE account_id = ? AND name_lower > ? ORDER BY name_lower LIMIT ?`,
          )
          .all(accountId, after, limit + 1)
      : db
          .statement(
            `SELECT * FROM ${tables.table} WHERE account_id = ? AND name_lower > ? AND substr(path, 1, ?) = ?
ORDER BY name_lower LIMIT ?`,
          )
          .all(accountId, after, prefix.length, prefix, limit + 1)
  ) as R[];
  return toPage(rows, limit, toItem, (r) => [r.name_lower]);
}

/** The columns every holder row has, roles' and users' alike. */
export interface HolderRow {
  id: string;
  account_id: string;
  name: string;
  name_lower: string;
  path: string;
  arn: string;
  permissions_boundary_arn: string | null;
  tags: string;
  created_at: number;
}

/** Looks up a holder's whole row by name (any case, as IAM compares names); `existing` fails `notFound`. */
export interface HolderRows<R extends HolderRow> {
  readonly find: (accountId: string, name: string) => R | undefined;
  readonly existing: (accountId: string, name: string) => R;
}

/** `HolderRows` over `t`'s table; `R` is that table's row type (the caller names it, SQLite cannot). */
export function holderRows<R extends HolderRow>(db: SqliteDatabase, t: HolderTables): HolderRows<R> {
  const find = (accountId: string, name: string) =>
    db
      .statement(`SELECT * FROM ${t.table} WHERE account_id = ? AND name_lower = ?`)
      .get(accountId, foldName(name)) as R | undefined;
  return {
    find,
    existing: (accountId, name) => {
      const row = find(accountId, name);
      if (row === undefined) throw notFound(t.entity, name, inAccount(accountId));
      return row;
    },
  };
}

/** The members a `Role` and a `User` share that name the holder, in the order both list them. */
export function holderIdentity(row: HolderRow): {
  accountId: string;
  name: string;
  id: string;
  path: string;
  arn: string;
} {
  return { accountId: row.account_id, name: row.name, id: row.id, path: row.path, arn: row.arn };
}

/** The id of holder `name` (any case) in the account, or `undefined`. */
export function findHolderId(
  db: SqliteDatabase,
  t: HolderTables,
  accountId: string,
  name: string,
): string | undefined {
  const row = db
    .statement(`SELECT id FROM ${t.table} WHERE account_id = ? AND name_lower = ?`)
    .get(accountId, foldName(name)) as { id: string } | undefined;
  return row?.id;
}

/** As `findHolderId`, failing `notFound` when there is none. */
export function holderIdOf(db: SqliteDatabase, t: HolderTables, accountId: string, name: string): string {
  const id = findHolderId(db, t, accountId, name);
  if (id === undefined) throw notFound(t.entity, name, inAccount(accountId));
  return id;
}

/** Whether the holder still has inline policies, attached policies: what blocks its deletion. */
export function holderPolicies(
  db: SqliteDatabase,
  t: HolderTables,
  holderId: string,
): { inline: boolean; attached: boolean } {
  const inline = db.statement(`SELECT 1 FROM ${t.inline} WHERE ${t.column} = ? LIMIT 1`).get(holderId);
  const attached = db.statement(`SELECT 1 FROM ${t.attachments} WHERE ${t.column} = ? LIMIT 1`).get(holderId);
  return { inline: inline !== undefined, attached: attached !== undefined };
}

interface InlineRow {
  name: string;
  name_lower: string;
  document: string;
}

interface AttachedRow {
  name: string;
  name_lower: string;
  arn: string;
}

interface AttachedDocumentRow {
  name: string;
  arn: string;
  default_version: number;
  document: string;
}

/** The inline and attached policies of roles or users, by `t`. */
export function sqlitePolicyHolder(db: SqliteDatabase, t: HolderTables): PolicyHolderStore {
  const holder = (accountId: string, name: string) => `${t.entity} \`${name}\` in ${inAccount(accountId)}`;
  const policyIdOf = (accountId: string, arn: string) =>
    (
      db.statement('SELECT id FROM managed_policies WHERE account_id = ? AND arn = ?').get(accountId, arn) as
        { id: string } | undefined
    )?.id;

  return {
    putPolicy: (accountId, holderName, policy) =>
      db.write(() => {
        const id = holderIdOf(db, t, accountId, holderName);
        // The first name given keeps its case; a put under another case replaces the document only.
        db.statement(
          `INSERT INTO ${t.inline} (${t.column}, name, name_lower, document) VALUES (?, ?, ?, ?)
ON CONFLICT (${t.column}, name_lower) DO UPDATE SET document = excluded.document`,
        ).run(id, policy.name, foldName(policy.name), policy.document);
      }),

    getPolicy: (accountId, holderName, policyName) =>
      db.read(() => {
        const row = db
          .statement(
            `SELECT p.name, p.name_lower, p.document FROM ${t.inline} p JOIN ${t.table} h ON h.id = p.${t.column}
WHERE h.account_id = ? AND h.name_lower = ? AND p.name_lower = ?`,
          )
          .get(accountId, foldName(holderName), foldName(policyName)) as InlineRow | undefined;
        return row === undefined ? undefined : toInline(row);
      }),

    listPolicies: (accountId, holderName, page = {}) =>
      db.snapshot(() => {
        const id = holderIdOf(db, t, accountId, holderName);
        const limit = pageLimit(page.maxItems);
        const [after] =
          page.marker === undefined ? [''] : decodeMarker(page.marker, ['string'], 'inlinePolicy');
        const rows = db
          .statement(
            `SELECT name, name_lower, document FROM ${t.inline} WHERE ${t.column} = ? AND name_lower > ?
ORDER BY name_lower LIMIT ?`,
          )
          .all(id, after, limit + 1) as InlineRow[];
        return toPage(rows, limit, toInline, (r) => [r.name_lower]);
      }),

    deletePolicy: (accountId, holderName, policyName) =>
      db.write(() => {
        const id = holderIdOf(db, t, accountId, holderName);
        const { changes } = db
          .statement(`DELETE FROM ${t.inline} WHERE ${t.column} = ? AND name_lower = ?`)
          .run(id, foldName(policyName));
        if (changes === 0) throw notFound('inlinePolicy', policyName, holder(accountId, holderName));
      }),

    attachPolicy: (accountId, holderName, policyArn) =>
      db.write(() => {
        const id = holderIdOf(db, t, accountId, holderName);
        const policyId = policyIdOf(accountId, policyArn);
        if (policyId === undefined) throw notFound('managedPolicy', policyArn, inAccount(accountId));
        db.statement(
          `INSERT INTO ${t.attachments} (${t.column}, policy_id) VALUES (?, ?) ON CONFLICT DO NOTHING`,
        ).run(id, policyId);
      }),

    detachPolicy: (accountId, holderName, policyArn) =>
      db.write(() => {
        const id = holderIdOf(db, t, accountId, holderName);
        const policyId = policyIdOf(accountId, policyArn);
        const changes =
          policyId === undefined
            ? 0
            : db
                .statement(`DELETE FROM ${t.attachments} WHERE ${t.column} = ? AND policy_id = ?`)
                .run(id, policyId).changes;
        if (changes === 0) throw notFound('policyAttachment', policyArn, holder(accountId, holderName));
      }),

    // INVARIANT: IAM's quota bounds the attached policies of one holder (10, at most 20), so sorting them
    // by name after the join costs O(quota), not O(account).
    listAttachedPolicies: (accountId, holderName, page = {}) =>
      db.snapshot(() => {
        const id = holderIdOf(db, t, accountId, holderName);
        const limit = pageLimit(page.maxItems);
        const [after] =
          page.marker === undefined ? [''] : decodeMarker(page.marker, ['string'], 'policyAttachment');
        const rows = db
          .statement(
            `SELECT p.name, p.name_lower, p.arn FROM ${t.attachments} a JOIN managed_policies p ON p.id = a.policy_id
WHERE a.${t.column} = ? AND p.name_lower > ? ORDER BY p.name_lower LIMIT ?`,
          )
          .all(id, after, limit + 1) as AttachedRow[];
        return toPage(
          rows,
          limit,
          (r) => ({ name: r.name, arn: r.arn }),
          (r) => [r.name_lower],
        );
      }),

    getPolicyDocuments: (accountId, holderName) =>
      db.snapshot(() => {
        const id = findHolderId(db, t, accountId, holderName);
        if (id === undefined) return undefined;
        const inline = db
          .statement(
            `SELECT name, name_lower, document FROM ${t.inline} WHERE ${t.column} = ? ORDER BY name_lower`,
          )
          .all(id) as InlineRow[];
        const attached = db
          .statement(
            `SELECT p.name, p.arn, p.default_version, v.document FROM ${t.attachments} a
JOIN managed_policies p ON p.id = a.policy_id
JOIN managed_policy_versions v ON v.policy_id = p.id AND v.version = p.default_version
WHERE a.${t.column} = ? ORDER BY p.name_lower`,
          )
          .all(id) as AttachedDocumentRow[];
        return {
          inline: inline.map(toInline),
          attached: attached.map((r): AttachedPolicyDocument => ({
            name: r.name,
            arn: r.arn,
            versionId: `v${r.default_version}`,
            document: r.document,
          })),
        };
      }),
  };
}

function toInline(row: InlineRow): InlinePolicy {
  return { name: row.name, document: row.document };
}
