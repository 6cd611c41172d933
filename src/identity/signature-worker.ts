import { verify, type KeyObject, type VerifyKeyObjectInput } from 'node:crypto';
import { Worker } from 'node:worker_threads';

/**
 * Checks one signature off the calling thread: resolves with whether `signature` is valid for the bytes
 * of `data` (an ASCII text: a JWS signing input) under `key`. Never rejects; a check that throws (a key
 * that cannot do `hash`) is an invalid signature, as the synchronous `crypto.verify` is read in
 * verify-jwt.ts.
 */
export interface SignatureChecker {
  check(hash: string, data: string, key: VerifyKeyObjectInput, signature: Uint8Array): Promise<boolean>;
}

/**
 * One signature to check, as the worker thread receives it: the key by the number it was sent under
 * (`SignatureBatch.keys`), with the options `crypto.verify` takes beside it.
 */
export interface SignatureJob {
  readonly hash: string;
  readonly data: string;
  readonly key: number;
  readonly padding: number | undefined;
  readonly saltLength: number | undefined;
  readonly dsaEncoding: VerifyKeyObjectInput['dsaEncoding'];
  readonly signature: Uint8Array;
}

/**
 * What the main thread sends: the signatures requested during one turn of its event loop, and the keys
 * among theirs the worker has not been sent yet. Each key goes over once per worker, not once per job:
 * cloning a KeyObject into a message is the costliest part of a job's clone (node /tmp/h4/pm.mjs).
 * `reset` first drops every key the worker holds, so that it never holds more than about
 * SIGNATURE_WORKER_MAX_KEYS (keys are made anew when an issuer's JWKS is read again).
 */
export interface SignatureBatch {
  readonly id: number;
  readonly reset: boolean;
  readonly keys: readonly { readonly id: number; readonly key: KeyObject }[];
  readonly jobs: readonly SignatureJob[];
}

/**
 * After this many keys sent to one worker, the next batch resets its keys (and sends again those it
 * needs): the worker holds at most this many less one, plus the distinct keys of one batch.
 */
export const SIGNATURE_WORKER_MAX_KEYS = 64;

/** The worker's answer: one byte per job of the batch, in order, 1 for a valid signature. */
export interface SignatureBatchAnswer {
  readonly id: number;
  readonly valid: Uint8Array;
}

/** A worker idle this long ends, so an idle server (or a test's short-lived one) holds no thread. */
export const SIGNATURE_WORKER_IDLE_MS = 5000;

/** `crypto.verify` with a callback (libuv's threadpool): the checker without a worker. */
export const threadpoolChecker: SignatureChecker = {
  check: (hash, data, key, signature) =>
    new Promise((resolve) => {
      try {
        verify(hash, Buffer.from(data, 'ascii'), key, signature, (error, valid) =>
          resolve(error === null && valid),
        );
      } catch {
        resolve(false);
      }
    }),
};

interface Queued {
  readonly hash: string;
  readonly data: string;
  readonly key: VerifyKeyObjectInput;
  readonly signature: Uint8Array;
  readonly resolve: (valid: boolean) => void;
}

/**
 * Checks signatures in one worker thread of its own, a batch at a time: the checks requested during
 * one turn of the event loop go over in one message at the end of the turn (`setImmediate`), and come
 * back in one, where `crypto.verify` with a callback hands each signature to libuv's threadpool and
 * back, with a wake-up of a pool thread and of the event loop for each.
 *
 * Why: AssumeRoleWithWebIdentity's RSA verification is its largest piece of work, and the 2-core
 * machine runs the server's event loop, the verifications and the clients together. Measured in
 * process (bench/sts/handler.ts, `handle, 16 in flight`, CPU µs per call, alternating runs on a loaded
 * machine): the threadpool 70-73 µs of process CPU of which 39-41 on the main thread; this worker
 * 54 µs, 25 on the main thread; a synchronous verify 47 µs, all 46 on the main thread.
 *
 * The other ways, measured with `openirsa up` under load (bench/sts's load process, 16 keep-alive
 * connections, two servers in alternating 3 s rounds, session 6, the machine shared, load average 3-7;
 * server CPU µs per request, min/median, and its main thread's):
 * - synchronous `crypto.verify`: total 176/191 against the threadpool's 175/197 in the same run, but
 *   main thread 168/179 against 129/144, and fewer requests/s (5,556 at best against 6,474): the event
 *   loop is the bottleneck, so it is the worst of the three.
 * - the threadpool with `UV_THREADPOOL_SIZE=1` (in the server's environment): 171/197, main 132/154,
 *   against 192/227, 144/161 with the default 4 pool threads (in process, `handle, 16 in flight`:
 *   49-58 / 27-32 against 70-73 / 39-41; 2 threads 82 / 45). Better, but `openirsa up` cannot set it
 *   itself: on Node 20 the ESM loader reads the module graph with asynchronous fs calls, which start
 *   the pool at its default size before any code of ours runs (checked: `process.env` set first thing
 *   in an ESM entry still gives 4 pool threads; only the process's environment or a CommonJS launcher
 *   changes it). And one pool thread would queue every fs call and DNS lookup (an external issuer's
 *   `getaddrinfo`, which can block for seconds) with the verifications. This worker leaves the pool
 *   alone and took server CPU from 183/208 to 153/178 and the main thread from 134/148 to 105/129 in
 *   the run above.
 *
 * Every signature is checked, each on its own (no result is cached or shared between jobs). If the
 * worker dies (or cannot start), the checks it held, and those of the batch that could not be sent,
 * go to the threadpool instead, and the next batch starts a new worker: an answer is never lost and
 * never guessed. The worker starts on demand, keeps the process alive only while it holds checks, and
 * ends after `idleMs` without any. One per owner (one per AssumeRoleWithWebIdentity action, so one per
 * server): no module-level state.
 */
