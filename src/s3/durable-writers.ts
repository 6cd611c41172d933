import { Worker } from 'node:worker_threads';

/** One small blob to make durable (durable-write-worker.ts). */
export interface DurableWriteJob {
  readonly id: number;
  readonly tmp: string;
  readonly target: string;
  readonly bytes: Uint8Array;
}

/** A worker's answer to one job. */
export type DurableWriteAnswer =
  | { readonly id: number; readonly ok: true }
  | { readonly id: number; readonly ok: false; readonly message: string; readonly code?: string };

/** Worker threads at most: as many fsyncs in flight as the libuv threadpool allows by default. */
export const DURABLE_WRITERS = 4;

/** A worker idle this long ends, so an idle server (or a test's short-lived one) holds no threads. */
export const WRITER_IDLE_MS = 5000;

interface Running {
  readonly worker: Worker;
  /** The job in flight, if any: one at a time per worker. */
  current?: Pending;
  idleTimer?: ReturnType<typeof setTimeout>;
}

interface Pending {
  readonly job: DurableWriteJob;
  resolve(): void;
  reject(error: Error): void;
}

/**
 * A small pool of worker threads that make small blobs durable, each job whole in one thread: temporary
 * file, write, fdatasync, close, rename, directory fsync (durable-write-worker.ts), the same steps and
 * order as BlobStore's streamed write. The event loop hands a job over and is told once it is done —
 * two thread hand-offs where the same work on the libuv threadpool took eight round trips (open, write,
 * fdatasync, close, rename, open, fsync, close of the directory), each a wake-up on both sides. Jobs
 * run in parallel up to `size`, so their fsyncs coalesce in the file system's journal. Workers start on
 * demand and end after `idleMs` without work; they never keep the process alive. One pool per blob
 * store: no module-level state.
 */
export class DurableWriters {
  readonly #running: Running[] = [];
  readonly #queue: Pending[] = [];
  #nextId = 0;

  constructor(
    private readonly size = DURABLE_WRITERS,
    private readonly idleMs = WRITER_IDLE_MS,
  ) {
    if (!Number.isSafeInteger(size) || size < 1) {
      throw new TypeError(`size must be a positive integer, got ${String(size)}`);
    }
  }

  /**
   * Writes `bytes` to the new file `tmp`, makes it durable, renames it to `target` and makes the name
   * durable. Rejects with the failure's code (`ENOENT`, `EEXIST`, ...) and message; `tmp` is then gone.
   */
  write(tmp: string, target: string, bytes: Uint8Array): Promise<void> {
    return new Promise((resolve, reject) => {
      // The job's own copy, of exactly its bytes, is moved to the worker (transferred, not cloned): the
      // caller's bytes are often a view into a larger buffer (the socket's read slab, Buffer's shared
      // pool), which postMessage would clone whole and which must never be transferred.
      const own = new Uint8Array(bytes);
      this.#queue.push({ job: { id: ++this.#nextId, tmp, target, bytes: own }, resolve, reject });
      this.#dispatch();
    });
  }

  /** Workers running now (for tests). */
  get threads(): number {
    return this.#running.length;
  }

  #dispatch(): void {
    while (this.#queue.length > 0) {
      let free = this.#running.find((r) => r.current === undefined);
      if (free === undefined) {
        if (this.#running.length >= this.size) return;
        free = this.#start();
      }
      // INVARIANT: the loop runs only while the queue is non-empty.
      const next = this.#queue.shift() as Pending;
      if (free.idleTimer !== undefined) clearTimeout(free.idleTimer);
      free.idleTimer = undefined;
      free.current = next;
      free.worker.ref();
      // INVARIANT: a job is posted once (a worker that dies fails its job; nothing re-sends it), so its
      // buffer can be given away.
      free.worker.postMessage(next.job, [next.job.bytes.buffer as ArrayBuffer]);
    }
  }

  #start(): Running {
    const worker = new Worker(new URL('./durable-write-worker.js', import.meta.url));
    const running: Running = { worker };
    worker.unref();
    worker.on('message', (answer: DurableWriteAnswer) => {
      const pending = running.current;
      running.current = undefined;
      worker.unref();
      if (pending !== undefined && pending.job.id === answer.id) {
        if (answer.ok) pending.resolve();
        else
          pending.reject(
            Object.assign(new Error(answer.message), answer.code !== undefined ? { code: answer.code } : {}),
          );
      }
      this.#idle(running);
      this.#dispatch();
    });
    const gone = (error: Error) => {
      const index = this.#running.indexOf(running);
      if (index >= 0) this.#running.splice(index, 1);
      if (running.idleTimer !== undefined) clearTimeout(running.idleTimer);
      running.current?.reject(error);
      running.current = undefined;
      this.#dispatch();
    };
    worker.on('error', gone);
    worker.on('exit', (code) => gone(new Error(`a durable-write worker exited with code ${code}`)));
    this.#running.push(running);
    return running;
  }

  /** An idle worker ends after `idleMs` unless a job comes first. */
  #idle(running: Running): void {
    running.idleTimer = setTimeout(() => {
      if (running.current !== undefined) return;
      const index = this.#running.indexOf(running);
      if (index >= 0) this.#running.splice(index, 1);
      void running.worker.terminate();
    }, this.idleMs);
    running.idleTimer.unref();
  }
}
