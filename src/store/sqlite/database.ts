import { AsyncLocalStorage } from 'node:async_hooks';
import type BetterSqlite3 from 'better-sqlite3';
import { UnsyncedCommitError, UnwritableStoreError } from '../errors.js';

/** Most results `cachedRead` keeps; past it the oldest goes. */
const MAX_CACHED_READS = 1024;

/**
 * How long `cachedRead` may serve kept results before it checks for commits by other connections again
 * (`PRAGMA data_version`, which costs a read transaction). ⚠ Our decision, not an AWS figure: a commit
 * by another connection (another process on the same file, such as `openirsa webhook --data`, or a
 * second store in tests) is seen by cached reads at most this late. IAM itself is eventually
 * consistent ("changes ... can take time to become visible", IAM User Guide, "Troubleshoot IAM"), and
 * every change made through this server's own connection is seen at once. Checked once per 100 ms,
 * the read transaction costs a few µs per hundreds of requests instead of ~3 µs on every cached read
 * (a cached `store.roles.get` took 3.93 µs checking every time, 0.60 µs so; `PRAGMA data_version` alone
 * 0.7–0.9 µs in a loop). `openirsa up --workers N` must see its workers' commits at once: its primary
 * checks with 0, on every cached read, and each worker once per request (`checkOthersPerRequest`).
 */
export const OTHER_CONNECTIONS_CHECK_MS = 100;

/** How `SqliteDatabase` serves `cachedRead`. */
export interface SqliteDatabaseOptions {
  /** See `OTHER_CONNECTIONS_CHECK_MS` (the default); 0 checks on every cached read. */
  readonly otherConnectionsCheckMs?: number;
  /** A monotonic clock in ms for that interval (`performance.now` by default). For tests. */
  readonly monotonicNow?: () => number;
  /**
   * Look for other connections' commits when a request has arrived since the last look
   * (`requestArrived`), instead of by the clock (`otherConnectionsCheckMs` is then ignored). For a
   * store that other processes serve too (`openirsa up --workers N`): every request sees what was
   * committed before it arrived, at the cost of one `PRAGMA data_version` per request that reads a
   * cached result, not one per cached read.
   */
  readonly checkOthersPerRequest?: boolean;
}

/** Freezes a decoded row (plain objects and arrays) all the way down, and returns it. */
function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const member of Object.values(value)) deepFreeze(member);
  }
  return value;
}

/** A transaction opened by `SqliteDatabase.transaction`, as the async context that runs it sees it. */
interface OpenTransaction {
  /** Resolves when the transaction has committed or rolled back. */
  readonly done: Promise<void>;
  ended: boolean;
  /** The first failure of a nested transaction: it dooms the whole transaction. */
  nestedFailure?: { readonly error: unknown };
}

/**
 * One better-sqlite3 connection shared by the aggregates of one store: its prepared statements (cached
 * per instance) and the turn-taking that makes an async `transaction` safe on a synchronous driver.
 *
 * better-sqlite3 runs each statement synchronously, so a single call can never interleave with another.
 * A `transaction(fn)` spans awaits, though: while it is open, calls from other async contexts would
 * land inside it. So it is marked with an AsyncLocalStorage: calls from inside its context run at once
 * (they are part of it); calls from anywhere else wait until it has ended. When no transaction is open
 * every call runs at once, without waiting a tick for nothing.
 *
 * The AsyncLocalStorage is disabled whenever no transaction is open: while any is enabled, Node runs a
 * hook on every promise the process creates (most of them on the request path, none of them ours), and
 * outside a transaction there is nothing to mark. `context.run` enables it again for the next one.
 */
