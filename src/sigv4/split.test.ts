import assert from 'node:assert/strict';
import { test } from 'node:test';
import { seededRandom } from '../shared/seeded-random.js';
import { splitOn } from './split.js';

test('splitOn gives the pieces String.prototype.split gives, over random strings with separators anywhere', () => {
  const next = seededRandom(3);
  const alphabet = ['/', ';', ',', 'a', 'Z', ' ', '\t', '=', 'é', '\ud83d\ude00', '\ud800'];
  for (let i = 0; i < 5000; i++) {
    const n = Math.floor(next() * 16);
    let text = '';
    for (let j = 0; j < n; j++) text += alphabet[Math.floor(next() * alphabet.length)] ?? '';
    for (const separator of ['/', ';', ','])
      assert.deepEqual(splitOn(text, separator), text.split(separator));
  }
});

test('splitOn of an empty string is one empty piece; separators at the ends give empty pieces', () => {
  assert.deepEqual(splitOn('', '/'), ['']);
  assert.deepEqual(splitOn('/', '/'), ['', '']);
  assert.deepEqual(splitOn('/a//b/', '/'), ['', 'a', '', 'b', '']);
});

test('splitOn refuses a separator that is not one character', () => {
  assert.throws(() => splitOn('a,b', ''), TypeError);
  assert.throws(() => splitOn('a,b', ', '), TypeError);
});
