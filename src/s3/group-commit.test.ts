import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { isStoreError, UnsyncedCommitError } from '../store/errors.js';
import type { S3Object } from '../store/objects.js';
import { openSqliteStore } from '../store/sqlite/sqlite-store.js';
import type { Store, StoreScope } from '../store/types.js';
import { GroupCommit } from './group-commit.js';

const A = '111122223333';
const T0 = Date.UTC(2026, 0, 1);

async function storeWithBucket(name = 'b'): Promise<Store> {
  const store = openSqliteStore({ path: ':memory:' });
  await store.accounts.create({ id: A, createdAt: T0 });
  await store.buckets.create({ name, accountId: A, region: 'us-east-1', createdAt: T0 });
  return store;
}

const row = (key: string, blobId: string, bucket = 'b'): S3Object => ({
  bucket,
  key,
  size: 1,
  etag: '"0cc175b9c0f1b6a831c399e269772661"',
  metadata: [],
  checksums: {},
  lastModified: T0,
  blobId,
});

/** A store whose transactions are counted, and whose commit can be made to fail or observed. */
function observed(store: Store, options: { failCommits?: number } = {}) {
  let failures = options.failCommits ?? 0;
  const events: string[] = [];
  const transaction: StoreScope['transaction'] = async (fn) => {
    events.push('begin');
    const result = await store.transaction(async (tx) => {
      const value = await fn(tx);
      if (failures > 0) {
        failures--;
        throw new Error('the commit failed');
      }
      return value;
    });
    events.push('committed');
    return result;
  };
  // The group commit commits through `transactionSyncedLater`: both are observed alike.
  const scope: StoreScope = { ...store, transaction, transactionSyncedLater: transaction };
  return { scope, events };
}

