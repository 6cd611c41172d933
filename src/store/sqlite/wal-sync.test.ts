import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readlinkSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, describe, test } from 'node:test';
import Database from 'better-sqlite3';
import { UnsyncedCommitError, UnwritableStoreError } from '../errors.js';
import { A, fixtures, T0 } from '../contract/fixtures.js';
import { SqliteDatabase } from './database.js';
import { openSqliteConnection, openSqliteStore } from './sqlite-store.js';
import { fsyncFile, heldFileSyncs, walSync } from './wal-sync.js';

const dir = mkdtempSync(join(tmpdir(), 'openirsa-walsync-'));
after(() => rmSync(dir, { recursive: true, force: true }));
let files = 0;
const newFile = () => join(dir, `store-${++files}.sqlite`);

/** An injected fsync that records its paths and finishes only when the test releases it. */
function heldSync() {
  const synced: string[] = [];
  let release: (error?: Error) => void = () => {};
  let started: () => void = () => {};
  const begun = new Promise<void>((resolve) => {
    started = resolve;
  });
  const sync = (path: string) =>
    new Promise<void>((resolve, reject) => {
      synced.push(path);
      started();
      release = (error) => (error === undefined ? resolve() : reject(error));
    });
  return { sync, synced, begun, release: (error?: Error) => release(error) };
}

