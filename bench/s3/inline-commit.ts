/**
 * A micro-benchmark of the inline PutObject commit (docs/storage.md): 4 KiB rows with their bytes through
 * the S3 group commit (`GroupCommit.put(store, object, bytes)`), 16 in flight as the bench's 16
 * connections, into a file-backed SQLite store, with the WAL checkpoints in a worker thread (the default,
 * store/sqlite/checkpointer.ts) and with SQLite's automatic checkpoint inside the commits. Two workloads:
 * new keys (every checkpoint copies new pages) and 256 keys overwritten (the bench's small PUT: the same
 * few pages). Main-thread time per row (event-loop utilization) and wall time per row, in alternating
 * pairs so that background noise hits both alike.
 *
 *   node dist/bench/s3/inline-commit.js [DIR=os.tmpdir()] [ROWS=12000] [PAIRS=2]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { GroupCommit } from '../../src/s3/group-commit.js';
import { openSqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import { benchObject } from './inline-object.js';

const [base = tmpdir(), rowsText = '12000', pairsText = '2'] = process.argv.slice(2);
const ROWS = Number(rowsText);
const PAIRS = Number(pairsText);
const IN_FLIGHT = 16;
const ACCOUNT = '111122223333';
const body = Buffer.alloc(4096, 7);

async function measure(
  backgroundCheckpoints: boolean,
  keys: 'new' | 'overwritten',
): Promise<{ main: number; wall: number }> {
  const dir = mkdtempSync(join(base, 'openirsa-inline-commit-'));
  const store = openSqliteStore({ path: join(dir, 'store.sqlite'), backgroundCheckpoints });
  try {
    await store.accounts.create({ id: ACCOUNT, createdAt: 0 });
    await store.buckets.create({ name: 'b', accountId: ACCOUNT, region: 'us-east-1', createdAt: 0 });
    const commits = new GroupCommit();
    let n = 0;
    const put = () => {
      const i = ++n;
      const key = keys === 'new' ? `k${i}` : `k${i % 256}`;
      const object = benchObject(key, `blob-${i}`, body.length);
      return commits.put(store, object, body);
    };
    const lanes = async (rows: number) =>
      Promise.all(
        Array.from({ length: IN_FLIGHT }, async () => {
          for (let i = 0; i < rows / IN_FLIGHT; i++) await put();
        }),
      );
    await lanes(800);
    const before = performance.eventLoopUtilization();
    const started = performance.now();
    await lanes(ROWS);
    const used = performance.eventLoopUtilization(before);
    return { main: (used.active * 1000) / ROWS, wall: ((performance.now() - started) * 1000) / ROWS };
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

console.log(`inline commit of ${ROWS} 4 KiB rows, ${IN_FLIGHT} in flight, in ${base}`);
for (const keys of ['new', 'overwritten'] as const) {
  for (let pair = 0; pair < PAIRS; pair++) {
    for (const background of [true, false]) {
      const r = await measure(background, keys);
      const name = background ? 'worker checkpoints   ' : 'automatic checkpoints';
      console.log(
        `  ${keys.padEnd(11)} keys, ${name}: main thread ${r.main.toFixed(1)} µs/row, wall ${r.wall.toFixed(1)} µs/row`,
      );
    }
  }
}
