import { verify, type KeyObject, type VerifyKeyObjectInput } from 'node:crypto';
import { MessageChannel, Worker, type MessagePort } from 'node:worker_threads';
import {
  COMPLETED,
  fitsSlot,
  NO_KEY,
  SignatureChannel,
  SLEEPING,
  SLOTS,
  STOP,
  SUBMITTED,
  VALID,
} from './signature-channel.js';
import type { SealingKey } from '../shared/sealed-box.js';

/**
 * Checks one signature off the calling thread: resolves with whether `signature` is valid for the bytes
 * of `data` (an ASCII text: a JWS signing input) under `key`. Never rejects; a check that throws (a key
 * that cannot do `hash`) is an invalid signature, as the synchronous `crypto.verify` is read in
 * verify-jwt.ts.
 */
export interface SignatureChecker {
  check(hash: string, data: string, key: VerifyKeyObjectInput, signature: Uint8Array): Promise<boolean>;
  /**
   * `check`, and for a valid signature, `sealBytes(seal.plaintext, seal.key, seal.iv)`
   * (shared/sealed-box.ts) done where the check ran: `sealed` is that token, or undefined when this
   * checker did not seal (the caller then seals itself: the bytes are the same wherever it is done).
   * Never sealed for an invalid signature.
   */
  checkAndSeal?(
    hash: string,
    data: string,
    key: VerifyKeyObjectInput,
    signature: Uint8Array,
    seal: SealRequest,
  ): Promise<{ readonly valid: boolean; readonly sealed: string | undefined }>;
}

/** A plaintext to seal if a signature checks out (AssumeRoleWithWebIdentity's session). */
export interface SealRequest {
  readonly key: SealingKey;
  /** 12 random bytes. */
  readonly iv: Uint8Array;
  readonly plaintext: string;
}

/**
 * A key for the worker thread, sent as a message on a port of its own (a KeyObject cannot be written
 * into shared memory) before the first check that needs it, under a number never used before by that
 * SignatureWorker: a verification key, or a sealing key (its id and its 32 bytes). `reset` first drops
 * every key the thread holds, so that it never holds more than SIGNATURE_WORKER_MAX_KEYS (keys are
 * made anew when an issuer's JWKS is read again).
 */
export type KeyMessage =
  | { readonly kind: 'verify'; readonly reset: boolean; readonly id: number; readonly key: KeyObject }
  | {
      readonly kind: 'seal';
      readonly reset: boolean;
      readonly id: number;
      readonly keyId: string;
      /** Sent as a Buffer, received as a Uint8Array. */
      readonly key: Uint8Array;
    };

/** What the worker thread starts with. */
export interface SignatureWorkerData {
  readonly buffer: SharedArrayBuffer;
  readonly keys: MessagePort;
}

/**
 * After this many keys sent to one worker, the next new key resets its keys (and sends again those it
 * needs): the worker holds at most this many.
 */
export const SIGNATURE_WORKER_MAX_KEYS = 64;

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
  readonly seal: SealRequest | undefined;
  /** `sealed` only for a valid signature with a `seal` the worker sealed. */
  readonly resolve: (valid: boolean, sealed?: string) => void;
}

/** A running worker thread and the state of its shared slots. */
interface Running {
  readonly thread: Worker;
  readonly channel: SignatureChannel;
  readonly keys: MessagePort;
  /** The job of each slot in flight, by `seq & (SLOTS - 1)`. */
  readonly inFlight: (Queued | undefined)[];
  /** Jobs written (the next one's seq) and jobs whose answers were read. */
  submitted: number;
  consumed: number;
  /** Whether an `Atomics.waitAsync` on COMPLETED is pending. */
  waiting: boolean;
  /** The numbers this thread knows keys by, and how many it holds since its last reset. */
  keyIds: WeakMap<KeyObject | SealingKey, number>;
  keysHeld: number;
}