export class SqliteDatabase {
  private readonly statements = new Map<string, BetterSqlite3.Statement>();
  private readonly context = new AsyncLocalStorage<OpenTransaction>();
  private open: OpenTransaction | undefined;
  /**
   * `cachedRead` results by scope (a key's text before its first NUL: `bucket`, `object`, ...), valid
   * while `total_changes()` and `data_version` are as below. Bounded (MAX_CACHED_READS in all).
   */
  private readonly cache = new Map<string, Map<string, unknown>>();
  /** Results kept, over every scope. */
  private cacheSize = 0;
  /** `total_changes()` when the cache was last checked: -1 before the first check. */
  private cacheChanges = -1;
  /** Changes made by `writeIn` since the last check, and the scopes they were in. */
  private scopedChanges = 0;
  private readonly scopesChanged = new Set<string>();
  /** `PRAGMA data_version` when the cache was last checked for other connections' commits. */
  private cacheVersion = -1;
  /** `monotonicNow()` of that check. */
  private versionCheckedAt = 0;
  private readonly otherConnectionsCheckMs: number;
  private readonly checkOthersPerRequest: boolean;
  /** Requests marked by `requestArrived`, and their number at the last look at other connections. */
  private arrivals = 0;
  private arrivalsAtCheck = 0;
  private readonly monotonicNow: () => number;
  private readonly totalChanges: BetterSqlite3.Statement;
  private readonly dataVersion: BetterSqlite3.Statement;
  private closed = false;
  /** The first failed WAL fsync of `transactionSyncedLater`: no write is taken after it (`assertWritable`). */
  private walSyncFailure: { readonly cause: unknown } | undefined;
  /**
   * Called after each COMMIT of this connection, whatever made it: a `write` or `writeIn`, or a
   * `transaction` or `transactionSyncedLater` that is not nested in another (a nested one commits with
   * its outer transaction, and a rolled-back one commits nothing); for `transactionSyncedLater`, once its
   * WAL fsync has ended. Synchronous; outside any transaction, but for that last case, where another
   * async context may have begun one meanwhile.
   * The store nudges its background checkpoints here (checkpointer.ts). A throw from it is ignored: the
   * work did commit, and must not read as failed.
   */
  afterCommit: (() => void) | undefined;
  /** `.immediate(work)` / `.deferred(work)` run `work` inside BEGIN, or a SAVEPOINT when one is open. */
  private readonly atomically: BetterSqlite3.Transaction<(work: () => unknown) => unknown>;

  constructor(
    readonly db: BetterSqlite3.Database,
    options: SqliteDatabaseOptions = {},
  ) {
    this.atomically = db.transaction((work: () => unknown) => work());
    const checkMs = options.otherConnectionsCheckMs ?? OTHER_CONNECTIONS_CHECK_MS;
    if (!Number.isFinite(checkMs) || checkMs < 0) {
      throw new TypeError('otherConnectionsCheckMs must be a non-negative number of milliseconds');
    }
    this.otherConnectionsCheckMs = checkMs;
    this.checkOthersPerRequest = options.checkOthersPerRequest === true;
    this.monotonicNow = options.monotonicNow ?? (() => performance.now());
    this.totalChanges = db.prepare('SELECT total_changes()').pluck();
    this.dataVersion = db.prepare('PRAGMA data_version').pluck();
  }

  /**
   * A request has arrived: with `checkOthersPerRequest`, the next cached read looks for other
   * connections' commits. Why once per arrival is enough: a cached read is served without a look only
   * when no request has arrived since the last look, so that look came after the arrival of the request
   * the read is for, and saw every commit made before that request was sent.
   */
  requestArrived(): void {
    this.arrivals++;
  }

  /** The prepared statement for `sql`, prepared once per connection. */
  statement(sql: string): BetterSqlite3.Statement {
    let s = this.statements.get(sql);
    if (s === undefined) {
      s = this.db.prepare(sql);
      this.statements.set(sql, s);
    }
    return s;
  }

  /** Runs a read of one statement. */
  read<T>(work: () => T): Promise<T> {
    return this.whenOurTurn(work);
  }

  /**
   * Runs a read whose decoded result is kept under `key` while the database stays as it was. Any row
   * this connection changes, whatever the path (`total_changes()`: a plain function call, no read
   * transaction, checked on every call), drops every kept result at once — but changes made only by
   * `writeIn(scope)` drop only the results of that scope (keys that begin `scope` and a NUL). A commit by another
   * connection, in this process or another (`PRAGMA data_version`, which needs a read transaction),
   * drops them too, but is checked at most once per `otherConnectionsCheckMs` (⚠ see
   * `OTHER_CONNECTIONS_CHECK_MS`). Inside an open transaction nothing is kept or served: its writes may
   * yet roll back. Results are shared between callers, so they are frozen.
   */
  cachedRead<T>(key: string, work: () => T): Promise<T> {
    return this.whenOurTurn(() => {
      if (this.db.inTransaction) return work();
      this.checkCache();
      const end = key.indexOf('\u0000');
      const scope = end < 0 ? key : key.slice(0, end);
      let kept = this.cache.get(scope);
      if (kept?.has(key) === true) return kept.get(key) as T;
      const value = work();
      if (this.cacheSize >= MAX_CACHED_READS) this.evictOne();
      if (kept === undefined) {
        kept = new Map();
        this.cache.set(scope, kept);
      }
      kept.set(key, deepFreeze(value));
      this.cacheSize++;
      return value;
    });
  }

