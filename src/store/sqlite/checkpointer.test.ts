import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import Database from 'better-sqlite3';
import { A, T0 } from '../contract/fixtures.js';
import { Checkpointer } from './checkpointer.js';
import { openSqliteStore } from './sqlite-store.js';

const dir = mkdtempSync(join(tmpdir(), 'openirsa-checkpoint-'));
after(() => rmSync(dir, { recursive: true, force: true }));
let files = 0;

/** A WAL database whose own automatic checkpoint is off, holding `rows` committed 4 KiB rows. */
function walDatabase(rows: number) {
  const path = join(dir, `db-${++files}.sqlite`);
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  db.pragma('wal_autocheckpoint = 0');
  db.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, bytes BLOB NOT NULL)');
  const insert = db.prepare('INSERT INTO t (bytes) VALUES (?)');
  for (let i = 0; i < rows; i++) insert.run(Buffer.alloc(4096, i % 256));
  return { path, db };
}

/** The bytes of the database file itself: its pages grow in it only as a checkpoint copies them. */
const fileBytes = (path: string) => statSync(path).size;

describe('Checkpointer', () => {
  test('a nudge runs a PASSIVE checkpoint in its worker: the frames reach the database, the rows stay', async () => {
    const { path, db } = walDatabase(200);
    assert.ok(fileBytes(path) < 100 * 4096, 'the rows are in the WAL only');
    const checkpointer = new Checkpointer(path);
    try {
      checkpointer.nudge();
      await checkpointer.whenIdle();
      assert.equal(checkpointer.stats.runs, 1);
      assert.equal(checkpointer.stats.failures, 0);
      assert.ok(checkpointer.stats.checkpointed > 0);
      assert.ok(fileBytes(path) >= 200 * 4096, 'the checkpoint copied the rows into the database file');
      // Commits go on meanwhile and after: the checkpoint blocked nothing.
      db.prepare('INSERT INTO t (bytes) VALUES (?)').run(Buffer.from('after'));
      assert.equal((db.prepare('SELECT COUNT(*) AS n FROM t').get() as { n: number }).n, 201);
    } finally {
      await checkpointer.close();
      db.close();
    }
    const reopened = new Database(path, { readonly: true });
    assert.equal((reopened.prepare('SELECT COUNT(*) AS n FROM t').get() as { n: number }).n, 201);
    reopened.close();
  });

  test('nudges within the interval become one later checkpoint; none run while none come', async () => {
    const { path, db } = walDatabase(10);
    let now = 0;
    const checkpointer = new Checkpointer(path, 40, 5000, () => now);
    try {
      checkpointer.nudge();
      await checkpointer.whenIdle();
      assert.equal(checkpointer.stats.runs, 1);
      now = 10;
      for (let i = 0; i < 5; i++) checkpointer.nudge();
      await checkpointer.whenIdle();
      assert.equal(checkpointer.stats.runs, 2, 'five nudges, one checkpoint once the interval had passed');
      await new Promise((resolve) => setTimeout(resolve, 60));
      assert.equal(checkpointer.stats.runs, 2);
    } finally {
      await checkpointer.close();
      db.close();
    }
  });

  test('an idle worker ends, close ends it, and a closed checkpointer ignores nudges', async () => {
    const { path, db } = walDatabase(5);
    const checkpointer = new Checkpointer(path, 0, 20);
    try {
      checkpointer.nudge();
      await checkpointer.whenIdle();
      assert.equal(checkpointer.hasWorker, true);
      await new Promise((resolve) => setTimeout(resolve, 150));
      assert.equal(checkpointer.hasWorker, false, 'ended after its idle time');
      checkpointer.nudge();
      await checkpointer.whenIdle();
      assert.equal(checkpointer.stats.runs, 2);
      await checkpointer.close();
      assert.equal(checkpointer.hasWorker, false);
      checkpointer.nudge();
      await checkpointer.whenIdle();
      assert.equal(checkpointer.stats.runs, 2);
    } finally {
      await checkpointer.close();
      db.close();
    }
  });

  for (const [name, make] of [
    ['cannot open the database', () => new Checkpointer(join(dir, 'missing.sqlite'), 0)],
    [
      'cannot even start',
      () =>
        new Checkpointer(join(dir, 'unused.sqlite'), 0, 5000, undefined, () => {
          throw new Error('no threads today');
        }),
    ],
  ] as const) {
    test(`a worker that ${name} fails once, says so once, leaves nothing waiting; later nudges try nothing`, async () => {
      const checkpointer = make();
      let told = 0;
      checkpointer.onFailed = () => told++;
      checkpointer.nudge();
      await checkpointer.whenIdle();
      assert.equal(checkpointer.stats.failures, 1);
      assert.equal(told, 1);
      assert.equal(checkpointer.hasWorker, false);
      checkpointer.nudge();
      await checkpointer.whenIdle();
      assert.equal(checkpointer.stats.failures, 1);
      await checkpointer.close();
    });
  }

  test('close waits for a worker whose ending the idle timer began', async () => {
    const { path, db } = walDatabase(5);
    const checkpointer = new Checkpointer(path, 0, 1);
    const events: string[] = [];
    try {
      checkpointer.nudge();
      await checkpointer.whenIdle();
      // The 1 ms idle timer fires and begins the ending; close is called while the worker still runs.
      while (checkpointer.hasWorker) await new Promise((resolve) => setTimeout(resolve, 1));
      await checkpointer.close();
      events.push('closed');
      // With the worker gone, this connection is the last: closing it checkpoints and removes the WAL.
      db.close();
      events.push('db closed');
      assert.equal(existsSync(`${path}-wal`), false, 'the WAL ended with the last connection');
    } finally {
      await checkpointer.close();
      if (db.open) db.close();
    }
    assert.deepEqual(events, ['closed', 'db closed']);
  });

  test('a store with background checkpoints keeps its data across closing and reopening', async () => {
    const path = join(dir, `store-${++files}.sqlite`);
    const store = openSqliteStore({ path });
    await store.accounts.create({ id: A, createdAt: T0 });
    await store.buckets.create({ name: 'b', accountId: A, region: 'us-east-1', createdAt: T0 });
    for (let i = 0; i < 50; i++) {
      await store.transactionSyncedLater(async (tx) => {
        await tx.objects.put(
          {
            bucket: 'b',
            key: `k${i}`,
            size: 4096,
            etag: '"e"',
            metadata: [],
            checksums: {},
            lastModified: T0,
            blobId: `b${i}`,
          },
          Buffer.alloc(4096, i),
        );
      });
    }
    await store.close();
    const again = openSqliteStore({ path, backgroundCheckpoints: false });
    try {
      assert.deepEqual(await again.objects.getBytes('b49'), Buffer.alloc(4096, 49));
      assert.equal((await again.objects.listSummaries('b', { limit: 100 })).length, 50);
    } finally {
      await again.close();
    }
  });
});
