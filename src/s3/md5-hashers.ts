import { Worker } from 'node:worker_threads';

/** What the main thread sends the MD5 worker (md5-worker.ts). */
export type Md5Message =
  | { readonly kind: 'update'; readonly id: number; readonly bytes: Uint8Array }
  | { readonly kind: 'digest'; readonly id: number }
  | { readonly kind: 'drop'; readonly id: number };

/** What the worker says: a chunk was hashed (its size), or a `digest`'s answer. */
export type Md5Answer =
  | { readonly kind: 'hashed'; readonly bytes: number; readonly buffer: ArrayBufferLike }
  | { readonly kind: 'digest'; readonly id: number; readonly digest: Uint8Array };

/**
 * Bytes sent to the worker and not yet hashed, at most, before `update` asks its caller to wait: the
 * worker's queue must not grow with the body (a client sending faster than MD5 runs would otherwise
 * queue the whole object in memory). Waiting callers go on once it is half as much.
 */
export const MD5_HIGH_WATER_BYTES = 4 * 1024 * 1024;

/** The size of the buffers chunks are copied into (a socket's reads are at most this big). */
const COPY_BUFFER_BYTES = 64 * 1024;
/** Buffers kept for reuse, at most: the high-water mark's worth. */
const POOLED_BUFFERS = MD5_HIGH_WATER_BYTES / COPY_BUFFER_BYTES;

/** One MD5 computed in the worker thread: chunks in, in order; the digest once, at the end. */
export interface OffThreadMd5 {
  /**
   * Sends the chunk to be hashed. Returns a promise when the worker is MD5_HIGH_WATER_BYTES behind: the
   * caller waits for it before it sends more (backpressure), else `undefined`.
   */
  update(chunk: Uint8Array): Promise<void> | undefined;
  /** The MD5 of every chunk given; rejects if the worker died meanwhile. Call once. */
  digest(): Promise<Buffer>;
  /** Forgets the hash (a failed write): no digest follows. */
  drop(): void;
}

/** A worker idle this long ends, so an idle server (or a test's short-lived one) holds no thread. */
export const MD5_WORKER_IDLE_MS = 5000;

interface Waiting {
  resolve(digest: Buffer): void;
  reject(error: Error): void;
}

interface Running {
  readonly worker: Worker;
  /** Hashes begun on this worker and not yet digested or dropped. */
  open: number;
  readonly waiting: Map<number, Waiting>;
  /** Bytes sent and not yet hashed, over every hash of this worker. */
  inFlight: number;
  /** Callers of `update` waiting for `inFlight` to come down. */
  drained: (() => void)[];
  /**
   * Copy buffers the worker gave back, to fill again: moved buffers are otherwise garbage in the
   * worker, freed only at its GCs, and a GiB body made hundreds of MiB of them.
   */
  readonly pool: ArrayBuffer[];
  /** Set once the worker has died: every hash begun on it fails. */
  dead?: Error;
  idleTimer?: ReturnType<typeof setTimeout>;
}

/**
 * MD5 of streamed object bodies, in a worker thread. A streamed PutObject or UploadPart must hash every
 * byte for its ETag, and OpenSSL's MD5 runs at ~730 MB/s on one core of this machine (a chain no SIMD
 * can split): on the event loop it took 1.4 s of the 3 s of CPU each GiB cost, in series with reading
 * the socket and queueing the file writes. Here the event loop only copies each chunk (its own buffer,
 * moved to the worker, never a view of the socket's) and the hash runs beside it on the other core.
 * Chunks of one hash reach the worker in the order sent (one port); hashes are independent. A worker
 * that dies fails every hash begun on it (the write answers 500; nothing is stored under a wrong ETag).
 * The worker starts on demand, ends after `idleMs` with nothing open, and never keeps the process alive
 * while idle. One per blob store: no module-level state.
 */
export class Md5Hashers {
  #running: Running | undefined;
  #nextId = 0;

  constructor(private readonly idleMs = MD5_WORKER_IDLE_MS) {}

