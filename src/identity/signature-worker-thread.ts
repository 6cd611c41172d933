/**
 * The thread of `SignatureWorker` (signature-worker.ts): it checks the JWS signatures the main thread
 * writes into the shared slots (signature-channel.ts) with the synchronous `crypto.verify`, one after
 * another in the order they were submitted, and answers each in its slot: VALID, INVALID (the check
 * failed or threw), or NO_KEY (its key number was never sent: the main thread checks it elsewhere).
 * With nothing to check it sleeps on SUBMITTED (`Atomics.wait`; this thread runs nothing else).
 *
 * Keys come as messages on `keys` (KeyMessage), all those sent so far read whenever a job names a key
 * number this thread does not hold. Key numbers are never reused, so a number always means the key it
 * was first sent with; a `reset` drops the keys held before it (one read late may drop a key a job
 * still needs: that job answers NO_KEY, and is checked elsewhere). It keeps no answer and reads
 * nothing but what it is sent.
 */
import { KeyObject, verify, type VerifyKeyObjectInput } from 'node:crypto';
import { receiveMessageOnPort, workerData, type MessagePort } from 'node:worker_threads';
import {
  COMPLETED,
  INVALID,
  NO_KEY,
  SignatureChannel,
  SLEEPING,
  STOP,
  SUBMITTED,
  VALID,
  type SlotJobView,
} from './signature-channel.js';
import { sealBytes, type SealingKey } from '../shared/sealed-box.js';
import type { KeyMessage, SignatureWorkerData } from './signature-worker.js';

const data = workerData as SignatureWorkerData | null;
if (data === null || typeof data !== 'object') {
  throw new TypeError('signature-worker-thread.js runs as a SignatureWorker thread only');
}
const channel = new SignatureChannel(data.buffer);
const port: MessagePort = data.keys;
const { control } = channel;
/** Verification keys and sealing keys, by the numbers they were sent under. */
const keys = new Map<number, KeyObject | SealingKey>();

/** Reads every key message sent so far. */
function receiveKeys(): void {
  for (
    let message = receiveMessageOnPort(port);
    message !== undefined;
    message = receiveMessageOnPort(port)
  ) {
    const sent = message.message as KeyMessage;
    if (sent.reset) keys.clear();
    // A Buffer arrives as a plain Uint8Array (structured clone): a Buffer view of the same bytes again.
    const key =
      sent.kind === 'verify'
        ? sent.key
        : { id: sent.keyId, key: Buffer.from(sent.key.buffer, sent.key.byteOffset, sent.key.length) };
    keys.set(sent.id, key);
  }
}

/** The key numbered `id`, reading the key messages sent so far if this thread does not hold it yet. */
function keyNumbered(id: number): KeyObject | SealingKey | undefined {
  const held = keys.get(id);
  if (held !== undefined) return held;
  receiveKeys();
  return keys.get(id);
}

function check(seq: number): number {
  const job = channel.read(seq);
  if (job === undefined) return INVALID;
  const key = keyNumbered(job.keyId);
  if (key === undefined) return NO_KEY;
  if (!(key instanceof KeyObject)) return INVALID;
  const input: VerifyKeyObjectInput = {
    key,
    padding: job.padding,
    saltLength: job.saltLength,
    dsaEncoding: job.dsaEncoding,
  };
  let valid: boolean;
  try {
    valid = verify(job.hash, job.data, input, job.signature);
  } catch {
    return INVALID;
  }
  if (!valid) return INVALID;
  if (job.seal !== undefined) seal(seq, job.seal);
  return VALID;
}

/**
 * Seals the job's plaintext, for a valid signature only. Anything that goes wrong (a key never sent, a
 * sealing that throws) leaves the token unwritten, and the main thread seals it itself.
 */
function seal(seq: number, job: NonNullable<SlotJobView['seal']>): void {
  const key = keyNumbered(job.keyId);
  if (key === undefined || key instanceof KeyObject) return;
  try {
    channel.writeSealed(seq, sealBytes(job.plaintext, key, job.iv));
  } catch {
    // Unsealed: the main thread seals, and meets the same error there.
  }
}

let next = 0;
for (;;) {
  if (Atomics.load(control, STOP) === 1) break;
  if (Atomics.load(control, SUBMITTED) === next) {
    // Announce the sleep, then look once more: a job submitted in between is seen here, or its
    // submitter saw SLEEPING and wakes this thread (both sides use sequentially consistent atomics).
    // Polling instead measured no better (signature-worker.ts says why).
    Atomics.store(control, SLEEPING, 1);
    if (Atomics.load(control, SUBMITTED) === next && Atomics.load(control, STOP) === 0) {
      Atomics.wait(control, SUBMITTED, next);
    }
    Atomics.store(control, SLEEPING, 0);
    continue;
  }
  channel.answer(next, check(next));
  next = (next + 1) | 0;
  Atomics.store(control, COMPLETED, next);
  Atomics.notify(control, COMPLETED);
}
port.close();
