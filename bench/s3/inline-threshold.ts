/**
 * The measurement behind INLINE_MAX (s3/blob-store.ts, docs/storage.md): for objects of several sizes, the
 * cost of keeping the bytes inline (a row with its bytes through the S3 group commit) against a durable
 * file (`BlobStore.write`: temporary file, fsync, rename, directory fsync), 16 in flight, on a file system
 * of your choice. Process CPU (all threads), main-thread time (event-loop utilization) and wall time per
 * object.
 *
 *   node dist/bench/s3/inline-threshold.js [DIR=os.tmpdir()] [OBJECTS=2000]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { Readable } from 'node:stream';
import { BlobStore } from '../../src/s3/blob-store.js';
import { GroupCommit } from '../../src/s3/group-commit.js';
import { openSqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import { benchObject } from './inline-object.js';

const [base = tmpdir(), countText = '2000'] = process.argv.slice(2);
const OBJECTS = Number(countText);
const IN_FLIGHT = 16;
const ACCOUNT = '111122223333';

/** `one` run `rows` times, IN_FLIGHT at once. */
function lanes(rows: number, one: () => Promise<unknown>): Promise<unknown> {
  return Promise.all(
    Array.from({ length: IN_FLIGHT }, async () => {
      for (let i = 0; i < rows / IN_FLIGHT; i++) await one();
    }),
  );
}

/** CPU, main-thread and wall µs per object of `OBJECTS` runs of `one`, after a warm-up. */
async function timed(one: () => Promise<unknown>): Promise<string> {
  await lanes(200, one);
  const elu = performance.eventLoopUtilization();
  const cpu = process.cpuUsage();
  const started = performance.now();
  await lanes(OBJECTS, one);
  const usedElu = performance.eventLoopUtilization(elu);
  const usedCpu = process.cpuUsage(cpu);
  const per = (us: number) => (us / OBJECTS).toFixed(0).padStart(5);
  return `CPU ${per(usedCpu.user + usedCpu.system)} µs, main ${per(usedElu.active * 1000)} µs, wall ${per((performance.now() - started) * 1000)} µs`;
}

console.log(`per object, ${OBJECTS} objects, ${IN_FLIGHT} in flight, in ${base}`);
for (const kib of [4, 16, 64, 128, 256]) {
  const body = Buffer.alloc(kib * 1024, 7);
  const dir = mkdtempSync(join(base, 'openirsa-inline-threshold-'));
  try {
    const store = openSqliteStore({ path: join(dir, 'store.sqlite') });
    await store.accounts.create({ id: ACCOUNT, createdAt: 0 });
    await store.buckets.create({ name: 'b', accountId: ACCOUNT, region: 'us-east-1', createdAt: 0 });
    const commits = new GroupCommit();
    let n = 0;
    const inline = await timed(() => {
      const i = ++n;
      const object = benchObject(`k${i}`, `blob-${i}`, body.length);
      return commits.put(store, object, body);
    });
    await store.close();
    const blobs = new BlobStore(join(dir, 'objects'));
    let m = 0;
    const tooLarge = () => new Error('too large');
    const file = await timed(() =>
      blobs.write(BlobStore.blobId('b', 'k', `v${++m}`), Readable.from([body]), {
        maxBytes: body.length,
        tooLarge,
      }),
    );
    console.log(`  ${String(kib).padStart(3)} KiB  inline: ${inline}   file: ${file}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
