import assert from 'node:assert/strict';
import { test } from 'node:test';
import { derivedContext } from './context.js';

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
