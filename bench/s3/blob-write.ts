/**
 * A micro-benchmark of `BlobStore.write` for a 4 KiB body: the small path (a bound of at most
 * SMALL_WRITE_BYTES: the body taken whole, one worker-thread job) against the streamed path (a larger
 * bound), eight writes in flight, CPU of the whole process (all threads) per write. Run it on tmpfs to see
 * everything but the disk (fsync is free there), or on the data directory's file system for all of it.
 *
 *   node dist/bench/s3/blob-write.js [DIR=/dev/shm] [WRITES=3000]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { BlobStore, SMALL_WRITE_BYTES } from '../../src/s3/blob-store.js';

const [base = '/dev/shm', countText = '3000'] = process.argv.slice(2);
const writes = Number(countText);
const body = Buffer.alloc(4096, 7);
const tooLarge = () => new Error('too large');
const IN_FLIGHT = 8;

async function measure(maxBytes: number): Promise<{ cpu: number; wall: number }> {
  const root = mkdtempSync(join(base, 'openirsa-blob-write-'));
  try {
    const blobs = new BlobStore(root);
    const write = (name: string) =>
      blobs.write(BlobStore.blobId('b', 'k', name), Readable.from([body]), { maxBytes, tooLarge });
    // Warm-up: the JIT, the worker threads, the 256 fan-out directories.
    for (let i = 0; i < 600; i++) await write(`warm-${i}`);
    const cpuBefore = process.cpuUsage();
    const started = process.hrtime.bigint();
    let next = 0;
    await Promise.all(
      Array.from({ length: IN_FLIGHT }, async () => {
        while (next < writes) await write(`v-${next++}`);
      }),
    );
    const cpu = process.cpuUsage(cpuBefore);
    return {
      cpu: (cpu.user + cpu.system) / writes,
      wall: Number(process.hrtime.bigint() - started) / 1000 / writes,
    };
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

console.log(`BlobStore.write of 4 KiB under ${base}, ${IN_FLIGHT} in flight, ${writes} writes per round`);
for (let round = 1; round <= 2; round++) {
  for (const [label, bound] of [
    ['small path', SMALL_WRITE_BYTES],
    ['streamed path', SMALL_WRITE_BYTES + 1],
  ] as const) {
    const r = await measure(bound);
    console.log(
      `  round ${round} ${label.padEnd(14)} ${r.cpu.toFixed(0).padStart(6)} µs CPU/write ${r.wall.toFixed(0).padStart(6)} µs wall/write`,
    );
  }
}
