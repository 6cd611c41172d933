import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import Database from 'better-sqlite3';
import { OTHER_CONNECTIONS_CHECK_MS, SqliteDatabase } from './database.js';

const dir = mkdtempSync(join(tmpdir(), 'openirsa-database-'));
after(() => rmSync(dir, { recursive: true, force: true }));
let files = 0;

/** Two connections on one fresh WAL file with a table `t(k, v)`, the first wrapped with a fake clock. */
function open(otherConnectionsCheckMs?: number, checkOthersPerRequest = false) {
  const path = join(dir, `db-${++files}.sqlite`);
  const own = new Database(path);
  own.pragma('journal_mode = WAL');
  own.exec("CREATE TABLE t (k TEXT PRIMARY KEY, v TEXT NOT NULL); INSERT INTO t VALUES ('a', 'one')");
  const other = new Database(path);
  let now = 1_000;
  const db = new SqliteDatabase(own, {
    ...(otherConnectionsCheckMs !== undefined ? { otherConnectionsCheckMs } : {}),
    ...(checkOthersPerRequest ? { checkOthersPerRequest } : {}),
    monotonicNow: () => now,
  });
  const read = () =>
    db.cachedRead('a', () => (db.statement("SELECT v FROM t WHERE k = 'a'").get() as { v: string }).v);
  return {
    db,
    own,
    other,
    read,
    advance: (ms: number) => {
      now += ms;
    },
    close: async () => {
      other.close();
      await db.close();
    },
  };
}