/**
 * Checks signatures in one worker thread of its own. Each check is written into a slot of memory the
 * two threads share (signature-channel.ts) as soon as it is asked for, and the worker, which sleeps
 * only when it has nothing to check, starts on it at once; the main thread learns of answers through
 * `Atomics.waitAsync`, and reads every answer ready at that moment.
 *
 * Why a worker: AssumeRoleWithWebIdentity's RSA verification is its largest piece of work, and the
 * 2-core machine runs the server's event loop, the verifications and the clients together. Measured in
 * process (bench/sts/handler.ts, `handle, 16 in flight`, CPU µs per call, alternating runs on a loaded
 * machine): `crypto.verify` with a callback (libuv's threadpool, a wake-up of a pool thread and of the
 * event loop per signature) 70-73 µs of process CPU of which 39-41 on the main thread; a worker 54 µs,
 * 25 on the main thread; a synchronous verify 47 µs, all 46 on the main thread, where the event loop is
 * the bottleneck: with `openirsa up` under load it served the fewest requests of the three (session 6).
 * A smaller threadpool (UV_THREADPOOL_SIZE=1) did better than 4 threads, but `openirsa up` cannot set
 * it (Node 20's ESM loader starts the pool before any code of ours runs), and it would queue every fs
 * call and DNS lookup behind the verifications.
 *
 * Why shared memory rather than messages: until session 8 the checks of one turn of the event loop
 * went over in one `postMessage` at its end (`setImmediate`) and came back in one. Cloning the batch and
 * dispatching the answer cost the main thread about 10 µs per check (profiled under bench/sts's load),
 * and the batching left the worker idle while a turn's checks piled up, then the main thread idle while
 * the worker went through them: its event loop was idle 16-18 % of the time under full load. Posting
 * each check on its own was worse (+10 µs of main thread per request, bench/sts/ab.js). Here a check
 * costs a copy of its bytes into the slot, and a wake-up only when the worker sleeps; and a session to
 * seal rides along (`checkAndSeal`) for the cost of a copy, where a cloned message cost as much as the
 * seal itself (session 7). Measured with bench/sts/ab.js against the postMessage build, alternating
 * rounds: the slots alone +16.6 % requests/s in one run and -1 % in another as the machine's mood
 * changed (a futex wake-up here costs its sender 8-12 µs, and this VM's cost of it varies); with the
 * seal moved into the worker, +8.3 % (10 rounds), main thread 89 -> 85 µs per request.
 *
 * Fewer wake-ups did worse. Waking the worker once per turn of the event loop (`setImmediate`), and
 * the worker waking the main thread only when it ran out of work, was 11 % slower than waking at once:
 * the event loop sat idle 28 % of the time under full load, waiting. A worker that polls (a 50 µs timed
 * wait for 2 ms after its last check) spared the main thread its wake-ups but took the load process's
 * core: no better.
 *
 * Every signature is checked, each on its own (no result is cached or shared between jobs). If the
 * worker dies (or cannot start), the checks it held go to the threadpool instead, and the next check
 * starts a new worker: an answer is never lost and never guessed. A check the slots cannot take (a
 * digest the worker does not know, bytes longer than a slot) goes to the threadpool too. The worker
 * starts on demand, keeps the process alive only while it holds checks, and ends after `idleMs`
 * without any. One per owner (one per AssumeRoleWithWebIdentity action, so one per server): no
 * module-level state.
 */
