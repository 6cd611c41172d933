import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fixedClock } from '../shared/clock.js';
import { TokenBucket } from './token-bucket.js';

test('a token bucket gives its burst at once, then refills at its rate, never above the burst', () => {
  const clock = fixedClock(1_000_000);
  const bucket = new TokenBucket(10, 20, clock);
  for (let i = 0; i < 20; i++) assert.equal(bucket.take(), true, `token ${i}`);
  assert.equal(bucket.take(), false);
  clock.advance(99);
  assert.equal(bucket.take(), false, 'less than 100 ms refills less than one token');
  clock.advance(1);
  assert.equal(bucket.take(), true);
  assert.equal(bucket.take(), false);
  clock.advance(60_000);
  for (let i = 0; i < 20; i++) assert.equal(bucket.take(), true);
  assert.equal(bucket.take(), false, 'a long pause refills the burst only');
  clock.set(0);
  assert.equal(bucket.take(), false, 'a clock stepping back refills nothing');
});
