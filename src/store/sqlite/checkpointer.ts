import { once } from 'node:events';
import { Worker } from 'node:worker_threads';

/** A worker's answer to one checkpoint request (SQLite's `wal_checkpoint` result row, or the failure). */
export type CheckpointAnswer =
  | { readonly ok: true; readonly busy: number; readonly log: number; readonly checkpointed: number }
  | { readonly ok: false; readonly message: string };

/** Background checkpoints begin at most this often while commits keep coming. */
export const CHECKPOINT_INTERVAL_MS = 200;

/**
 * The store connection's own automatic checkpoint while a `Checkpointer` runs: a safety net, reached only
 * if the background checkpoints fall behind or fail (40 MB of WAL at 4 KiB pages), instead of SQLite's
 * default of 1000 pages.
 */
export const SAFETY_NET_PAGES = 10_000;

/** SQLite's own automatic checkpoint threshold (its default), restored when background checkpoints fail. */
export const DEFAULT_AUTOCHECKPOINT_PAGES = 1000;

/** A worker idle this long ends, so an idle server (or a test's short-lived store) holds no thread. */
export const CHECKPOINT_WORKER_IDLE_MS = 5000;

/**
 * SQLite's automatic checkpoint runs inside the COMMIT that crosses 1000 WAL pages, on the event loop:
 * it fsyncs the WAL, copies the pages into the database file and fsyncs it. With small objects inline in
 * the store (docs/storage.md) that is every ~200 PutObjects, and it cost ~30 µs of main-thread time per
 * 4 KiB row (a micro-benchmark of 4-row commits: 74 µs/row with it, 43 µs/row without), stalling every
 * request behind it for milliseconds.
 *
 * A `Checkpointer` moves that work to a worker thread with its own connection (checkpoint-worker.ts),
 * which runs PASSIVE checkpoints: they never block the store's reads or commits, and are crash-safe by
 * SQLite's design (a frame is only dropped from the WAL once it is in the fsynced database). The store
 * calls `nudge` after every commit of its connection (database.ts `afterCommit`); a checkpoint then
 * begins at once, or, if one began less than `intervalMs` ago, once that long has passed — one at a time, none while no commits come. The store's
 * connection keeps an automatic checkpoint at SAFETY_NET_PAGES, so a worker that fails or falls behind
 * costs speed, never an unbounded WAL. After a failure no more are tried (the safety net serves).
 * One per store: no module-level state.
 */
export class Checkpointer {
  #worker: Worker | undefined;
  #running = false;
  #again = false;
  #failed = false;
  #closed = false;
  #lastStart = Number.NEGATIVE_INFINITY;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #idleTimer: ReturnType<typeof setTimeout> | undefined;
  #idle: (() => void)[] = [];
  /** The worker's ending, once begun (by the idle timer, a failure or `close`): `close` awaits it. */
  #stopping: Promise<void> = Promise.resolve();
  /** Called once, when a checkpoint fails and no more will be tried (the store restores its own). */
  onFailed: (() => void) | undefined;
  /** Checkpoints run, frames they copied into the database, and failures (for tests and diagnostics). */
  readonly stats = { runs: 0, checkpointed: 0, failures: 0 };

  constructor(
    private readonly path: string,
    private readonly intervalMs = CHECKPOINT_INTERVAL_MS,
    private readonly idleMs = CHECKPOINT_WORKER_IDLE_MS,
    private readonly now: () => number = () => performance.now(),
    /** Makes the worker thread (for tests: one that cannot start). */
    private readonly startWorker: (path: string) => Worker = (path) =>
      new Worker(new URL('./checkpoint-worker.js', import.meta.url), { workerData: { path } }),
  ) {
    if (!Number.isFinite(intervalMs) || intervalMs < 0) {
      throw new TypeError(`intervalMs must be a non-negative number, got ${String(intervalMs)}`);
    }
  }

  /** Says a commit has added frames to the WAL: a checkpoint follows, at once or within `intervalMs`. */
  nudge(): void {
    if (this.#closed || this.#failed) return;
    if (this.#running) {
      this.#again = true;
      return;
    }
    if (this.#timer !== undefined) return;
    const wait = this.#lastStart + this.intervalMs - this.now();
    if (wait > 0) {
      // Kept referenced: it delays an exit by at most `intervalMs`, and `close` clears it.
      this.#timer = setTimeout(() => {
        this.#timer = undefined;
        this.#run();
      }, wait);
      return;
    }
    this.#run();
  }

