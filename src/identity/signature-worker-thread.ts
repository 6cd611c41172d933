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
import { verify, type KeyObject, type VerifyKeyObjectInput } from 'node:crypto';
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
} from './signature-channel.js';
import type { KeyMessage, SignatureWorkerData } from './signature-worker.js';

const data = workerData as SignatureWorkerData | null;
if (data === null || typeof data !== 'object') {
  throw new TypeError('signature-worker-thread.js runs as a SignatureWorker thread only');
}
const channel = new SignatureChannel(data.buffer);
const port: MessagePort = data.keys;
const { control } = channel;
const keys = new Map<number, KeyObject>();

/** Reads every key message sent so far. */
function receiveKeys(): void {
  for (
    let message = receiveMessageOnPort(port);
    message !== undefined;
    message = receiveMessageOnPort(port)
  ) {
    const { reset, id, key } = message.message as KeyMessage;
    if (reset) keys.clear();
    keys.set(id, key);
  }
}

function check(seq: number): number {
  const job = channel.read(seq);
  if (job === undefined) return INVALID;
  let key = keys.get(job.keyId);
  if (key === undefined) {
    receiveKeys();
    key = keys.get(job.keyId);
    if (key === undefined) return NO_KEY;
  }
  const input: VerifyKeyObjectInput = {
    key,
    padding: job.padding,
    saltLength: job.saltLength,
    dsaEncoding: job.dsaEncoding,
  };
  try {
    return verify(job.hash, job.data, input, job.signature) ? VALID : INVALID;
  } catch {
    return INVALID;
  }
}

let next = 0;
for (;;) {
  if (Atomics.load(control, STOP) === 1) break;
  if (Atomics.load(control, SUBMITTED) === next) {
    // Announce the sleep, then look once more: a job submitted in between is seen here, or its
    // submitter saw SLEEPING and wakes this thread (both sides use sequentially consistent atomics).
    // Polling instead (a timed wait of 50 µs for 2 ms after the last check), which spares the main
    // thread the wake-up, measured no better: the polls took the load process's core (session 8).
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
