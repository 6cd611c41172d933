import { closeSync, openSync } from 'node:fs';
import Database from 'better-sqlite3';
import { systemClock, type Clock } from '../../shared/clock.js';
import type { Store, StoreScope } from '../types.js';
import { sqliteAccessKeys } from './access-keys.js';
import { sqliteAccounts } from './accounts.js';
import { sqliteBuckets } from './buckets.js';
import { SqliteDatabase } from './database.js';
import { sqliteManagedPolicies } from './managed-policies.js';
import { sqliteManifestObjects } from './manifest-objects.js';
import { migrate } from './migrations.js';
import { sqliteObjects } from './objects.js';
import { sqliteOidcProviders } from './oidc-providers.js';
import { sqliteRoles } from './roles.js';
import { sqliteSealingKeys, sqliteSigningKeys } from './server-keys.js';
import { sqliteServiceAccounts } from './service-accounts.js';
import { sqliteUploads } from './uploads.js';
import { sqliteUsers } from './users.js';
import { Checkpointer, DEFAULT_AUTOCHECKPOINT_PAGES, SAFETY_NET_PAGES } from './checkpointer.js';
import { heldFileSyncs, walSync, type FileSync } from './wal-sync.js';

/** The name of the database file in the data directory (`--data`, default `./.openirsa`). */
export const SQLITE_FILE_NAME = 'openirsa.sqlite';

/** Where and how to open the embedded store. */
export interface SqliteStoreOptions {
  /** A file path (created when missing; its directory must exist), or `:memory:` for tests. */
  readonly path: string;
  /** How long a write waits for another process's write lock before failing. 5000 ms when absent. */
  readonly busyTimeoutMs?: number;
  /** Stamps `schema_migrations.applied_at`. */
  readonly clock?: Clock;
  /** The fsync `transactionSyncedLater` makes of the -wal file (and once of its directory). For tests. */
  readonly syncFile?: FileSync;
  /** How often cached reads look for other connections' commits (database.ts `OTHER_CONNECTIONS_CHECK_MS`). */
  readonly otherConnectionsCheckMs?: number;
  /** Look for them once per request that arrived instead (database.ts `checkOthersPerRequest`). */
  readonly checkOthersPerRequest?: boolean;
  /**
   * Whether WAL checkpoints run in a worker thread on a connection of its own (checkpointer.ts) instead
   * of inside a commit on the event loop; true when absent. Only a file in WAL mode has them.
   */
  readonly backgroundCheckpoints?: boolean;
}

/**
 * Opens (creating when missing) the embedded store: one SQLite file in WAL mode, foreign keys on,
 * `synchronous = FULL` (a commit that returned survives a power cut), a busy timeout for other processes
 * on the same file, and the schema migrated to `SCHEMA_VERSION` before anything else runs. Throws when
 * the file holds a schema newer than this code knows.
 */
export function openSqliteStore(options: SqliteStoreOptions): Store {
  const connection = openSqliteConnection(options);
  const db = new SqliteDatabase(connection, {
    ...(options.otherConnectionsCheckMs !== undefined
      ? { otherConnectionsCheckMs: options.otherConnectionsCheckMs }
      : {}),
    ...(options.checkOthersPerRequest === true ? { checkOthersPerRequest: true } : {}),
  });
  // Only a file in WAL mode has a -wal file to fsync later; `:memory:` and URIs commit as `transaction`.
  // Its descriptor is kept open while the connection is (wal-sync.ts, heldFileSyncs).
  const held = heldFileSyncs();
  const wal =
    connection.pragma('journal_mode', { simple: true }) === 'wal' && !options.path.startsWith('file:')
      ? walSync(options.path, options.syncFile ?? held.sync)
      : undefined;
  // Checkpoints off the event loop (checkpointer.ts); the connection's own stays, as a safety net.
  const checkpointer =
    wal !== undefined && options.backgroundCheckpoints !== false ? new Checkpointer(options.path) : undefined;
  if (checkpointer !== undefined) {
    connection.pragma(`wal_autocheckpoint = ${SAFETY_NET_PAGES}`);
    // No more background checkpoints: SQLite's own, at its default, instead of the safety net's 40 MB.
    checkpointer.onFailed = () => {
      if (connection.open) connection.pragma(`wal_autocheckpoint = ${DEFAULT_AUTOCHECKPOINT_PAGES}`);
    };
  }
  // Every commit of the store's connection nudges them, a single-statement write's too (database.ts
  // `afterCommit`): before session 7 only transactions did, and a load of single-statement writes
  // (DeleteObject, tagging, the group commit's per-row fallback) left checkpoints to the safety net,
  // inside a COMMIT on the event loop.
  if (checkpointer !== undefined) db.afterCommit = () => checkpointer.nudge();
  const scope: StoreScope = {
    accounts: sqliteAccounts(db),
    accessKeys: sqliteAccessKeys(db),
    users: sqliteUsers(db),
    roles: sqliteRoles(db),
    managedPolicies: sqliteManagedPolicies(db),
    oidcProviders: sqliteOidcProviders(db),
    signingKeys: sqliteSigningKeys(db),
    sealingKeys: sqliteSealingKeys(db),
    serviceAccounts: sqliteServiceAccounts(db),
    manifestObjects: sqliteManifestObjects(db),
    buckets: sqliteBuckets(db),
    objects: sqliteObjects(db),
    uploads: sqliteUploads(db),
    requestArrived: () => db.requestArrived(),
    transaction: (fn) => db.transaction(() => fn(scope)),
    transactionSyncedLater: (fn) =>
      wal === undefined ? db.transaction(() => fn(scope)) : db.transactionSyncedLater(() => fn(scope), wal),
  };
  return {
    ...scope,
    close: async () => {
      // The worker's connection first, so that the store's is the last and SQLite ends the WAL with it.
      await checkpointer?.close();
      await db.close();
      await held.close();
    },
  };
}

/** The connection `openSqliteStore` runs on, configured and migrated. Exported for its tests. */
export function openSqliteConnection(options: SqliteStoreOptions): Database.Database {
  // The database holds access-key secrets: create it readable by its owner only. SQLite gives the
  // -wal and -shm files the database file's permissions.
  if (options.path !== ':memory:' && !options.path.startsWith('file:')) {
    closeSync(openSync(options.path, 'a', 0o600));
  }
  const connection = new Database(options.path, { timeout: options.busyTimeoutMs ?? 5000 });
  try {
    // `:memory:` answers `memory`: WAL needs a file, and a private database has no other reader anyway.
    connection.pragma('journal_mode = WAL');
    connection.pragma('synchronous = FULL');
    connection.pragma('foreign_keys = ON');
    // SQLite ignores the pragma where foreign keys are compiled out; an object put relies on them to refuse
    // a missing bucket (objects.ts), so a build without them must not open a store at all.
    if (connection.pragma('foreign_keys', { simple: true }) !== 1) {
      throw new Error('this SQLite build does not enforce foreign keys, which the store needs');
    }
    migrate(connection, { location: options.path, clock: options.clock ?? systemClock });
    return connection;
  } catch (error) {
    connection.close();
    throw error;
  }
}