  /** Resolves once no checkpoint is running or waiting to begin (for tests). */
  whenIdle(): Promise<void> {
    if (!this.#running && this.#timer === undefined) return Promise.resolve();
    return new Promise((resolve) => this.#idle.push(resolve));
  }

  /** Whether a worker thread is running now (for tests). */
  get hasWorker(): boolean {
    return this.#worker !== undefined;
  }

  /** Lets a running checkpoint finish, then ends the worker and its connection. Idempotent. */
  async close(): Promise<void> {
    this.#closed = true;
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
    await this.whenIdle();
    await this.#stopWorker();
    // An ending begun earlier (idle timer, failure) may still be under way: the worker's connection must
    // be closed before the store closes its own (the store's is the last, and ends the WAL).
    await this.#stopping;
  }

  #run(): void {
    if (this.#closed || this.#failed) return this.#settle();
    if (this.#idleTimer !== undefined) clearTimeout(this.#idleTimer);
    this.#idleTimer = undefined;
    this.#running = true;
    this.#lastStart = this.now();
    try {
      const worker = this.#workerNow();
      // Referenced while a checkpoint runs (so a caller awaiting `whenIdle` sees its end), not otherwise.
      worker.ref();
      worker.postMessage('checkpoint');
    } catch (error) {
      // A worker that cannot start is a failed checkpoint, answered now: otherwise `#running` would stay
      // set, with no answer to come, and `whenIdle` and `close` would wait forever.
      this.#answered({
        ok: false,
        message: `the checkpoint worker could not start: ${error instanceof Error ? error.message : String(error)}`,
      });
    }
  }

  #workerNow(): Worker {
    if (this.#worker !== undefined) return this.#worker;
    const worker = this.startWorker(this.path);
    // An idle worker never keeps the process alive.
    worker.unref();
    worker.on('message', (answer: CheckpointAnswer) => this.#answered(answer));
    const gone = () => {
      if (this.#worker !== worker) return;
      this.#worker = undefined;
      if (this.#running) this.#answered({ ok: false, message: 'the checkpoint worker exited' });
    };
    worker.on('error', gone);
    worker.on('exit', gone);
    this.#worker = worker;
    return worker;
  }

  #answered(answer: CheckpointAnswer): void {
    this.#running = false;
    this.#worker?.unref();
    if (answer.ok) {
      this.stats.runs++;
      this.stats.checkpointed += answer.checkpointed;
    } else {
      this.stats.failures++;
      if (!this.#failed) this.onFailed?.();
      this.#failed = true;
      void this.#stopWorker();
    }
    if (this.#again && !this.#closed && !this.#failed) {
      this.#again = false;
      this.nudge();
    } else {
      this.#again = false;
    }
    if (this.#worker !== undefined && !this.#running) {
      this.#idleTimer = setTimeout(() => void this.#stopWorker(), this.idleMs);
      this.#idleTimer.unref();
    }
    this.#settle();
  }

  #settle(): void {
    if (this.#running || this.#timer !== undefined) return;
    const waiting = this.#idle;
    this.#idle = [];
    for (const resolve of waiting) resolve();
  }

  async #stopWorker(): Promise<void> {
    if (this.#idleTimer !== undefined) clearTimeout(this.#idleTimer);
    this.#idleTimer = undefined;
    const worker = this.#worker;
    if (worker === undefined || this.#running) return;
    this.#worker = undefined;
    // The worker is idle (no checkpoint in flight): it closes its connection and ends. A worker that does
    // not end within a second is terminated (its idle connection holds no lock).
    const exited = once(worker, 'exit');
    const previous = this.#stopping;
    let ended = () => {};
    this.#stopping = Promise.all([previous, new Promise<void>((resolve) => (ended = resolve))]).then(
      () => undefined,
    );
    // Referenced until it has ended, so that a caller awaiting `close` sees it end.
    worker.ref();
    worker.postMessage('close');
    const timer = setTimeout(() => void worker.terminate(), 1000);
    timer.unref();
    await exited.catch(() => undefined);
    clearTimeout(timer);
    ended();
  }
}
