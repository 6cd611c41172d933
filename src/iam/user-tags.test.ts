import assert from 'node:assert/strict';
import { test } from 'node:test';
import { mergeTags, pageTags, removeTags } from './user-tags.js';

const tags = (...keys: string[]) => keys.map((key) => ({ key, value: key.toLowerCase() }));

test('mergeTags replaces a key in place ignoring case, appends new keys, and rejects duplicates in the request', () => {
  assert.deepEqual(mergeTags(tags('a', 'b'), [{ key: 'A', value: 'x' }, ...tags('c')]), [
    { key: 'A', value: 'x' },
    { key: 'b', value: 'b' },
    { key: 'c', value: 'c' },
  ]);
  assert.throws(() => mergeTags([], tags('k', 'K')), { code: 'InvalidInput', status: 400 });
});

test('removeTags drops keys ignoring case and keeps the order of the rest', () => {
  assert.deepEqual(removeTags(tags('a', 'b', 'c'), ['B', 'z']), tags('a', 'c'));
});

test('pageTags pages by offset; a marker past the end or not ours is InvalidInput', () => {
  const all = tags('a', 'b', 'c', 'd', 'e');
  const first = pageTags(all, undefined, 2);
  assert.deepEqual(first.items, tags('a', 'b'));
  const second = pageTags(all, first.marker, 2);
  assert.deepEqual(second.items, tags('c', 'd'));
  const last = pageTags(all, second.marker, 2);
  assert.deepEqual(last, { items: tags('e') });
  assert.throws(() => pageTags(tags('a'), first.marker, 2), { code: 'InvalidInput' });
  assert.throws(() => pageTags(all, Buffer.from('tags:-1').toString('base64url'), 2), {
    code: 'InvalidInput',
  });
  assert.throws(() => pageTags(all, 'not-a-marker', 2), { code: 'InvalidInput', message: 'Invalid Marker.' });
});