describe('GroupCommit', () => {
  test('rows enqueued in one turn commit in one transaction, in order, each answered with what it replaced', async () => {
    const store = await storeWithBucket();
    const { scope, events } = observed(store);
    const commits = new GroupCommit();
    const answered: string[] = [];
    const puts = ['k1', 'k2', 'k1'].map((key, i) =>
      commits.put(scope, row(key, `blob-${i}`)).then((replaced) => {
        // Answered only after the transaction holding the row has committed.
        answered.push(`${key}:${events.at(-1) ?? ''}`);
        return replaced;
      }),
    );
    const [first, second, third] = await Promise.all(puts);
    assert.equal(first, undefined);
    assert.equal(second, undefined);
    // The second put of k1 in the same batch replaced the first.
    assert.equal(third?.blobId, 'blob-0');
    assert.deepEqual(events, ['begin', 'committed']);
    assert.deepEqual(answered, ['k1:committed', 'k2:committed', 'k1:committed']);
    assert.deepEqual(commits.stats, { batches: 1, rows: 3 });
    assert.equal((await store.objects.get('b', 'k1'))?.blobId, 'blob-2');
    assert.equal((await store.objects.get('b', 'k2'))?.blobId, 'blob-1');
    await store.close();
  });

  test("one row's failure (its bucket is gone) fails that row alone; the others commit", async () => {
    const store = await storeWithBucket();
    const commits = new GroupCommit();
    const results = await Promise.allSettled([
      commits.put(store, row('a', 'blob-a')),
      commits.put(store, row('x', 'blob-x', 'no-such-bucket')),
      commits.put(store, row('c', 'blob-c')),
    ]);
    assert.equal(results[0]?.status, 'fulfilled');
    assert.equal(results[2]?.status, 'fulfilled');
    const failed = results[1];
    assert.ok(failed?.status === 'rejected' && isStoreError(failed.reason, 'notFound'));
    assert.deepEqual(commits.stats, { batches: 1, rows: 3 });
    assert.deepEqual(
      (await store.objects.list('b', { limit: 10 })).map((o) => o.key),
      ['a', 'c'],
    );
    await store.close();
  });

  test('a batch whose commit fails is retried row by row, and nothing is lost or doubled', async () => {
    const store = await storeWithBucket();
    const { scope, events } = observed(store, { failCommits: 1 });
    const commits = new GroupCommit();
    const replaced = await Promise.all([
      commits.put(scope, row('a', 'blob-a')),
      commits.put(scope, row('b', 'blob-b')),
    ]);
    assert.deepEqual(replaced, [undefined, undefined]);
    // The failed batch rolled back whole: the rows were then written one by one, outside a transaction.
    assert.deepEqual(events, ['begin']);
    assert.deepEqual(commits.stats, { batches: 0, rows: 0 });
    assert.deepEqual(
      (await store.objects.list('b', { limit: 10 })).map((o) => o.blobId),
      ['blob-a', 'blob-b'],
    );
    await store.close();
  });

  test('a batch committed but not made durable fails every row, and is not retried row by row', async () => {
    const store = await storeWithBucket();
    const failure = new UnsyncedCommitError(new Error('EIO'));
    let commits = 0;
    const scope: StoreScope = {
      ...store,
      transactionSyncedLater: async (fn) => {
        commits++;
        await store.transaction(fn);
        throw failure;
      },
    };
    const group = new GroupCommit();
    const results = await Promise.allSettled([
      group.put(scope, row('a', 'blob-a')),
      group.put(scope, row('b', 'blob-b')),
    ]);
    assert.deepEqual(
      results.map((r) => r.status === 'rejected' && r.reason === failure),
      [true, true],
    );
    assert.equal(commits, 1);
    // The rows stay committed (their blobs must stay too): only their durability is unknown.
    assert.equal((await store.objects.list('b', { limit: 10 })).length, 2);
    await store.close();
  });

  test('rows that arrive while a batch commits go into the next one; batches are bounded', async () => {
    const store = await storeWithBucket();
    const commits = new GroupCommit(2);
    const first = Promise.all([1, 2, 3, 4, 5].map((i) => commits.put(store, row(`k${i}`, `blob-${i}`))));
    // Arrives after the first flush was scheduled: a later batch.
    await new Promise((resolve) => setImmediate(resolve));
    const late = commits.put(store, row('late', 'blob-late'));
    await Promise.all([first, late]);
    assert.equal(commits.stats.rows, 6);
    assert.ok(commits.stats.batches >= 3, `batches: ${commits.stats.batches}`);
    assert.equal((await store.objects.list('b', { limit: 10 })).length, 6);
    await store.close();
  });

  test('rows of two stores commit apart, each in its own store', async () => {
    const one = await storeWithBucket();
    const two = await storeWithBucket();
    const commits = new GroupCommit();
    await Promise.all([commits.put(one, row('a', 'blob-1')), commits.put(two, row('a', 'blob-2'))]);
    assert.equal((await one.objects.get('b', 'a'))?.blobId, 'blob-1');
    assert.equal((await two.objects.get('b', 'a'))?.blobId, 'blob-2');
    assert.deepEqual(commits.stats, { batches: 2, rows: 2 });
    await one.close();
    await two.close();
  });

  test('maxBatch must be a positive integer', () => {
    assert.throws(() => new GroupCommit(0), TypeError);
    assert.throws(() => new GroupCommit(1.5), TypeError);
  });
  test('rows wait for blob writes still in progress, and go as soon as the last one has ended', async () => {
    const store = await storeWithBucket();
    // A window far longer than the test: only the end of the write can release the row.
    const commits = new GroupCommit(256, 60_000);
    const ended = commits.beginWrite();
    let done = false;
    const first = commits.put(store, row('a', 'blob-a')).then(() => (done = true));
    await new Promise((resolve) => setImmediate(resolve));
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(done, false, 'committed while a write that could join was still in progress');
    // The write that was in progress joins the batch, then ends: one transaction for both rows.
    const second = commits.put(store, row('b', 'blob-b'));
    ended();
    ended();
    await Promise.all([first, second]);
    assert.deepEqual(commits.stats, { batches: 1, rows: 2 });
    await store.close();
  });

  test('a write that never ends holds waiting rows back no longer than the window', async () => {
    const store = await storeWithBucket();
    const commits = new GroupCommit(256, 5);
    const ended = commits.beginWrite();
    await commits.put(store, row('a', 'blob-a'));
    assert.deepEqual(commits.stats, { batches: 1, rows: 1 });
    ended();
    await store.close();
  });
});
