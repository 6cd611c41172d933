import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import Database from 'better-sqlite3';
import { fixedClock } from '../../shared/clock.js';
import { runStoreContract } from '../contract.js';
import { A, fixtures, T0 } from '../contract/fixtures.js';
import { migrate, MIGRATIONS, SCHEMA_VERSION, type Migration } from './migrations.js';
import { openSqliteConnection, openSqliteStore } from './sqlite-store.js';

const dir = mkdtempSync(join(tmpdir(), 'openirsa-store-'));
after(() => rmSync(dir, { recursive: true, force: true }));
let files = 0;
const newFile = () => join(dir, `store-${++files}.sqlite`);

runStoreContract({
  name: 'SQLite :memory:',
  newStore: () => Promise.resolve(openSqliteStore({ path: ':memory:' })),
  shared: { skip: 'a `:memory:` database belongs to one connection: no second store can open it' },
});

runStoreContract({
  name: 'SQLite file',
  newStore: () => Promise.resolve(openSqliteStore({ path: newFile() })),
  shared: {
    newBacking: () => {
      const path = newFile();
      // The contract reads another store's commit right after it: with the default, a cached read may
      // see it up to OTHER_CONNECTIONS_CHECK_MS late (tested under "SQLite specifics"), so these stores
      // check on every cached read, as every store did before that interval.
      return Promise.resolve(() => Promise.resolve(openSqliteStore({ path, otherConnectionsCheckMs: 0 })));
    },
  },
});

// PostgreSQL: runStoreContract({ name: 'PostgreSQL', newStore: ..., shared: { newBacking: ... } }) plugs in
// here once src/store/postgres/ exists, skipped with its reason when no database URL is configured.

