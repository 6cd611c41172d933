/**
 * The thread of `SignatureWorker` (signature-worker.ts): it checks one batch of JWS signatures per
 * message with the synchronous `crypto.verify`, in order, and answers the batch's id and one byte per
 * signature (1: valid, 0: not, the check threw, or its key was never sent). Between batches it holds
 * only the keys it was sent, by number (dropped at a batch's `reset`); no answer is kept. It reads
 * nothing but what it is sent.
 */
import { verify, type KeyObject } from 'node:crypto';
import { parentPort } from 'node:worker_threads';
import type { SignatureBatch, SignatureBatchAnswer } from './signature-worker.js';

const keys = new Map<number, KeyObject>();

function check(batch: SignatureBatch): SignatureBatchAnswer {
  if (batch.reset) keys.clear();
  for (const { id, key } of batch.keys) keys.set(id, key);
  const valid = new Uint8Array(batch.jobs.length);
  for (let i = 0; i < batch.jobs.length; i++) {
    // INVARIANT: i < jobs.length.
    const job = batch.jobs[i]!;
    const key = keys.get(job.key);
    if (key === undefined) continue;
    try {
      const input = { key, padding: job.padding, saltLength: job.saltLength, dsaEncoding: job.dsaEncoding };
      valid[i] = verify(job.hash, Buffer.from(job.data, 'ascii'), input, job.signature) ? 1 : 0;
    } catch {
      valid[i] = 0;
    }
  }
  return { id: batch.id, valid };
}

const port = parentPort;
if (port === null) throw new TypeError('signature-worker-thread.js runs as a worker thread only');
port.on('message', (batch: SignatureBatch) => port.postMessage(check(batch)));