export class SignatureWorker implements SignatureChecker {
  #running: Running | undefined;
  /** Checks waiting for a free slot, oldest first. */
  #waiting: Queued[] = [];
  /** Key numbers are never reused within one SignatureWorker (signature-worker-thread.ts). */
  #nextKeyId = 0;
  #idleTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(private readonly idleMs = SIGNATURE_WORKER_IDLE_MS) {
    if (!Number.isFinite(idleMs) || idleMs < 0) {
      throw new TypeError(`idleMs must be a non-negative number, got ${String(idleMs)}`);
    }
  }

  check(hash: string, data: string, key: VerifyKeyObjectInput, signature: Uint8Array): Promise<boolean> {
    return new Promise((resolve) => this.#queue({ hash, data, key, signature, seal: undefined, resolve }));
  }

  checkAndSeal(
    hash: string,
    data: string,
    key: VerifyKeyObjectInput,
    signature: Uint8Array,
    seal: SealRequest,
  ): Promise<{ readonly valid: boolean; readonly sealed: string | undefined }> {
    return new Promise((resolve) =>
      this.#queue({
        hash,
        data,
        key,
        signature,
        seal,
        resolve: (valid, sealed) => resolve({ valid, sealed }),
      }),
    );
  }

  #queue(queued: Queued): void {
    const { hash, data, key, signature, seal } = queued;
    const fits = fitsSlot({
      hash,
      padding: key.padding,
      saltLength: key.saltLength,
      dsaEncoding: key.dsaEncoding,
      data,
      signature,
      seal,
    });
    if (!fits) {
      inThreadpool([queued]);
      return;
    }
    this.#waiting.push(queued);
    this.#pump();
  }

  /** Whether a worker thread is running now (for tests). */
  get running(): boolean {
    return this.#running !== undefined;
  }

  /** Ends the worker now; checks it held go to the threadpool. The next check starts a new one. */
  async close(): Promise<void> {
    const running = this.#running;
    if (running === undefined) return;
    this.#gone(running);
    await running.thread.terminate();
  }

  /**
   * Moves everything along: reads the answers that are in, writes waiting checks into the slots that
   * frees (starting a worker if none runs), and, while any check is in flight, keeps exactly one
   * `Atomics.waitAsync` armed for the next answer. Called for every new check and every wake-up.
   *
   * A wake-up may bring no answer: the worker stores COMPLETED and then notifies, so a wait armed
   * between the two sees the answer already read and is woken all the same. So every pass ends with a
   * wait armed if anything is in flight, whether or not it read or wrote anything (session 8 hung here).
   */
  #pump(): void {
    let running = this.#running;
    if (running === undefined) {
      if (this.#waiting.length === 0) return;
      try {
        running = this.#start();
      } catch {
        const waiting = this.#waiting;
        this.#waiting = [];
        inThreadpool(waiting);
        return;
      }
    }
    for (;;) {
      this.#read(running);
      if (this.#waiting.length > 0) this.#fill(running);
      if (running.consumed === running.submitted) {
        this.#idle(running);
        return;
      }
      if (running.waiting) return;
      const wait = waitAsync(running.channel.control, COMPLETED, running.consumed);
      if (wait.async) {
        running.waiting = true;
        void wait.value.then(() => {
          running.waiting = false;
          if (running === this.#running) this.#pump();
        });
        return;
      }
      // COMPLETED moved on since the read: go round again.
    }
  }

  /** Writes waiting checks into free slots, and wakes the worker if it sleeps. */
  #fill(running: Running): void {
    const { channel } = running;
    let taken = 0;
    let written = 0;
    while (taken < this.#waiting.length && ((running.submitted - running.consumed) | 0) < SLOTS) {
      // INVARIANT: taken < this.#waiting.length.
      const queued = this.#waiting[taken++]!;
      const seq = running.submitted;
      try {
        this.#write(running, seq, queued);
      } catch {
        // The key could not be sent (postMessage threw): this one check goes elsewhere.
        inThreadpool([queued]);
        continue;
      }
      running.inFlight[seq & (SLOTS - 1)] = queued;
      running.submitted = (seq + 1) | 0;
      Atomics.store(channel.control, SUBMITTED, running.submitted);
      written++;
    }
    this.#waiting = taken === this.#waiting.length ? [] : this.#waiting.slice(taken);
    if (written === 0) return;
    if (this.#idleTimer !== undefined) {
      clearTimeout(this.#idleTimer);
      this.#idleTimer = undefined;
    }
    if (Atomics.load(channel.control, SLEEPING) === 1) Atomics.notify(channel.control, SUBMITTED);
    running.thread.ref();
  }

  #write(running: Running, seq: number, queued: Queued): void {
    const { key, seal } = queued;
    const keyId = this.#keyNumber(running, key.key, (id, reset) => ({
      kind: 'verify',
      reset,
      id,
      key: key.key,
    }));
    const sealKeyId =
      seal === undefined
        ? undefined
        : this.#keyNumber(running, seal.key, (id, reset) => ({
            kind: 'seal',
            reset,
            id,
            keyId: seal.key.id,
            key: seal.key.key,
          }));
    running.channel.write(seq, {
      keyId,
      hash: queued.hash,
      padding: key.padding,
      saltLength: key.saltLength,
      dsaEncoding: key.dsaEncoding,
      data: queued.data,
      signature: queued.signature,
      ...(sealKeyId !== undefined && seal !== undefined
        ? { seal: { keyId: sealKeyId, iv: seal.iv, plaintext: seal.plaintext } }
        : {}),
    });
  }

  /** The number the worker knows `key` by, sending it first (`message`) if the worker does not hold it. */
  #keyNumber(
    running: Running,
    key: KeyObject | SealingKey,
    message: (id: number, reset: boolean) => KeyMessage,
  ): number {
    const known = running.keyIds.get(key);
    if (known !== undefined) return known;
    const id = ++this.#nextKeyId;
    const reset = running.keysHeld >= SIGNATURE_WORKER_MAX_KEYS;
    running.keys.postMessage(message(id, reset));
    if (reset) {
      running.keyIds = new WeakMap();
      running.keysHeld = 0;
    }
    running.keyIds.set(key, id);
    running.keysHeld++;
    return id;
  }

  /** Resolves every check whose answer is in. */
  #read(running: Running): void {
    const { channel, inFlight } = running;
    const completed = Atomics.load(channel.control, COMPLETED);
    let retry: Queued[] | undefined;
    while (running.consumed !== completed) {
      const slot = running.consumed & (SLOTS - 1);
      // INVARIANT: every seq between consumed and submitted holds its check (#fill).
      const queued = inFlight[slot]!;
      inFlight[slot] = undefined;
      const seq = running.consumed;
      running.consumed = (seq + 1) | 0;
      const answer = channel.answerOf(seq);
      if (answer === NO_KEY) (retry ??= []).push(queued);
      else if (answer !== VALID) queued.resolve(false);
      else queued.resolve(true, queued.seal === undefined ? undefined : channel.sealedOf(seq));
    }
    if (retry !== undefined) inThreadpool(retry);
  }

  #start(): Running {
    const channel = new SignatureChannel();
    const { port1, port2 } = new MessageChannel();
    const workerData: SignatureWorkerData = { buffer: channel.buffer, keys: port2 };
    const thread = new Worker(new URL('./signature-worker-thread.js', import.meta.url), {
      workerData,
      transferList: [port2],
    });
    thread.unref();
    port1.unref();
    const running: Running = {
      thread,
      channel,
      keys: port1,
      inFlight: new Array<Queued | undefined>(SLOTS).fill(undefined),
      submitted: 0,
      consumed: 0,
      waiting: false,
      keyIds: new WeakMap(),
      keysHeld: 0,
    };
    thread.on('error', () => this.#gone(running));
    thread.on('exit', () => this.#gone(running));
    this.#running = running;
    return running;
  }

  /** The worker died, or is being ended: what it held goes to the threadpool; nothing waits on it. */
  #gone(running: Running): void {
    if (running !== this.#running) return;
    this.#running = undefined;
    if (this.#idleTimer !== undefined) clearTimeout(this.#idleTimer);
    this.#idleTimer = undefined;
    Atomics.store(running.channel.control, STOP, 1);
    Atomics.notify(running.channel.control, SUBMITTED);
    running.keys.close();
    const held: Queued[] = [];
    for (let seq = running.consumed; seq !== running.submitted; seq = (seq + 1) | 0) {
      const queued = running.inFlight[seq & (SLOTS - 1)];
      if (queued !== undefined) held.push(queued);
    }
    running.consumed = running.submitted;
    inThreadpool(held);
    // Checks still waiting for a slot start the next worker.
    this.#pump();
  }

  /** With nothing in flight the worker no longer keeps the process alive, and ends after `idleMs`. */
  #idle(running: Running): void {
    running.thread.unref();
    if (this.#idleTimer !== undefined) return;
    this.#idleTimer = setTimeout(() => {
      this.#idleTimer = undefined;
      if (running !== this.#running || running.consumed !== running.submitted) return;
      this.#gone(running);
      void running.thread.terminate();
    }, this.idleMs);
    this.#idleTimer.unref();
  }
}

/**
 * `Atomics.waitAsync` (ES2024; in V8, so in Node 20, though TypeScript's ES2022 library lacks it).
 */
const waitAsync = (
  Atomics as unknown as {
    waitAsync(
      this: void,
      array: Int32Array,
      index: number,
      value: number,
    ):
      | { async: false; value: 'not-equal' | 'timed-out' }
      | { async: true; value: Promise<'ok' | 'timed-out'> };
  }
).waitAsync;

function inThreadpool(queued: readonly Queued[]): void {
  for (const { hash, data, key, signature, resolve } of queued) {
    void threadpoolChecker.check(hash, data, key, signature).then(resolve);
  }
}
