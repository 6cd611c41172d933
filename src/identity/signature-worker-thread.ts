/**
 * The thread of `SignatureWorker` (signature-worker.ts): it checks one batch of JWS signatures per
 * message with the synchronous `crypto.verify`, in order, and answers the batch's id and one byte per
 * signature (1: valid, 0: not, or the check threw). It holds nothing between batches and reads nothing
 * but what it is sent.
 */
import { verify } from 'node:crypto';
import { parentPort } from 'node:worker_threads';
import type { SignatureBatch, SignatureBatchAnswer } from './signature-worker.js';

function check(batch: SignatureBatch): SignatureBatchAnswer {
  const valid = new Uint8Array(batch.jobs.length);
  for (let i = 0; i < batch.jobs.length; i++) {
    // INVARIANT: i < jobs.length.
    const job = batch.jobs[i]!;
    try {
      valid[i] = verify(job.hash, Buffer.from(job.data, 'ascii'), job.key, job.signature) ? 1 : 0;
    } catch {
      valid[i] = 0;
    }
  }
  return { id: batch.id, valid };
}

const port = parentPort;
if (port === null) throw new TypeError('signature-worker-thread.js runs as a worker thread only');
port.on('message', (batch: SignatureBatch) => port.postMessage(check(batch)));
