import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isoSecond } from './iso-second.js';
import { seededRandom as random } from './seeded-random.js';

test('isoSecond is toISOString without the milliseconds, over random times from 1970 to 9999, fractions, leap days and the ends', () => {
  const next = random(1970);
  const end = Date.UTC(10000, 0, 1);
  const check = (ms: number) =>
    assert.equal(isoSecond(ms), new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z'), String(ms));
  for (let i = 0; i < 50_000; i++) {
    const r = next();
    check(
      r < 0.5 ? Math.floor(next() * end) : r < 0.8 ? next() * 4.2e12 : Date.UTC(2026, 11, 4) + next() * 1e9,
    );
  }
  for (const at of [0, 0.5, 999, 1000, end - 1, end - 0.5, Date.UTC(2000, 1, 29, 23, 59, 59, 999)]) check(at);
  for (const at of [
    Date.UTC(1900, 1, 28),
    Date.UTC(2100, 2, 1),
    Date.UTC(2400, 1, 29),
    -1,
    -0.5,
    end,
    8.64e15,
  ])
    check(at);
  assert.throws(() => isoSecond(NaN), RangeError);
  assert.throws(() => isoSecond(8.64e15 + 1), RangeError);
});
