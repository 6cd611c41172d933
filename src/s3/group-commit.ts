import type { S3Object } from '../store/objects.js';
import { UnsyncedCommitError } from '../store/errors.js';
import type { StoreScope } from '../store/types.js';

/** One object row waiting for its batch. */
interface Pending {
  readonly store: StoreScope;
  readonly object: S3Object;
  /** An inline object's bytes, committed with its row (ObjectStore.put). */
  readonly bytes: Uint8Array | undefined;
  resolve(replaced: S3Object | undefined): void;
  reject(error: unknown): void;
}

/** The outcome of one row of a batch. */
type Outcome =
  | { readonly ok: true; readonly replaced: S3Object | undefined }
  | { readonly ok: false; readonly error: unknown };

/** Rows per transaction at most: a bound on how long one commit holds the write lock. */
export const MAX_BATCH = 256;

/** How long waiting rows wait for blob writes still in progress to join them, at most. */
export const COMMIT_WINDOW_MS = 2;

/**
 * Group commit of object metadata rows: the rows of PutObjects whose blobs became durable together go
 * into one store transaction, so one commit (one fsync of SQLite's WAL under `synchronous = FULL`)
 * serves all of them, where each PutObject used to pay its own.
 *
 * Durability is unchanged: a caller enqueues its row only once its blob file is fsynced, renamed and
 * its directory fsynced (BlobStore.write) — or, for an inline object, with its bytes, which go into the
 * same transaction as the row (docs/storage.md) — and `put` resolves only once the transaction holding
 * the row has committed and its WAL is fsynced — so "bytes durable → metadata committed → answered" holds
 * for every request. A crash before the commit leaves the blob an orphan for the start-up sweep, as before.
 * The batch commits through `transactionSyncedLater`: SQLite's WAL fsync runs off the event loop
 * (it used to block every request for 2–4 ms per batch), and `put` still resolves only after it. If
 * that fsync fails, the rows are committed but may not be durable: every row of the batch fails with
 * `UnsyncedCommitError` (its PutObject answers 500 and keeps both blobs) and is not retried alone.
 *
 * Batching: when no other blob write is in progress, the first row of an idle committer is flushed at
 * the end of the current turn of the event loop (`setImmediate`), so every row whose blob finished in
 * the same turn joins it; while writes are in progress (BlobStore.write says so through `beginWrite`),
 * rows wait for them up to COMMIT_WINDOW_MS, and the batch goes as soon as the last one has ended.
 * Rows that arrive while a flush is running wait for the next one (one flush at a time, in order). One
 * row's failure (its bucket was deleted meanwhile: `notFound`) fails that row alone — its write rolls
 * back to its own savepoint; if the transaction itself fails, each row is retried on its own, so no
 * row's outcome depends on another's. One instance per server, owned by its blob store.
 */
export class GroupCommit {
  #queue: Pending[] = [];
  #flushing = false;
  #scheduled = false;
  #timer: ReturnType<typeof setTimeout> | undefined;
  /** Blob writes in progress: each may end in a row that could join the next batch. */
  #writing = 0;
  /** Batches committed so far, and rows in them (for tests and diagnostics). */
  readonly stats = { batches: 0, rows: 0 };

  constructor(
    private readonly maxBatch = MAX_BATCH,
    private readonly windowMs = COMMIT_WINDOW_MS,
  ) {
    if (!Number.isSafeInteger(maxBatch) || maxBatch < 1) {
      throw new TypeError(`maxBatch must be a positive integer, got ${String(maxBatch)}`);
    }
  }

  /**
   * Says a blob write has begun whose row may come here; the function returned says it has ended
   * (idempotent). While writes are in progress, waiting rows give them up to `windowMs` to join.
   */
  beginWrite(): () => void {
    this.#writing++;
    let ended = false;
    return () => {
      if (ended) return;
      ended = true;
      this.#writing--;
      this.#schedule();
    };
  }

  /**
   * Creates or replaces the object's row as `ObjectStore.put` does (with `bytes`, an inline object), in
   * the next batch; resolves with the row it replaced once the batch has committed, or rejects with this
   * row's own failure.
   */
  put(store: StoreScope, object: S3Object, bytes?: Uint8Array): Promise<S3Object | undefined> {
    return new Promise((resolve, reject) => {
      this.#queue.push({ store, object, bytes, resolve, reject });
      this.#schedule();
    });
  }

  /**
   * Flushes at the end of this turn when no write that could join is in progress (or the batch is
   * full); otherwise within `windowMs` (PostgreSQL's commit_delay, bounded): a commit blocks the event
   * loop for an fsync, so committing rows one or two at a time would stall every request behind it.
   */
  #schedule(): void {
    if (this.#scheduled || this.#flushing || this.#queue.length === 0) return;
    if (this.#writing > 0 && this.#queue.length < this.maxBatch) {
      this.#timer ??= setTimeout(() => {
        this.#timer = undefined;
        this.#flushNow();
      }, this.windowMs);
      return;
    }
    this.#flushNow();
  }

  #flushNow(): void {
    if (this.#scheduled || this.#flushing) return;
    if (this.#timer !== undefined) {
      clearTimeout(this.#timer);
      this.#timer = undefined;
    }
    this.#scheduled = true;
    setImmediate(() => {
      this.#scheduled = false;
      void this.#flush();
    });
  }

  async #flush(): Promise<void> {
    this.#flushing = true;
    try {
      const batch = this.#queue.splice(0, this.maxBatch);
      // Rows of different stores (two servers in one test process) commit apart, each in its own batch.
      const byStore = new Map<StoreScope, Pending[]>();
      for (const p of batch) {
        const rows = byStore.get(p.store);
        if (rows === undefined) byStore.set(p.store, [p]);
        else rows.push(p);
      }
      for (const [store, rows] of byStore) await this.#commit(store, rows);
    } finally {
      this.#flushing = false;
      this.#schedule();
    }
  }

  async #commit(store: StoreScope, rows: readonly Pending[]): Promise<void> {
    let outcomes: Outcome[];
    try {
      outcomes = await store.transactionSyncedLater(async (tx) => {
        const out: Outcome[] = [];
        for (const p of rows) {
          try {
            out.push({ ok: true, replaced: await tx.objects.put(p.object, p.bytes) });
          } catch (error) {
            out.push({ ok: false, error });
          }
        }
        return out;
      });
      this.stats.batches++;
      this.stats.rows += rows.length;
    } catch (error) {
      // Committed but not durable: every row fails (its PUT answers 500, its replaced blob is kept).
      // Retrying the rows one by one would report success for writes a crash may still lose.
      if (error instanceof UnsyncedCommitError) {
        for (const p of rows) p.reject(error);
        return;
      }
      // The batch rolled back whole (the commit itself failed): each row on its own, as without batching.
      outcomes = [];
      for (const p of rows) {
        try {
          outcomes.push({ ok: true, replaced: await store.objects.put(p.object, p.bytes) });
        } catch (error) {
          outcomes.push({ ok: false, error });
        }
      }
    }
    for (const [i, p] of rows.entries()) {
      const o = outcomes[i];
      if (o === undefined) p.reject(new Error('a group commit lost a row'));
      else if (o.ok) p.resolve(o.replaced);
      else p.reject(o.error);
    }
  }
}