describe('cachedRead', () => {
  test('a change this connection makes is seen at once, whatever path made it', async () => {
    const t = open(60_000);
    try {
      assert.equal(await t.read(), 'one');
      await t.db.write(() => t.db.statement("UPDATE t SET v = 'write' WHERE k = 'a'").run());
      assert.equal(await t.read(), 'write');
      await t.db.transaction(() => {
        t.db.statement("UPDATE t SET v = 'transaction' WHERE k = 'a'").run();
        return Promise.resolve();
      });
      assert.equal(await t.read(), 'transaction');
      // Outside any of SqliteDatabase's own write paths: straight on the connection.
      t.own.prepare("UPDATE t SET v = 'raw' WHERE k = 'a'").run();
      assert.equal(await t.read(), 'raw');
      await t.db.read(() => t.db.statement("UPDATE t SET v = 'in a read' WHERE k = 'a'").run());
      assert.equal(await t.read(), 'in a read');
    } finally {
      await t.close();
    }
  });

  test('another connection’s commit is seen once the check interval has passed, and not before', async () => {
    const t = open();
    try {
      assert.equal(await t.read(), 'one');
      t.other.prepare("UPDATE t SET v = 'other' WHERE k = 'a'").run();
      // ⚠ The documented window: within it a kept result may be that old.
      t.advance(OTHER_CONNECTIONS_CHECK_MS - 1);
      assert.equal(await t.read(), 'one');
      t.advance(1);
      assert.equal(await t.read(), 'other');
      // And the next commit is seen one interval after the last check, not after the first one.
      t.other.prepare("UPDATE t SET v = 'again' WHERE k = 'a'").run();
      assert.equal(await t.read(), 'other');
      t.advance(OTHER_CONNECTIONS_CHECK_MS);
      assert.equal(await t.read(), 'again');
    } finally {
      await t.close();
    }
  });

  test('with an interval of 0 every cached read sees another connection’s commit at once', async () => {
    const t = open(0);
    try {
      assert.equal(await t.read(), 'one');
      t.other.prepare("UPDATE t SET v = 'other' WHERE k = 'a'").run();
      assert.equal(await t.read(), 'other');
    } finally {
      await t.close();
    }
  });

  test('checking per request: the first cached read after a request arrives sees another connection’s commit', async () => {
    const t = open(undefined, true);
    try {
      assert.equal(await t.read(), 'one');
      t.other.prepare("UPDATE t SET v = 'other' WHERE k = 'a'").run();
      // No request has arrived since the last look: the clock does not matter, the kept result is served.
      t.advance(10 * OTHER_CONNECTIONS_CHECK_MS);
      assert.equal(await t.read(), 'one');
      t.db.requestArrived();
      assert.equal(await t.read(), 'other');
      // Later reads of the same request do not look again...
      t.other.prepare("UPDATE t SET v = 'again' WHERE k = 'a'").run();
      assert.equal(await t.read(), 'other');
      // ...the next request's first one does.
      t.db.requestArrived();
      assert.equal(await t.read(), 'again');
      // This connection's own change is seen at once, request or not.
      await t.db.write(() => t.db.statement("UPDATE t SET v = 'mine' WHERE k = 'a'").run());
      assert.equal(await t.read(), 'mine');
    } finally {
      await t.close();
    }
  });

  test('a clock that went back checks for other connections again', async () => {
    const t = open();
    try {
      assert.equal(await t.read(), 'one');
      t.other.prepare("UPDATE t SET v = 'other' WHERE k = 'a'").run();
      t.advance(-1);
      assert.equal(await t.read(), 'other');
    } finally {
      await t.close();
    }
  });

  test('writeIn drops the kept results of its scope only; any other change, or a failed writeIn, drops all', async () => {
    const t = open(60_000);
    try {
      t.own.exec(
        "CREATE TABLE objects (k TEXT PRIMARY KEY, v TEXT NOT NULL); INSERT INTO objects VALUES ('o', '1')",
      );
      const runs = { object: 0, other: 0 };
      const readObject = () =>
        t.db.cachedRead('object\u0000o', () => {
          runs.object++;
          return (t.db.statement("SELECT v FROM objects WHERE k = 'o'").get() as { v: string }).v;
        });
      const readOther = () =>
        t.db.cachedRead('other\u0000a', () => {
          runs.other++;
          return (t.db.statement("SELECT v FROM t WHERE k = 'a'").get() as { v: string }).v;
        });
      const writeObject = (v: string) =>
        t.db.writeIn('object', () => t.db.statement('UPDATE objects SET v = ? WHERE k = ?').run(v, 'o'));
      assert.deepEqual([await readObject(), await readOther()], ['1', 'one']);
      await writeObject('2');
      assert.deepEqual([await readObject(), await readOther()], ['2', 'one']);
      assert.deepEqual(runs, { object: 2, other: 1 }, 'the other scope was served from what was kept');
      // Several scoped writes between two reads, one inside a transaction: still only their scope.
      await writeObject('3');
      await t.db.transaction(async () => {
        await writeObject('4');
      });
      assert.deepEqual([await readObject(), await readOther()], ['4', 'one']);
      assert.deepEqual(runs, { object: 3, other: 1 });
      // A change by another path beside a scoped write: everything is read again.
      await writeObject('5');
      t.own.prepare("UPDATE t SET v = 'raw' WHERE k = 'a'").run();
      assert.deepEqual([await readObject(), await readOther()], ['5', 'raw']);
      assert.deepEqual(runs, { object: 4, other: 2 });
      // A scoped write that fails after a change (rolled back): its changes are not counted, so all go.
      await assert.rejects(
        t.db.writeIn('object', () => {
          t.db.statement('UPDATE objects SET v = ? WHERE k = ?').run('6', 'o');
          throw new Error('failed part way');
        }),
        /failed part way/,
      );
      assert.deepEqual([await readObject(), await readOther()], ['5', 'raw']);
      assert.deepEqual(runs, { object: 5, other: 3 });
    } finally {
      await t.close();
    }
  });

  test('kept results stay bounded over every scope', async () => {
    const t = open(60_000);
    try {
      const { read, runs } = countingReads(t.db);
      for (let i = 0; i < 1500; i++) await read(`${i % 2 === 0 ? 'even' : 'odd'}\u0000${i}`);
      assert.equal(runs(), 1500);
      // The newest of each scope are still kept; the oldest went.
      await read('even\u00001498');
      await read('odd\u00001499');
      assert.equal(runs(), 1500);
      await read('even\u00000');
      assert.equal(runs(), 1501);
    } finally {
      await t.close();
    }
  });

  test('a scope of few entries still gets room once another scope has filled the cache', async () => {
    const t = open(60_000);
    try {
      const { read, runs } = countingReads(t.db);
      for (let i = 0; i < 1100; i++) await read(`object\u0000${i}`);
      for (let round = 0; round < 3; round++) {
        for (let b = 0; b < 4; b++) await read(`bucket\u0000${b}`);
        for (let k = 0; k < 4; k++) await read(`key\u0000${k}`);
      }
      // The four buckets and four keys were read once each; the rounds after the first were all kept.
      assert.equal(runs(), 1100 + 8);
    } finally {
      await t.close();
    }
  });

  test('an interval that is not a non-negative number is a programming error', () => {
    const own = new Database(':memory:');
    try {
      for (const bad of [-1, Number.NaN, Number.POSITIVE_INFINITY]) {
        assert.throws(() => new SqliteDatabase(own, { otherConnectionsCheckMs: bad }), {
          name: 'TypeError',
          message: 'otherConnectionsCheckMs must be a non-negative number of milliseconds',
        });
      }
    } finally {
      own.close();
    }
  });
});