describe('SQLite specifics', () => {
  test('the database file, which holds secrets, is readable by its owner only', () => {
    const path = newFile();
    const db = openSqliteConnection({ path });
    try {
      db.prepare('SELECT 1').get();
      assert.equal(statSync(path).mode & 0o777, 0o600);
    } finally {
      db.close();
    }
  });

  test('a connection is in WAL mode with foreign keys on, full sync and the busy timeout asked for', () => {
    const db = openSqliteConnection({ path: newFile(), busyTimeoutMs: 1234 });
    try {
      assert.equal(db.pragma('journal_mode', { simple: true }), 'wal');
      assert.equal(db.pragma('foreign_keys', { simple: true }), 1);
      assert.equal(db.pragma('synchronous', { simple: true }), 2);
      assert.equal(db.pragma('busy_timeout', { simple: true }), 1234);
      assert.throws(
        () => db.prepare("INSERT INTO role_inline_policies VALUES ('AROAGHOST', 'p', 'p', '{}')").run(),
        { code: 'SQLITE_CONSTRAINT_FOREIGNKEY' },
      );
    } finally {
      db.close();
    }
  });

  test("a write waits for another process's lock up to the busy timeout, then fails", async () => {
    const path = newFile();
    const store = openSqliteStore({ path, busyTimeoutMs: 20 });
    const other = new Database(path);
    try {
      other.exec('BEGIN IMMEDIATE');
      await assert.rejects(store.accounts.create({ id: '111122223333', createdAt: 0 }), {
        code: 'SQLITE_BUSY',
      });
      other.exec('ROLLBACK');
      await store.accounts.create({ id: '111122223333', createdAt: 0 });
    } finally {
      other.close();
      await store.close();
    }
  });

  test('opening records each migration once, however often the file is reopened', async () => {
    const path = newFile();
    for (let i = 0; i < 3; i++) await openSqliteStore({ path, clock: fixedClock(1000 + i) }).close();
    const db = new Database(path, { readonly: true });
    try {
      const rows = db.prepare('SELECT version, applied_at FROM schema_migrations ORDER BY version').all();
      assert.deepEqual(
        rows,
        Array.from({ length: SCHEMA_VERSION }, (_, i) => ({ version: i + 1, applied_at: 1000 })),
      );
    } finally {
      db.close();
    }
  });

  test('a database from a newer schema is refused with a clear message, and left untouched', async () => {
    const path = newFile();
    await openSqliteStore({ path }).close();
    const db = new Database(path);
    db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)').run(
      SCHEMA_VERSION + 1,
      'from the future',
      0,
    );
    db.close();
    assert.throws(() => openSqliteStore({ path }), {
      message: `database \`${path}\` has schema version ${SCHEMA_VERSION + 1}, newer than the ${SCHEMA_VERSION} this openirsa knows: open it with the openirsa that wrote it, or a newer one`,
    });
    const check = new Database(path, { readonly: true });
    try {
      assert.deepEqual(check.prepare('SELECT MAX(version) AS v FROM schema_migrations').get(), {
        v: SCHEMA_VERSION + 1,
      });
    } finally {
      check.close();
    }
  });

  test('a migration that fails applies nothing of itself or of the migrations before it', () => {
    const db = new Database(':memory:');
    try {
      const migrations: Migration[] = [
        { version: 1, name: 'good', sql: 'CREATE TABLE a (x TEXT)' },
        { version: 2, name: 'bad', sql: 'CREATE TABLE b (x TEXT); CREATE TABLE b (y TEXT)' },
      ];
      assert.throws(() => migrate(db, { location: ':memory:', clock: fixedClock(0), migrations }), {
        message: 'table b already exists',
      });
      const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all();
      assert.deepEqual(tables, []);
      assert.equal(
        migrate(db, { location: ':memory:', clock: fixedClock(0), migrations: migrations.slice(0, 1) }),
        1,
      );
    } finally {
      db.close();
    }
  });

  test('migration 6 marks the objects whose bytes are inline, and the sweep finds file blobs by an index', async () => {
    const path = newFile();
    const old = new Database(path);
    migrate(old, { location: path, clock: fixedClock(0), migrations: MIGRATIONS.slice(0, 5) });
    old.exec(`INSERT INTO accounts (id, created_at) VALUES ('${A}', 0);
INSERT INTO buckets (name, account_id, region, created_at) VALUES ('b1', '${A}', 'us-east-1', 0);
INSERT INTO objects (bucket, object_key, size, etag, metadata, checksums, last_modified, blob_id)
  VALUES ('b1', 'small', 2, '"e"', '[]', '{}', 0, 'inline-blob'), ('b1', 'big', 9, '"e"', '[]', '{}', 0, 'file-blob');
INSERT INTO object_bytes (blob_id, bytes) VALUES ('inline-blob', X'6869');`);
    old.close();
    const store = openSqliteStore({ path });
    try {
      assert.equal((await store.objects.get('b1', 'small'))?.inline, true);
      assert.equal((await store.objects.get('b1', 'big'))?.inline, undefined);
      assert.deepEqual(await store.objects.getBytes('inline-blob'), Buffer.from('hi'));
      assert.equal(await store.objects.hasBlob('inline-blob'), true);
      assert.equal(await store.objects.hasBlob('file-blob'), true);
      assert.equal(await store.objects.hasBlob('no-blob'), false);
    } finally {
      await store.close();
    }
    const check = new Database(path, { readonly: true });
    try {
      // The sweep's question is an index search, not a scan of every object.
      const plan = check
        .prepare("EXPLAIN QUERY PLAN SELECT 1 FROM objects WHERE blob_id = 'x' AND inline_bytes = 0 LIMIT 1")
        .all() as { detail: string }[];
      assert.match(plan.map((p) => p.detail).join('\n'), /USING (COVERING )?INDEX objects_by_file_blob/);
      const flags = check.prepare('SELECT object_key, inline_bytes FROM objects ORDER BY object_key').all();
      assert.deepEqual(flags, [
        { object_key: 'big', inline_bytes: 0 },
        { object_key: 'small', inline_bytes: 1 },
      ]);
    } finally {
      check.close();
    }
  });

  test('migrations out of order are a programming error', () => {
    const db = new Database(':memory:');
    try {
      assert.throws(
        () =>
          migrate(db, {
            location: ':memory:',
            clock: fixedClock(0),
            migrations: [{ version: 2, name: 'skips one', sql: '' }],
          }),
        { name: 'TypeError', message: 'migration 2 is out of order' },
      );
    } finally {
      db.close();
    }
  });

  test('roles and OIDC providers read again unchanged are one frozen object, until anything writes', async () => {
    const store = openSqliteStore({ path: ':memory:' });
    try {
      const f = fixtures();
      await store.accounts.create({ id: A, createdAt: T0 });
      await store.roles.create(f.role(A, 'r'));
      const first = await store.roles.get(A, 'r');
      assert.equal(await store.roles.get(A, 'R'), first, 'the same name in another case is the same read');
      assert.ok(Object.isFrozen(first) && Object.isFrozen(first?.tags));
      // Any row this connection changes, even of another table, drops what was kept.
      await store.accessKeys.create({
        accessKeyId: 'AKIAX',
        accountId: A,
        secretAccessKey: 's',
        createdAt: T0,
      });
      const second = await store.roles.get(A, 'r');
      assert.notEqual(second, first);
      assert.deepEqual(second, first);
    } finally {
      await store.close();
    }
  });

  test('kept reads are bounded: past 1024, the oldest is read from the database again', async () => {
    const store = openSqliteStore({ path: ':memory:' });
    try {
      const f = fixtures();
      await store.accounts.create({ id: A, createdAt: T0 });
      await store.transaction(async (tx) => {
        // Ids of our own: sequentialIds repeats itself past a few hundred.
        for (let i = 0; i <= 1024; i++) {
          await tx.roles.create(f.role(A, `r${i}`, { id: `AROA${String(i).padStart(17, '0')}` }));
        }
      });
      const oldest = await store.roles.get(A, 'r0');
      assert.equal(await store.roles.get(A, 'r0'), oldest);
      for (let i = 1; i < 1024; i++) await store.roles.get(A, `r${i}`);
      assert.equal(await store.roles.get(A, 'r0'), oldest, '1024 kept: r0 still among them');
      await store.roles.get(A, 'r1024');
      const again = await store.roles.get(A, 'r0');
      assert.notEqual(again, oldest, 'the 1025th read pushed r0 out');
      assert.deepEqual(again, oldest);
    } finally {
      await store.close();
    }
  });

  test('a closed store refuses calls, and closing twice is harmless', async () => {
    const store = openSqliteStore({ path: ':memory:' });
    await store.close();
    await store.close();
    await assert.rejects(store.accounts.get('111122223333'), { message: 'the store is closed' });
  });

  test('single-statement writes alone begin background checkpoints: their pages reach the database file', async () => {
    const path = newFile();
    const store = openSqliteStore({ path });
    try {
      await store.accounts.create({ id: A, createdAt: T0 });
      await store.buckets.create({ name: 'cp', accountId: A, region: 'us-east-1', createdAt: T0 });
      const before = statSync(path).size;
      // 64 inline objects of 4 KiB, each put a write of its own (no transaction): 256 KiB of rows, far
      // below the 10,000-page safety net, so only a background checkpoint can copy them into the file.
      for (let i = 0; i < 64; i++) {
        const bytes = Buffer.alloc(4096, i);
        await store.objects.put(
          {
            bucket: 'cp',
            key: `k${i}`,
            size: bytes.length,
            etag: '"e"',
            metadata: [],
            checksums: {},
            lastModified: T0,
            blobId: `cp-${i}`,
          },
          bytes,
        );
      }
      let grown = statSync(path).size - before;
      // A bound on the wait, not a timing assertion: the checkpoint begins within 200 ms on an idle machine.
      for (let waited = 0; grown < 64 * 4096 && waited < 15_000; waited += 50) {
        await new Promise((resolve) => setTimeout(resolve, 50));
        grown = statSync(path).size - before;
      }
      assert.ok(grown >= 64 * 4096, `the database file grew by ${grown} bytes`);
      assert.equal((await store.objects.getBytes('cp-63'))?.[0], 63);
    } finally {
      await store.close();
    }
  });

  test('the cached gets of objects, buckets and access keys see every write of this store at once', async () => {
    const store = openSqliteStore({ path: newFile() });
    try {
      await store.accounts.create({ id: A, createdAt: T0 });
      await store.buckets.create({ name: 'cached', accountId: A, region: 'us-east-1', createdAt: T0 });
      const v1 = {
        bucket: 'cached',
        key: 'k\u0000ey',
        size: 1,
        etag: '"1"',
        metadata: [],
        checksums: {},
        lastModified: T0,
        blobId: 'blob-1',
      };
      await store.objects.put(v1);
      assert.equal((await store.objects.get('cached', 'k\u0000ey'))?.etag, '"1"');
      assert.equal((await store.objects.get('cached', 'k\u0000ey'))?.etag, '"1"', 'a hit');
      await store.objects.put({ ...v1, etag: '"2"', blobId: 'blob-2' });
      assert.equal((await store.objects.get('cached', 'k\u0000ey'))?.etag, '"2"', 'the overwrite, at once');
      await store.objects.delete('cached', 'k\u0000ey');
      assert.equal(await store.objects.get('cached', 'k\u0000ey'), undefined, 'the delete, at once');

      assert.equal((await store.buckets.get('cached'))?.policy, undefined);
      await store.buckets.setPolicy('cached', '{"Statement":[]}');
      assert.equal((await store.buckets.get('cached'))?.policy, '{"Statement":[]}');

      await store.accessKeys.create({
        accessKeyId: 'AKIAEXAMPLECACHED001',
        accountId: A,
        secretAccessKey: 's'.repeat(40),
        createdAt: T0,
      });
      assert.equal((await store.accessKeys.get('AKIAEXAMPLECACHED001'))?.status, 'Active');
      await store.accessKeys.updateStatus(A, 'AKIAEXAMPLECACHED001', 'Inactive');
      assert.equal(
        (await store.accessKeys.get('AKIAEXAMPLECACHED001'))?.status,
        'Inactive',
        'deactivated, at once',
      );
      await store.accessKeys.delete(A, 'AKIAEXAMPLECACHED001');
      assert.equal(await store.accessKeys.get('AKIAEXAMPLECACHED001'), undefined, 'deleted, at once');
    } finally {
      await store.close();
    }
  });
});