  begin(): OffThreadMd5 {
    const running = this.#workerNow();
    const id = ++this.#nextId;
    running.open++;
    if (running.open === 1) {
      if (running.idleTimer !== undefined) clearTimeout(running.idleTimer);
      running.idleTimer = undefined;
      running.worker.ref();
    }
    let ended = false;
    const end = () => {
      if (ended) return;
      ended = true;
      running.open--;
      if (running.open === 0 && running.waiting.size === 0) this.#idle(running);
    };
    return {
      update: (chunk) => {
        if (ended || running.dead !== undefined) return undefined;
        // Its own copy of exactly these bytes, moved (not cloned) to the worker: a chunk is often a view
        // into a larger buffer that must never be given away.
        const pooled = chunk.byteLength <= COPY_BUFFER_BYTES ? running.pool.pop() : undefined;
        const own = new Uint8Array(
          pooled ?? new ArrayBuffer(Math.max(chunk.byteLength, COPY_BUFFER_BYTES)),
          0,
          chunk.byteLength,
        );
        own.set(chunk);
        const message: Md5Message = { kind: 'update', id, bytes: own };
        // Counted before the move: a moved buffer is detached here, of length 0.
        running.inFlight += own.byteLength;
        running.worker.postMessage(message, [own.buffer]);
        if (running.inFlight <= MD5_HIGH_WATER_BYTES) return undefined;
        return new Promise<void>((resolve) => running.drained.push(resolve));
      },
      digest: () => {
        if (ended) return Promise.reject(new Error('this MD5 has already ended'));
        if (running.dead !== undefined) {
          end();
          return Promise.reject(running.dead);
        }
        return new Promise<Buffer>((resolve, reject) => {
          running.waiting.set(id, { resolve, reject });
          end();
          const message: Md5Message = { kind: 'digest', id };
          running.worker.postMessage(message);
        });
      },
      drop: () => {
        if (ended) return;
        end();
        if (running.dead === undefined) {
          const message: Md5Message = { kind: 'drop', id };
          running.worker.postMessage(message);
        }
      },
    };
  }

  /** Ends the worker now: every hash begun on it fails (tests). */
  async terminate(): Promise<void> {
    const running = this.#running;
    if (running === undefined) return;
    await running.worker.terminate();
  }

  /** Whether a worker thread is running now (for tests). */
  get hasWorker(): boolean {
    return this.#running !== undefined;
  }

  #workerNow(): Running {
    if (this.#running !== undefined) return this.#running;
    const worker = new Worker(new URL('./md5-worker.js', import.meta.url));
    worker.unref();
    const running: Running = { worker, open: 0, waiting: new Map(), inFlight: 0, drained: [], pool: [] };
    const release = () => {
      const drained = running.drained;
      running.drained = [];
      for (const resolve of drained) resolve();
    };
    worker.on('message', (answer: Md5Answer) => {
      if (answer.kind === 'hashed') {
        running.inFlight -= answer.bytes;
        const buffer = answer.buffer as ArrayBuffer;
        if (buffer.byteLength === COPY_BUFFER_BYTES && running.pool.length < POOLED_BUFFERS)
          running.pool.push(buffer);
        if (running.drained.length > 0 && running.inFlight <= MD5_HIGH_WATER_BYTES / 2) release();
        return;
      }
      const waiting = running.waiting.get(answer.id);
      running.waiting.delete(answer.id);
      waiting?.resolve(Buffer.from(answer.digest.buffer, answer.digest.byteOffset, answer.digest.byteLength));
      if (running.open === 0 && running.waiting.size === 0) this.#idle(running);
    });
    const gone = (error: Error) => {
      if (running.dead !== undefined) return;
      running.dead = error;
      if (this.#running === running) this.#running = undefined;
      if (running.idleTimer !== undefined) clearTimeout(running.idleTimer);
      for (const waiting of running.waiting.values()) waiting.reject(error);
      running.waiting.clear();
      // Their digests fail: nothing more to wait for.
      release();
    };
    worker.on('error', gone);
    worker.on('exit', (code) => gone(new Error(`the MD5 worker exited with code ${code}`)));
    this.#running = running;
    return running;
  }

  /** Nothing open and nothing awaited: unreferenced, and ended after `idleMs` unless work comes first. */
  #idle(running: Running): void {
    running.worker.unref();
    if (running.idleTimer !== undefined) clearTimeout(running.idleTimer);
    running.idleTimer = setTimeout(() => {
      if (running.open > 0 || running.waiting.size > 0) return;
      if (this.#running === running) this.#running = undefined;
      running.dead ??= new Error('the MD5 worker ended while idle');
      void running.worker.terminate();
    }, this.idleMs);
    running.idleTimer.unref();
  }
}
