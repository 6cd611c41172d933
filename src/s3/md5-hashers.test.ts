import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, test } from 'node:test';
import { seededRandom } from '../shared/seeded-random.js';
import { MD5_HIGH_WATER_BYTES, Md5Hashers } from './md5-hashers.js';

describe('Md5Hashers', () => {
  test('interleaved hashes of random chunkings equal createHash over the same bytes', async () => {
    const random = seededRandom(7);
    const hashers = new Md5Hashers(50);
    const cases = Array.from({ length: 12 }, () => {
      const bytes = Buffer.alloc(Math.floor(random() * 300_000));
      for (let i = 0; i < bytes.length; i++) bytes[i] = Math.floor(random() * 256);
      return { bytes, md5: hashers.begin(), at: 0 };
    });
    // Chunks of every hash are sent in turns, some as views into a larger buffer (as socket chunks are).
    while (cases.some((c) => c.at < c.bytes.length)) {
      for (const c of cases) {
        if (c.at >= c.bytes.length) continue;
        const n = Math.min(c.bytes.length - c.at, 1 + Math.floor(random() * 70_000));
        await c.md5.update(c.bytes.subarray(c.at, c.at + n));
        c.at += n;
      }
    }
    const digests = await Promise.all(cases.map((c) => c.md5.digest()));
    cases.forEach((c, i) => assert.deepEqual(digests[i], createHash('md5').update(c.bytes).digest()));
    // The caller's buffers were copied, never moved away.
    assert.ok(cases.every((c) => c.bytes.byteLength === c.bytes.length));
    await assert.rejects(cases[0]?.md5.digest() ?? Promise.resolve(), {
      message: 'this MD5 has already ended',
    });
  });

  test('a sender more than MD5_HIGH_WATER_BYTES ahead of the worker is asked to wait, then let go', async () => {
    const hashers = new Md5Hashers();
    const md5 = hashers.begin();
    const chunk = Buffer.alloc(1024 * 1024, 9);
    const answers = Array.from({ length: MD5_HIGH_WATER_BYTES / chunk.length + 1 }, () => md5.update(chunk));
    // Sent in one turn, before the worker could say it hashed any: only the one past the bound waits.
    assert.ok(answers.slice(0, -1).every((a) => a === undefined));
    const last = answers.at(-1);
    assert.ok(last instanceof Promise);
    await last;
    const all = Buffer.concat(answers.map(() => chunk));
    assert.deepEqual(await md5.digest(), createHash('md5').update(all).digest());
    await hashers.terminate();
  });

  test('an empty body, a dropped hash, and an idle worker that ends and starts again', async () => {
    const hashers = new Md5Hashers(20);
    assert.deepEqual(await hashers.begin().digest(), createHash('md5').digest());
    const dropped = hashers.begin();
    await dropped.update(Buffer.from('never digested'));
    dropped.drop();
    await new Promise((resolve) => setTimeout(resolve, 120));
    assert.equal(hashers.hasWorker, false, 'ended after its idle time');
    const again = hashers.begin();
    await again.update(Buffer.from('abc'));
    assert.deepEqual(await again.digest(), createHash('md5').update('abc').digest());
  });

  test('a worker that dies fails the hashes begun on it; a later hash gets a new worker', async () => {
    const hashers = new Md5Hashers();
    const doomed = hashers.begin();
    await doomed.update(Buffer.alloc(1024, 1));
    await hashers.terminate();
    // Its chunks died with the worker: no digest could be right.
    await assert.rejects(doomed.digest(), /exited/);
    const fresh = hashers.begin();
    await fresh.update(Buffer.from('x'));
    assert.deepEqual(await fresh.digest(), createHash('md5').update('x').digest());
    await hashers.terminate();
  });
});
