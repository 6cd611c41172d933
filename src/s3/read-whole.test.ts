import assert from 'node:assert/strict';
import { PassThrough, Readable } from 'node:stream';
import { describe, test } from 'node:test';
import { readWhole } from './read-whole.js';

const tooLarge = () => new Error('too large');

describe('readWhole', () => {
  test('joins every chunk, and returns a single chunk as it is', async () => {
    const one = Buffer.from('only');
    assert.equal(await readWhole(Readable.from([one]), 10, tooLarge), one);
    assert.deepEqual(
      await readWhole(Readable.from([Buffer.from('ab'), Buffer.from('cd')]), 4, tooLarge),
      Buffer.from('abcd'),
    );
    assert.deepEqual(await readWhole(Readable.from([]), 0, tooLarge), Buffer.alloc(0));
  });

  test('fails past the bound and destroys the source', async () => {
    const source = Readable.from([Buffer.from('abc'), Buffer.from('de')]);
    await assert.rejects(readWhole(source, 4, tooLarge), /too large/);
    assert.equal(source.destroyed, true);
  });

  test("passes the source's error on, and fails a source closed before its end", async () => {
    const failing = new PassThrough();
    const read = readWhole(failing, 10, tooLarge);
    failing.write('x');
    failing.destroy(new Error('digest mismatch'));
    await assert.rejects(read, /digest mismatch/);
    const cut = new PassThrough();
    const cutRead = readWhole(cut, 10, tooLarge);
    cut.write('x');
    cut.destroy();
    await assert.rejects(cutRead, /closed before its end/);
  });
});

test('a body destroyed before it is taken, or already read, rejects at once instead of waiting forever', async () => {
  const gone = new PassThrough();
  gone.destroy();
  await assert.rejects(readWhole(gone, 100, tooLarge), { message: 'the body closed before its end' });
  const failed = new PassThrough();
  failed.on('error', () => undefined);
  failed.destroy(new Error('reset by peer'));
  await assert.rejects(readWhole(failed, 100, tooLarge), { message: 'reset by peer' });
  const read = new PassThrough();
  read.end('abc');
  read.resume();
  await new Promise((resolve) => read.once('end', resolve));
  await assert.rejects(readWhole(read, 100, tooLarge));
});