  /**
   * As `write`, for a unit of work that changes only rows `cachedRead` keeps under `scope` (the key text
   * before its first NUL): the next cached read drops the results of that scope alone, and keeps the
   * others (an S3 PutObject drops no bucket or access key). The changes it made are counted
   * (`total_changes()` before and after, nothing else can run in between); when the connection's changes
   * since the last check are not exactly the ones counted so (a change by any other path, or work that
   * failed part way), every kept result goes, as after any write. INVARIANT: `work` changes no row that a
   * cached read of another scope reads (no trigger or foreign-key action does it for it either).
   */
  writeIn<T>(scope: string, work: () => T): Promise<T> {
    return this.whenOurTurn(() => {
      this.assertWritable();
      const before = this.totalChanges.get() as number;
      const result = this.atomically.immediate(work) as T;
      this.scopedChanges += (this.totalChanges.get() as number) - before;
      this.scopesChanged.add(scope);
      this.committed();
      return result;
    });
  }

  /** Runs reads of several statements in one snapshot (a deferred transaction: no write lock). */
  snapshot<T>(work: () => T): Promise<T> {
    return this.whenOurTurn(() => this.atomically.deferred(work) as T);
  }

  /**
   * Runs a unit of work all-or-nothing. Immediate, so the write lock is taken up front and a second
   * process can never fail it halfway with SQLITE_BUSY.
   */
  write<T>(work: () => T): Promise<T> {
    return this.whenOurTurn(() => {
      this.assertWritable();
      const result = this.atomically.immediate(work) as T;
      this.committed();
      return result;
    });
  }

  /**
   * After a unit of work that did not throw: `afterCommit`, unless the work ran inside an open
   * transaction (a SAVEPOINT, released into it: that transaction's COMMIT is the one that counts).
   */
  private committed(): void {
    if (!this.db.inTransaction) this.notifyCommit();
  }

  /** `afterCommit`, now: a COMMIT has happened (whatever is open since). */
  private notifyCommit(): void {
    if (this.afterCommit === undefined) return;
    try {
      this.afterCommit();
    } catch {
      // The commit stands (see afterCommit).
    }
  }

  async transaction<T>(fn: () => Promise<T>): Promise<T> {
    return this.runTransaction(fn, false);
  }

  /**
   * As `transaction`, but its COMMIT does not fsync the WAL on the event loop: it runs under
   * `synchronous = NORMAL` (in WAL mode SQLite then writes every frame of the commit, the commit frame
   * included, into the -wal file with plain writes before COMMIT returns), `FULL` is restored at once,
   * and `syncWal` then fsyncs the -wal file off the event loop; the promise resolves only after that, so
   * a caller answers only once its writes are as durable as `transaction` makes them. Other callers run
   * meanwhile (the write lock is released at COMMIT). A checkpoint inside the commit fsyncs the WAL and
   * the database anyway; a later FULL commit fsyncs the same file, these frames included.
   *
   * Trade-off (documented, tested): between COMMIT and the fsync, other readers may already see the
   * writes; a crash in that window loses them although a reader saw them — they were never acknowledged.
   * When `syncWal` fails the writes stay committed but their durability is unknown: the promise rejects
   * with `UnsyncedCommitError` (the result is not returned) and the caller must fail its requests; every
   * later write of this connection fails with `UnwritableStoreError` (`assertWritable`).
   * Nested in an open transaction it simply joins it.
   */
  async transactionSyncedLater<T>(fn: () => Promise<T>, syncWal: () => Promise<void>): Promise<T> {
    const current = this.context.getStore();
    if (current !== undefined && current === this.open && !current.ended) return this.transaction(fn);
    const result = await this.runTransaction(fn, true);
    try {
      await syncWal();
    } catch (cause) {
      this.walSyncFailure ??= { cause };
      throw new UnsyncedCommitError(cause);
    } finally {
      // After the WAL's fsync (or its failure), as the store nudged its checkpoints before the hook
      // existed: a checkpoint begun at COMMIT would fsync the same file alongside `syncWal`.
      this.notifyCommit();
    }
    return result;
  }

