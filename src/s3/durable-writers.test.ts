import assert from 'node:assert/strict';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { DurableWriters } from './durable-writers.js';

const dir = mkdtempSync(join(tmpdir(), 'openirsa-writers-'));
after(() => rmSync(dir, { recursive: true, force: true }));

describe('DurableWriters', () => {
  test('writes the bytes to the temporary file, renames it into place (making its directory), 0600', async () => {
    const writers = new DurableWriters(2, 50);
    mkdirSync(join(dir, 'tmp'), { recursive: true });
    const jobs = Array.from({ length: 6 }, (_, i) => ({
      tmp: join(dir, 'tmp', `${i}.tmp`),
      target: join(dir, 'a', `f${i % 2}`, `blob-${i}`),
      bytes: Buffer.from(`bytes of ${i}`),
    }));
    await Promise.all(jobs.map((j) => writers.write(j.tmp, j.target, j.bytes)));
    assert.ok(writers.threads <= 2);
    for (const [i, j] of jobs.entries()) {
      assert.equal(readFileSync(j.target, 'utf8'), `bytes of ${i}`);
      assert.equal((statSync(j.target).mode & 0o777).toString(8), '600');
    }
    assert.deepEqual(readdirSync(join(dir, 'tmp')), []);
    // Idle workers end; the next job starts one again.
    await sleep(200);
    assert.equal(writers.threads, 0);
    const tmp = join(dir, 'tmp', 'again.tmp');
    await writers.write(tmp, join(dir, 'a', 'again'), Buffer.alloc(0));
    assert.equal(readFileSync(join(dir, 'a', 'again')).length, 0);
  });

  test("a view into a larger buffer: exactly its bytes are written, and the caller's buffer is left whole", async () => {
    const writers = new DurableWriters(1, 50);
    mkdirSync(join(dir, 'tmp'), { recursive: true });
    const slab = Buffer.alloc(65536, 0x61);
    slab.write('the middle', 30000);
    const view = slab.subarray(30000, 30010);
    const target = join(dir, 'views', 'blob-view');
    await writers.write(join(dir, 'tmp', 'view.tmp'), target, view);
    assert.equal(readFileSync(target, 'utf8'), 'the middle');
    // Not detached: the slab (and the view) still hold their bytes after the hand-over.
    assert.equal(slab.byteLength, 65536);
    assert.equal(view.toString(), 'the middle');
    assert.equal(slab[0], 0x61);
  });

  test('a failure comes back with its code and leaves no temporary file', async () => {
    const writers = new DurableWriters(1, 50);
    const taken = join(dir, 'taken.tmp');
    writeFileSync(taken, 'someone else');
    // The temporary file must be new: an existing one is EEXIST, and stays as it was (it is not this job's).
    await assert.rejects(writers.write(taken, join(dir, 'x'), Buffer.from('b')), { code: 'EEXIST' });
    assert.equal(readFileSync(taken, 'utf8'), 'someone else');
    assert.equal(existsSync(join(dir, 'x')), false);
    await assert.rejects(writers.write(join(dir, 'missing', 'y.tmp'), join(dir, 'y'), Buffer.from('b')), {
      code: 'ENOENT',
    });
    assert.equal(existsSync(join(dir, 'y')), false);
  });
});