describe('transactionSyncedLater (SQLite)', () => {
  test('resolves only after the -wal fsync, which runs after COMMIT; other calls run meanwhile', async () => {
    const path = newFile();
    const held = heldSync();
    const store = openSqliteStore({ path, syncFile: held.sync });
    try {
      const f = fixtures();
      await store.accounts.create({ id: A, createdAt: T0 });
      let settled = false;
      const done = store
        .transactionSyncedLater(async (tx) => {
          await tx.roles.create(f.role(A, 'r'));
          return 7;
        })
        .finally(() => {
          settled = true;
        });
      await held.begun;
      assert.deepEqual(held.synced, [`${path}-wal`]);
      // The commit has taken effect: visible, even to a second connection, before its fsync ended.
      assert.ok(await store.roles.get(A, 'r'));
      const other = new Database(path, { readonly: true });
      try {
        assert.deepEqual(other.prepare('SELECT count(*) AS n FROM roles').get(), { n: 1 });
      } finally {
        other.close();
      }
      // The store works on (the write lock was released at COMMIT) and is back to synchronous = FULL.
      await store.roles.create(f.role(A, 'r2'));
      assert.equal(settled, false, 'not answered before the fsync');
      held.release();
      // The first call also syncs the directory, so the -wal file's name is durable too.
      await new Promise((resolve) => setImmediate(resolve));
      assert.deepEqual(held.synced, [`${path}-wal`, dirname(path)]);
      held.release();
      assert.equal(await done, 7);
    } finally {
      await store.close();
    }
  });

  test('the connection runs at synchronous = FULL again after it, whatever the outcome', async () => {
    const connection = openSqliteConnection({ path: newFile() });
    const db = new SqliteDatabase(connection);
    try {
      let during: unknown;
      await db.transactionSyncedLater(
        () => {
          during = connection.pragma('synchronous', { simple: true });
          return Promise.resolve();
        },
        () => Promise.resolve(),
      );
      assert.equal(during, 1, 'NORMAL for the transaction');
      assert.equal(connection.pragma('synchronous', { simple: true }), 2);
      await assert.rejects(
        db.transactionSyncedLater(
          () => Promise.reject(new Error('boom')),
          () => Promise.resolve(),
        ),
        { message: 'boom' },
      );
      assert.equal(connection.pragma('synchronous', { simple: true }), 2);
      await db.transaction(() => Promise.resolve());
      assert.equal(connection.pragma('synchronous', { simple: true }), 2);
    } finally {
      await db.close();
    }
  });

  test('a failed fsync rejects with UnsyncedCommitError; the writes stay committed; no write is taken after it', async () => {
    const path = newFile();
    const failure = new Error('EIO');
    const store = openSqliteStore({ path, syncFile: () => Promise.reject(failure) });
    try {
      const f = fixtures();
      await store.accounts.create({ id: A, createdAt: T0 });
      await assert.rejects(
        store.transactionSyncedLater(async (tx) => tx.roles.create(f.role(A, 'r'))),
        (e) => e instanceof UnsyncedCommitError && e.cause === failure,
      );
      assert.ok(await store.roles.get(A, 'r'));
      // Fail-stop: a later fsync that succeeds would prove nothing about the frames before it.
      const refused = (e: unknown) => e instanceof UnwritableStoreError && e.cause === failure;
      await assert.rejects(store.roles.create(f.role(A, 'plain')), refused);
      await assert.rejects(
        store.transaction(async (tx) => tx.roles.create(f.role(A, 'tx'))),
        refused,
      );
      await assert.rejects(
        store.transactionSyncedLater(async (tx) => tx.roles.create(f.role(A, 'later'))),
        refused,
      );
      assert.equal(await store.roles.get(A, 'plain'), undefined);
      assert.equal(await store.roles.get(A, 'tx'), undefined);
      assert.equal(await store.roles.get(A, 'later'), undefined);
      assert.ok(await store.accounts.get(A), 'reads go on');
    } finally {
      await store.close();
    }
  });

  test('a rolled-back function never reaches the fsync', async () => {
    const held = heldSync();
    const store = openSqliteStore({ path: newFile(), syncFile: held.sync });
    try {
      await store.accounts.create({ id: A, createdAt: T0 });
      await assert.rejects(
        store.transactionSyncedLater(async (tx) => {
          await tx.roles.create(fixtures().role(A, 'r'));
          throw new Error('boom');
        }),
        { message: 'boom' },
      );
      assert.deepEqual(held.synced, []);
      assert.equal(await store.roles.get(A, 'r'), undefined);
    } finally {
      await store.close();
    }
  });

  test(':memory: has no -wal file: it commits as transaction does, without a sync', async () => {
    let calls = 0;
    const store = openSqliteStore({
      path: ':memory:',
      syncFile: () => {
        calls++;
        return Promise.resolve();
      },
    });
    try {
      await store.accounts.create({ id: A, createdAt: T0 });
      assert.equal(await store.transactionSyncedLater(() => Promise.resolve(3)), 3);
      assert.equal(calls, 0);
    } finally {
      await store.close();
    }
  });

  test('walSync syncs the directory once only; fsyncFile syncs a real file and fails on a missing one', async () => {
    const seen: string[] = [];
    const sync = walSync('/data/x.sqlite', (p) => {
      seen.push(p);
      return Promise.resolve();
    });
    await sync();
    await sync();
    assert.deepEqual(seen, ['/data/x.sqlite-wal', '/data', '/data/x.sqlite-wal']);
    const path = newFile();
    const store = openSqliteStore({ path });
    try {
      await store.accounts.create({ id: A, createdAt: T0 });
      await fsyncFile(`${path}-wal`);
      await fsyncFile(dir);
    } finally {
      await store.close();
    }
    await assert.rejects(fsyncFile(join(dir, 'missing')), { code: 'ENOENT' });
  });

  test('heldFileSyncs opens a path once for every sync, retries a path that failed, and closes what it opened', async () => {
    const path = join(dir, 'held.bin');
    /** The descriptors of this process that name `file` (Linux /proc). */
    const openOn = (file: string) =>
      readdirSync('/proc/self/fd').filter((fd) => {
        try {
          return readlinkSync(`/proc/self/fd/${fd}`) === file;
        } catch {
          return false;
        }
      }).length;
    const held = heldFileSyncs();
    await assert.rejects(held.sync(path), { code: 'ENOENT' });
    writeFileSync(path, 'bytes');
    await Promise.all([held.sync(path), held.sync(path), held.sync(path)]);
    await held.sync(path);
    assert.equal(openOn(path), 1, 'one descriptor, kept, for every sync');
    const last = held.sync(path);
    await held.close();
    await last;
    assert.equal(openOn(path), 0, 'close waited for the sync in flight, then closed the descriptor');
    await held.close();
  });

  test('a store syncs its WAL through one descriptor kept while it is open, and closes it with itself', async () => {
    const path = newFile();
    const wal = `${path}-wal`;
    const count = () =>
      readdirSync('/proc/self/fd').filter((fd) => {
        try {
          return readlinkSync(`/proc/self/fd/${fd}`) === wal;
        } catch {
          return false;
        }
      }).length;
    const store = openSqliteStore({ path });
    const before = count();
    await store.accounts.create({ id: A, createdAt: T0 });
    for (let i = 0; i < 3; i++) await store.transactionSyncedLater(() => Promise.resolve(i));
    // SQLite's own descriptor of the -wal file, and ours.
    assert.equal(count(), before + 1);
    await store.close();
    assert.equal(count(), 0);
  });
});
