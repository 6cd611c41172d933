import { AsyncLocalStorage } from 'node:async_hooks';
import type BetterSqlite3 from 'better-sqlite3';

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
  private closed = false;
  /** `.immediate(work)` / `.deferred(work)` run `work` inside BEGIN, or a SAVEPOINT when one is open. */
  private readonly atomically: BetterSqlite3.Transaction<(work: () => unknown) => unknown>;

  constructor(readonly db: BetterSqlite3.Database) {
    this.atomically = db.transaction((work: () => unknown) => work());
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

  /** Runs reads of several statements in one snapshot (a deferred transaction: no write lock). */
  snapshot<T>(work: () => T): Promise<T> {
    return this.whenOurTurn(() => this.atomically.deferred(work) as T);
  }

  /**
   * Runs a unit of work all-or-nothing. Immediate, so the write lock is taken up front and a second
   * process can never fail it halfway with SQLITE_BUSY.
   */
  write<T>(work: () => T): Promise<T> {
    return this.whenOurTurn(() => this.atomically.immediate(work) as T);
  }

  async transaction<T>(fn: () => Promise<T>): Promise<T> {
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
    let end = () => {};
    const tx: OpenTransaction = {
      done: new Promise<void>((resolve) => {
        end = resolve;
      }),
      ended: false,
    };
    this.open = tx;
    try {
      this.db.exec('BEGIN IMMEDIATE');
      const result = await this.context.run(tx, fn);
      if (tx.nestedFailure !== undefined) throw tx.nestedFailure.error;
      this.db.exec('COMMIT');
      return result;
    } catch (error) {
      if (this.db.inTransaction) this.db.exec('ROLLBACK');
      throw error;
    } finally {
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

  private assertOpen(): void {
    if (this.closed) throw new Error('the store is closed');
  }
}
