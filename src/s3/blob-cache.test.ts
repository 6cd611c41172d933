import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { SmallBlobCache } from './blob-cache.js';

const bytes = (n: number, fill: number) => Buffer.alloc(n, fill);

describe('SmallBlobCache', () => {
  test('keeps a copy of exactly the bytes given, not a view of the buffer they came in', () => {
    const cache = new SmallBlobCache(100, 50);
    const slab = Buffer.from('xxhelloxx');
    cache.set('a', slab.subarray(2, 7));
    slab.fill(0);
    const held = cache.get('a');
    assert.equal(held?.toString(), 'hello');
    assert.equal(held?.buffer.byteLength, 5);
    assert.equal(cache.bytes, 5);
  });

  test('the least recently used go first once the total bound is passed', () => {
    const cache = new SmallBlobCache(30, 30);
    cache.set('a', bytes(10, 1));
    cache.set('b', bytes(10, 2));
    cache.set('c', bytes(10, 3));
    // A hit makes `a` the most recent: `b` is now the oldest.
    assert.equal(cache.get('a')?.[0], 1);
    cache.set('d', bytes(10, 4));
    assert.equal(cache.get('b'), undefined);
    assert.deepEqual(
      ['a', 'c', 'd'].map((id) => cache.get(id)?.[0]),
      [1, 3, 4],
    );
    assert.equal(cache.bytes, 30);
    // One large entry evicts as many as it needs.
    cache.set('e', bytes(25, 5));
    assert.equal(cache.size, 1);
    assert.equal(cache.bytes, 25);
  });

  test('a blob larger than one entry or the whole bound is not kept, and replaces nothing', () => {
    const cache = new SmallBlobCache(100, 20);
    cache.set('a', bytes(10, 1));
    cache.set('big', bytes(21, 2));
    assert.equal(cache.get('big'), undefined);
    assert.equal(cache.get('a')?.length, 10);
    const off = new SmallBlobCache(0, 20);
    off.set('a', bytes(1, 1));
    assert.equal(off.get('a'), undefined);
    assert.equal(off.bytes, 0);
  });

  test('setting an id again replaces its bytes and its count; delete forgets it', () => {
    const cache = new SmallBlobCache(100, 50);
    cache.set('a', bytes(10, 1));
    cache.set('a', bytes(4, 2));
    assert.equal(cache.bytes, 4);
    assert.equal(cache.get('a')?.[0], 2);
    cache.delete('a');
    cache.delete('a');
    assert.equal(cache.get('a'), undefined);
    assert.equal(cache.bytes, 0);
    assert.equal(cache.size, 0);
  });

  test('bounds must be non-negative integers', () => {
    assert.throws(() => new SmallBlobCache(-1), TypeError);
    assert.throws(() => new SmallBlobCache(10, 1.5), TypeError);
  });
});