  private async runTransaction<T>(fn: () => Promise<T>, relaxed: boolean): Promise<T> {
    const current = this.context.getStore();
    if (current !== undefined && current === this.open && !current.ended) {
      // Nested: join the outer transaction. A failure dooms it even if the outer `fn` catches it.
      try {
        return await fn();
      } catch (error) {
        current.nestedFailure ??= { error };
        throw error;
      }
    }
    while (this.open !== undefined) await this.open.done;
    this.assertOpen();
    this.assertWritable();
    let end = () => {};
    const tx: OpenTransaction = {
      done: new Promise<void>((resolve) => {
        end = resolve;
      }),
      ended: false,
    };
    this.open = tx;
    try {
      // `synchronous` cannot change inside a transaction: NORMAL from just before BEGIN to just after
      // its COMMIT or ROLLBACK (every statement in between is this transaction's), then FULL again.
      // exec, not pragma(): pragma() builds a Statement object and its result rows each time (a pair cost
      // 3.8-4.3 µs per transaction, exec 1.0; node -e, 50,000 pairs). A prepared PRAGMA cannot be kept
      // and re-run instead: SQLite applies `synchronous` when the statement is prepared, not when it runs.
      if (relaxed) this.db.exec('PRAGMA synchronous = NORMAL');
      this.db.exec('BEGIN IMMEDIATE');
      const result = await this.context.run(tx, fn);
      if (tx.nestedFailure !== undefined) throw tx.nestedFailure.error;
      this.db.exec('COMMIT');
      // The relaxed commit's hook follows its WAL fsync (transactionSyncedLater).
      if (!relaxed) this.committed();
      return result;
    } catch (error) {
      if (this.db.inTransaction) this.db.exec('ROLLBACK');
      throw error;
    } finally {
      if (relaxed) this.db.exec('PRAGMA synchronous = FULL');
      tx.ended = true;
      this.open = undefined;
      // Nothing is open, so no context needs marking: no promise hooks until the next transaction.
      this.context.disable();
      end();
    }
  }

  async close(): Promise<void> {
    if (this.open !== undefined && this.context.getStore() === this.open) {
      throw new TypeError('a store cannot be closed from inside its own transaction');
    }
    while (this.open !== undefined) await this.open.done;
    if (this.closed) return;
    this.closed = true;
    this.statements.clear();
    this.clearCache();
    this.db.close();
  }

  /** Runs `work` now, unless another async context's transaction is open: then once it has ended. */
  private async whenOurTurn<T>(work: () => T): Promise<T> {
    let open = this.open;
    while (open !== undefined && this.context.getStore() !== open) {
      await open.done;
      open = this.open;
    }
    this.assertOpen();
    return work();
  }

  /** Drops every kept result if this connection changed a row, or (checked now and then) another committed. */
  private checkCache(): void {
    const changes = this.totalChanges.get() as number;
    const now = this.monotonicNow();
    const since = now - this.versionCheckedAt;
    // A clock that went back (a test's) checks again rather than trusting an interval it cannot measure.
    const checkOthers =
      this.cacheChanges < 0 ||
      (this.checkOthersPerRequest
        ? this.arrivals !== this.arrivalsAtCheck
        : since >= this.otherConnectionsCheckMs || since < 0);
    let version = this.cacheVersion;
    if (checkOthers) {
      version = this.dataVersion.get() as number;
      this.versionCheckedAt = now;
      this.arrivalsAtCheck = this.arrivals;
    }
    if (version !== this.cacheVersion || this.cacheChanges < 0) {
      this.clearCache();
    } else if (changes !== this.cacheChanges) {
      if (changes - this.cacheChanges === this.scopedChanges) {
        // Every change since the last check was made by `writeIn`, in these scopes only.
        for (const scope of this.scopesChanged) this.dropScope(scope);
      } else {
        this.clearCache();
      }
    }
    this.cacheChanges = changes;
    this.cacheVersion = version;
    this.scopedChanges = 0;
    this.scopesChanged.clear();
  }

  private clearCache(): void {
    this.cache.clear();
    this.cacheSize = 0;
  }

  private dropScope(scope: string): void {
    const kept = this.cache.get(scope);
    if (kept === undefined) return;
    this.cacheSize -= kept.size;
    this.cache.delete(scope);
  }

  /**
   * Makes room for one result: the oldest of the largest scope. A scope of few, hot entries (buckets,
   * access keys) is never held to the size it had when the cache filled up, as it was when each scope
   * evicted from itself: a GET load over many keys then made every new bucket or key a miss.
   */
  private evictOne(): void {
    let largest: Map<string, unknown> | undefined;
    for (const kept of this.cache.values())
      if (largest === undefined || kept.size > largest.size) largest = kept;
    const oldest = largest?.keys().next();
    if (largest === undefined || oldest === undefined || oldest.done === true) return;
    largest.delete(oldest.value);
    this.cacheSize--;
  }

  /**
   * Fail-stop after a failed WAL fsync (PostgreSQL's answer to the same problem): Linux reports a
   * writeback error to one fsync only, and the pages it could not write may be dropped, so a later fsync
   * that succeeds proves nothing about the frames before it, and SQLite's recovery stops at the first bad
   * frame — every commit after the gap could be lost although acknowledged. So once one sync has failed,
   * this connection takes no more writes; reads go on. A restart (a new connection) recovers from the
   * WAL as it is on disk.
   */
  private assertWritable(): void {
    if (this.walSyncFailure !== undefined) {
      throw new UnwritableStoreError(this.walSyncFailure.cause);
    }
  }

  private assertOpen(): void {
    if (this.closed) throw new Error('the store is closed');
  }
}
