import type BetterSqlite3 from 'better-sqlite3';
import type { Clock } from '../../shared/clock.js';

/**
 * The schema, as an ordered list of migrations. A migration is never edited once released: a change is
 * a new migration with the next version.
 *
 * The DDL is kept portable to PostgreSQL, which will run the same migrations: TEXT, INTEGER and BIGINT
 * columns (BIGINT for millisecond timestamps, which overflow PostgreSQL's 32-bit INTEGER; SQLite reads
 * BIGINT as INTEGER), BLOB for bytes (PostgreSQL's spelling is BYTEA: the one word its migration
 * changes), no AUTOINCREMENT, CHECK and partial indexes that both accept. Names are unique ignoring case
 * through a `name_lower` column (`foldName`, computed by the store, never by SQL) with a unique index.
 * JSON values (tags, lists, annotations) are TEXT.
 */
export interface Migration {
  readonly version: number;
  readonly name: string;
  readonly sql: string;
}

/** Every migration, oldest first. */
export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'control plane: accounts, IAM entities, OIDC providers, server keys, service accounts',
    sql: `
CREATE TABLE accounts (
  id TEXT PRIMARY KEY,
  created_at BIGINT NOT NULL
);

CREATE TABLE users (
  id TEXT PRIMARY KEY,
  account_id TEXT NOT NULL REFERENCES accounts (id),
  name TEXT NOT NULL,
  name_lower TEXT NOT NULL,
  path TEXT NOT NULL,
  arn TEXT NOT NULL,
  permissions_boundary_arn TEXT,
  tags TEXT NOT NULL,
  created_at BIGINT NOT NULL
);
CREATE UNIQUE INDEX users_by_name ON users (account_id, name_lower);
CREATE INDEX users_by_boundary ON users (permissions_boundary_arn);

CREATE TABLE access_keys (
  access_key_id TEXT PRIMARY KEY,
  account_id TEXT NOT NULL REFERENCES accounts (id),
  user_id TEXT REFERENCES users (id),
  secret_access_key TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('Active', 'Inactive')),
  created_at BIGINT NOT NULL
);
CREATE INDEX access_keys_by_user ON access_keys (user_id, created_at, access_key_id);
CREATE INDEX access_keys_of_root ON access_keys (account_id, created_at, access_key_id)
  WHERE user_id IS NULL;

CREATE TABLE roles (
  id TEXT PRIMARY KEY,
  account_id TEXT NOT NULL REFERENCES accounts (id),
  name TEXT NOT NULL,
  name_lower TEXT NOT NULL,
  path TEXT NOT NULL,
  arn TEXT NOT NULL,
  trust_policy TEXT NOT NULL,
  description TEXT,
  max_session_duration INTEGER NOT NULL,
  permissions_boundary_arn TEXT,
  tags TEXT NOT NULL,
  created_at BIGINT NOT NULL
);
CREATE UNIQUE INDEX roles_by_name ON roles (account_id, name_lower);
CREATE INDEX roles_by_boundary ON roles (permissions_boundary_arn);

CREATE TABLE managed_policies (
  id TEXT PRIMARY KEY,
  account_id TEXT NOT NULL REFERENCES accounts (id),
  name TEXT NOT NULL,
  name_lower TEXT NOT NULL,
  path TEXT NOT NULL,
  arn TEXT NOT NULL,
  description TEXT,
  tags TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  default_version INTEGER NOT NULL,
  last_version INTEGER NOT NULL
);
CREATE UNIQUE INDEX managed_policies_by_name ON managed_policies (account_id, name_lower);
CREATE UNIQUE INDEX managed_policies_by_arn ON managed_policies (arn);

CREATE TABLE managed_policy_versions (
  policy_id TEXT NOT NULL REFERENCES managed_policies (id),
  version INTEGER NOT NULL,
  document TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  PRIMARY KEY (policy_id, version)
);

CREATE TABLE role_inline_policies (
  role_id TEXT NOT NULL REFERENCES roles (id),
  name TEXT NOT NULL,
  name_lower TEXT NOT NULL,
  document TEXT NOT NULL,
  PRIMARY KEY (role_id, name_lower)
);

CREATE TABLE user_inline_policies (
  user_id TEXT NOT NULL REFERENCES users (id),
  name TEXT NOT NULL,
  name_lower TEXT NOT NULL,
  document TEXT NOT NULL,
  PRIMARY KEY (user_id, name_lower)
);

CREATE TABLE role_policy_attachments (
  role_id TEXT NOT NULL REFERENCES roles (id),
  policy_id TEXT NOT NULL REFERENCES managed_policies (id),
  PRIMARY KEY (role_id, policy_id)
);
CREATE INDEX role_policy_attachments_by_policy ON role_policy_attachments (policy_id, role_id);

CREATE TABLE user_policy_attachments (
  user_id TEXT NOT NULL REFERENCES users (id),
  policy_id TEXT NOT NULL REFERENCES managed_policies (id),
  PRIMARY KEY (user_id, policy_id)
);
CREATE INDEX user_policy_attachments_by_policy ON user_policy_attachments (policy_id, user_id);

CREATE TABLE oidc_providers (
  account_id TEXT NOT NULL REFERENCES accounts (id),
  arn TEXT NOT NULL,
  url TEXT NOT NULL,
  client_ids TEXT NOT NULL,
  thumbprints TEXT NOT NULL,
  tags TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  PRIMARY KEY (account_id, arn)
);

CREATE TABLE signing_keys (
  kid TEXT PRIMARY KEY,
  alg TEXT NOT NULL,
  private_key_pem TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  retired_at BIGINT
);
CREATE INDEX signing_keys_by_age ON signing_keys (created_at, kid);

CREATE TABLE sealing_keys (
  id TEXT PRIMARY KEY,
  key_bytes BLOB NOT NULL,
  created_at BIGINT NOT NULL,
  retired_at BIGINT
);
CREATE INDEX sealing_keys_by_age ON sealing_keys (created_at, id);

CREATE TABLE service_accounts (
  namespace TEXT NOT NULL,
  name TEXT NOT NULL,
  uid TEXT NOT NULL,
  annotations TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  PRIMARY KEY (namespace, name)
);
CREATE UNIQUE INDEX service_accounts_by_uid ON service_accounts (uid);
`,
  },
  {
    version: 2,
    name: 'manifest objects: what each manifest file created, for apply --prune',
    sql: `
CREATE TABLE manifest_objects (
  account_id TEXT NOT NULL REFERENCES accounts (id),
  kind TEXT NOT NULL CHECK (kind IN ('Role', 'Policy', 'OpenIDConnectProvider', 'ServiceAccount')),
  object_key TEXT NOT NULL,
  source TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  PRIMARY KEY (account_id, kind, object_key)
);
`,
  },
  {
    version: 3,
    name: 'S3: buckets and object metadata',
    sql: `
CREATE TABLE buckets (
  name TEXT PRIMARY KEY,
  account_id TEXT NOT NULL REFERENCES accounts (id),
  region TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  policy TEXT,
  public_access_block TEXT
);
CREATE INDEX buckets_by_account ON buckets (account_id, name);

CREATE TABLE objects (
  bucket TEXT NOT NULL REFERENCES buckets (name),
  object_key TEXT NOT NULL,
  size BIGINT NOT NULL,
  etag TEXT NOT NULL,
  content_type TEXT,
  content_encoding TEXT,
  content_disposition TEXT,
  content_language TEXT,
  cache_control TEXT,
  expires TEXT,
  metadata TEXT NOT NULL,
  checksums TEXT NOT NULL,
  last_modified BIGINT NOT NULL,
  blob_id TEXT NOT NULL,
  PRIMARY KEY (bucket, object_key)
);
CREATE INDEX objects_by_blob ON objects (blob_id);
`,
  },
  {
    version: 4,
    name: 'S3: multipart uploads and their parts, object tags',
    sql: `
CREATE TABLE uploads (
  bucket TEXT NOT NULL REFERENCES buckets (name),
  object_key TEXT NOT NULL,
  upload_id TEXT NOT NULL UNIQUE,
  initiated BIGINT NOT NULL,
  initiator TEXT NOT NULL,
  content_type TEXT,
  content_encoding TEXT,
  content_disposition TEXT,
  content_language TEXT,
  cache_control TEXT,
  expires TEXT,
  metadata TEXT NOT NULL,
  checksum_algorithm TEXT,
  tags TEXT,
  PRIMARY KEY (bucket, object_key, upload_id)
);

CREATE TABLE upload_parts (
  upload_id TEXT NOT NULL REFERENCES uploads (upload_id),
  part_number INTEGER NOT NULL,
  size BIGINT NOT NULL,
  etag TEXT NOT NULL,
  checksums TEXT NOT NULL,
  last_modified BIGINT NOT NULL,
  blob_id TEXT NOT NULL,
  PRIMARY KEY (upload_id, part_number)
);
CREATE INDEX upload_parts_by_blob ON upload_parts (blob_id);

ALTER TABLE objects ADD COLUMN tags TEXT;
`,
  },
  {
    version: 5,
    name: 'S3: the bytes of small objects, kept in the store (docs/storage.md)',
    // A table of its own, not a column of objects: listings and metadata reads never touch the bytes.
    // An object is inline exactly when its blob_id has a row here (s3/blob-store.ts, INLINE_MAX).
    sql: `
CREATE TABLE object_bytes (
  blob_id TEXT PRIMARY KEY,
  bytes BLOB NOT NULL
);
`,
  },
  {
    version: 6,
    name: 'S3: objects say whether their bytes are inline; only file blobs are indexed by blob id',
    // inline_bytes is 1 exactly when object_bytes holds the row's blob_id (both written in one
    // transaction, store/sqlite/objects.ts). The index by blob id serves the orphan sweep, which asks
    // about files only: inline rows leave it, so an overwrite of an inline object no longer deletes and
    // inserts an entry keyed by a random hash (4 KiB overwrites, 8 rows per commit: 1.56 → 0.91 WAL
    // pages and 18.7-21.7 → 13.6-15.2 µs per row). A partial index: PostgreSQL has them too.
    sql: `
ALTER TABLE objects ADD COLUMN inline_bytes INTEGER NOT NULL DEFAULT 0;
UPDATE objects SET inline_bytes = 1 WHERE blob_id IN (SELECT blob_id FROM object_bytes);
DROP INDEX objects_by_blob;
CREATE INDEX objects_by_file_blob ON objects (blob_id) WHERE inline_bytes = 0;
`,
  },
];

