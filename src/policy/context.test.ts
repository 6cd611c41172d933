import assert from 'node:assert/strict';
import { test } from 'node:test';
import { seededRandom as random } from '../shared/seeded-random.js';
import { derivedContext, RequestTimeKeys } from './context.js';

test('aws:CurrentTime is the request time in ISO 8601 to the second, aws:EpochTime its seconds', () => {
  const at = Date.UTC(2026, 11, 4, 13, 5, 9, 987);
  const ctx = derivedContext(
    { type: 'federated', provider: 'arn:aws:iam::111122223333:oidc-provider/x' },
    at,
  );
  assert.equal(ctx.get('aws:currenttime'), '2026-12-04T13:05:09Z');
  assert.equal(ctx.get('aws:epochtime'), String(Math.floor(at / 1000)));
});

test('aws:CurrentTime drops the milliseconds exactly as the regex it replaced, whatever the date', () => {
  let seed = 99;
  const next = () => {
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
    return seed / 4294967296;
  };
  // Extended years (before 0 and after 9999) included: their ISO form is `+YYYYYY-...`.
  const span = 8.64e15;
  for (let i = 0; i < 5_000; i++) {
    const at = Math.floor((next() * 2 - 1) * (i % 10 === 0 ? span : 4e12));
    const expected = new Date(at).toISOString().replace(/\.\d{3}Z$/, 'Z');
    const ctx = derivedContext({ type: 'anonymous' }, at);
    assert.equal(ctx.get('aws:currenttime'), expected, String(at));
  }
});

test('with RequestTimeKeys, derivedContext sets exactly the keys and values it sets without', () => {
  const next = random(2026);
  const times = new RequestTimeKeys();
  const principal = { type: 'anonymous' } as const;
  let previous = Date.UTC(2026, 0, 1);
  for (let i = 0; i < 20_000; i++) {
    const pick = next();
    // Mostly neighbouring instants (the cache's hits and second boundaries), then far, negative,
    // fractional and extreme times.
    const at =
      pick < 0.7
        ? previous + Math.floor(next() * 1500)
        : pick < 0.8
          ? Math.floor((next() * 2 - 1) * 8.64e15)
          : pick < 0.9
            ? (next() * 2 - 1) * 5000
            : [0, -1, -999, -1000, -1001, 999, 1000, 8.64e15, -8.64e15, 8.64e15 - 1][i % 10]!;
    previous = Number.isInteger(at) && Math.abs(at) < 8e15 ? at : previous;
    assert.deepEqual(
      [...derivedContext(principal, at, times)],
      [...derivedContext(principal, at)],
      String(at),
    );
  }
  // A time Date refuses throws either way, and leaves the cache as it was.
  assert.throws(() => derivedContext(principal, 8.64e15 + 1), RangeError);
  assert.throws(() => derivedContext(principal, 8.64e15 + 1, times), RangeError);
  assert.throws(() => derivedContext(principal, 8.64e15 + 999, times), RangeError);
  assert.throws(() => derivedContext(principal, -8.64e15 - 1, times), RangeError);
  assert.throws(() => derivedContext(principal, NaN, times), RangeError);
  assert.deepEqual([...derivedContext(principal, 5, times)], [...derivedContext(principal, 5)]);
});