export class SignatureWorker implements SignatureChecker {
  #worker: Worker | undefined;
  #queued: Queued[] = [];
  #flushScheduled = false;
  /** Batches posted to the current worker and not answered yet, by id. */
  readonly #sent = new Map<number, readonly Queued[]>();
  #nextBatch = 0;
  /** The numbers the current worker knows keys by, and how many it was sent since its last reset. */
  #keyIds = new WeakMap<KeyObject, number>();
  #keysSent = 0;
  #idleTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(private readonly idleMs = SIGNATURE_WORKER_IDLE_MS) {
    if (!Number.isFinite(idleMs) || idleMs < 0) {
      throw new TypeError(`idleMs must be a non-negative number, got ${String(idleMs)}`);
    }
  }

  check(hash: string, data: string, key: VerifyKeyObjectInput, signature: Uint8Array): Promise<boolean> {
    return new Promise((resolve) => {
      // The job's own copy of exactly the signature's bytes: a Buffer is often a view into a larger one
      // (Buffer's 8 KiB pool), which postMessage would copy whole.
      this.#queued.push({ hash, data, key, signature: new Uint8Array(signature), resolve });
      if (!this.#flushScheduled) {
        this.#flushScheduled = true;
        setImmediate(this.#flush);
      }
    });
  }

  /** Whether a worker thread is running now (for tests). */
  get running(): boolean {
    return this.#worker !== undefined;
  }

  /** Ends the worker now; checks it held go to the threadpool. The next check starts a new one. */
  async close(): Promise<void> {
    const worker = this.#worker;
    if (worker === undefined) return;
    this.#gone(worker);
    await worker.terminate();
  }

  readonly #flush = (): void => {
    this.#flushScheduled = false;
    const queued = this.#queued;
    this.#queued = [];
    if (queued.length === 0) return;
    let worker: Worker;
    try {
      worker = this.#worker ?? this.#start();
    } catch {
      inThreadpool(queued);
      return;
    }
    if (this.#idleTimer !== undefined) clearTimeout(this.#idleTimer);
    this.#idleTimer = undefined;
    const id = ++this.#nextBatch;
    const reset = this.#keysSent >= SIGNATURE_WORKER_MAX_KEYS;
    if (reset) {
      this.#keyIds = new WeakMap();
      this.#keysSent = 0;
    }
    const keys: { id: number; key: KeyObject }[] = [];
    const jobs: SignatureJob[] = [];
    for (const q of queued) {
      let keyId = this.#keyIds.get(q.key.key);
      if (keyId === undefined) {
        keyId = ++this.#keysSent;
        this.#keyIds.set(q.key.key, keyId);
        keys.push({ id: keyId, key: q.key.key });
      }
      jobs.push({
        hash: q.hash,
        data: q.data,
        key: keyId,
        padding: q.key.padding,
        saltLength: q.key.saltLength,
        dsaEncoding: q.key.dsaEncoding,
        signature: q.signature,
      });
    }
    const batch: SignatureBatch = { id, reset, keys, jobs };
    try {
      worker.postMessage(batch);
    } catch {
      inThreadpool(queued);
      return;
    }
    this.#sent.set(id, queued);
    worker.ref();
  };

  #start(): Worker {
    const worker = new Worker(new URL('./signature-worker-thread.js', import.meta.url));
    worker.unref();
    worker.on('message', (answer: SignatureBatchAnswer) => this.#answered(worker, answer));
    worker.on('error', () => this.#gone(worker));
    worker.on('exit', () => this.#gone(worker));
    this.#worker = worker;
    // A new worker holds no key.
    this.#keyIds = new WeakMap();
    this.#keysSent = 0;
    return worker;
  }

  #answered(worker: Worker, answer: SignatureBatchAnswer): void {
    if (worker !== this.#worker) return;
    const queued = this.#sent.get(answer.id);
    if (queued === undefined) return;
    this.#sent.delete(answer.id);
    for (let i = 0; i < queued.length; i++) {
      // INVARIANT: i < queued.length; the worker answers one byte per job (a missing byte is invalid).
      queued[i]!.resolve(answer.valid[i] === 1);
    }
    if (this.#sent.size === 0) this.#idle(worker);
  }

  /** The worker died, or is being ended: what it held goes to the threadpool; nothing waits on it. */
  #gone(worker: Worker): void {
    if (worker !== this.#worker) return;
    this.#worker = undefined;
    if (this.#idleTimer !== undefined) clearTimeout(this.#idleTimer);
    this.#idleTimer = undefined;
    const held = [...this.#sent.values()];
    this.#sent.clear();
    for (const queued of held) inThreadpool(queued);
  }

  /** With nothing in flight the worker no longer keeps the process alive, and ends after `idleMs`. */
  #idle(worker: Worker): void {
    worker.unref();
    this.#idleTimer = setTimeout(() => {
      this.#idleTimer = undefined;
      if (worker !== this.#worker || this.#sent.size > 0) return;
      this.#gone(worker);
      void worker.terminate();
    }, this.idleMs);
    this.#idleTimer.unref();
  }
}

function inThreadpool(queued: readonly Queued[]): void {
  for (const { hash, data, key, signature, resolve } of queued) {
    void threadpoolChecker.check(hash, data, key, signature).then(resolve);
  }
}