/** The schema version this code writes: the last migration's. */
export const SCHEMA_VERSION = latestVersion(MIGRATIONS);

/**
 * Brings the database to the last of `migrations`, all in one immediate transaction (so two processes
 * opening the same file at once apply each migration once), and returns the version it is at. Refuses a
 * database whose schema is newer than the code: an older openirsa must not write to it.
 */
export function migrate(
  db: BetterSqlite3.Database,
  options: { readonly location: string; readonly clock: Clock; readonly migrations?: readonly Migration[] },
): number {
  const migrations = options.migrations ?? MIGRATIONS;
  const latest = latestVersion(migrations);
  const apply = db.transaction(() => {
    db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
  version INTEGER PRIMARY KEY,
  name TEXT NOT NULL,
  applied_at BIGINT NOT NULL
)`);
    const row = db.prepare('SELECT MAX(version) AS version FROM schema_migrations').get() as {
      version: number | null;
    };
    const current = row.version ?? 0;
    if (current > latest) {
      throw new Error(
        `database \`${options.location}\` has schema version ${current}, newer than the ${latest} this openirsa knows: open it with the openirsa that wrote it, or a newer one`,
      );
    }
    const record = db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)');
    for (const migration of migrations) {
      if (migration.version <= current) continue;
      db.exec(migration.sql);
      record.run(migration.version, migration.name, options.clock.now());
    }
    return latest;
  });
  return apply.immediate();
}

function latestVersion(migrations: readonly Migration[]): number {
  let latest = 0;
  for (const m of migrations) {
    // INVARIANT: versions are 1, 2, 3, ... in order, so "apply everything above the current one" is right.
    if (m.version !== latest + 1) throw new TypeError(`migration ${m.version} is out of order`);
    latest = m.version;
  }
  return latest;
}