/** A cached read of its own key, and how many times a read was not served from the cache. */
function countingReads(db: SqliteDatabase): { read: (key: string) => Promise<string>; runs: () => number } {
  let runs = 0;
  const read = (key: string) =>
    db.cachedRead(key, () => {
      runs++;
      return key;
    });
  return { read, runs: () => runs };
}

describe('afterCommit', () => {
  test('follows each commit of a write, a writeIn and an outermost transaction, never a nested one or a failure', async () => {
    const { db, own, close } = open();
    try {
      const seen: string[] = [];
      // What the hook sees: never an open transaction here, and the committed row already there. (Asserted
      // outside: a throw from the hook is ignored by design.)
      const inTransaction: boolean[] = [];
      db.afterCommit = () => {
        inTransaction.push(own.inTransaction);
        seen.push((db.statement("SELECT v FROM t WHERE k = 'a'").get() as { v: string }).v);
      };
      const set = (v: string) => db.statement("UPDATE t SET v = ? WHERE k = 'a'").run(v);
      await db.write(() => set('w'));
      await db.writeIn('t', () => set('wi'));
      await db.transaction(async () => {
        await db.write(() => set('nested write'));
        await db.transaction(() => {
          set('nested transaction');
          return Promise.resolve();
        });
        assert.deepEqual(seen, ['w', 'wi'], 'nothing inside the transaction is a commit');
        set('outer');
      });
      await db.transactionSyncedLater(
        () => {
          set('later');
          return Promise.resolve();
        },
        () => {
          // The WAL's fsync comes before the hook.
          assert.deepEqual(seen, ['w', 'wi', 'outer']);
          return Promise.resolve();
        },
      );
      assert.deepEqual(seen, ['w', 'wi', 'outer', 'later']);
      await assert.rejects(
        db.write(() => {
          set('rolled back');
          throw new Error('no');
        }),
        /no/,
      );
      await assert.rejects(
        db.transaction(() => {
          set('rolled back too');
          return Promise.reject(new Error('no'));
        }),
        /no/,
      );
      assert.deepEqual(seen, ['w', 'wi', 'outer', 'later']);
      assert.deepEqual(inTransaction, [false, false, false, false]);
      // A hook that throws leaves the commit a success.
      db.afterCommit = () => {
        throw new Error('hook');
      };
      await db.write(() => set('after a bad hook'));
      assert.equal(
        (db.statement("SELECT v FROM t WHERE k = 'a'").get() as { v: string }).v,
        'after a bad hook',
      );
    } finally {
      await close();
    }
  });
});
