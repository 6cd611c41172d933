import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fixedClock } from './clock.js';
import { pooledRandomIds, randomIds, sequentialIds } from './ids.js';

test('unique ids are a four-letter prefix and 17 base32 characters, as IAM issues them', () => {
  for (const prefix of ['AIDA', 'AROA', 'ASIA'] as const) {
    assert.match(randomIds.uniqueId(prefix), new RegExp(`^${prefix}[A-Z2-7]{17}$`));
    assert.match(sequentialIds().uniqueId(prefix), new RegExp(`^${prefix}[A-Z0-9]{17}$`));
  }
  assert.match(
    randomIds.requestId(),
    /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
  );
});

test('sequential ids are deterministic and distinct', () => {
  const a = sequentialIds();
  const b = sequentialIds();
  assert.equal(a.requestId(), b.requestId());
  assert.notEqual(a.requestId(), a.requestId());
  assert.equal(a.bytes(16).length, 16);
  assert.deepEqual(sequentialIds(7).bytes(16), sequentialIds(7).bytes(16));
});

test('a fixed clock moves only when told', () => {
  const c = fixedClock(1000);
  assert.equal(c.now(), 1000);
  c.advance(500);
  assert.equal(c.now(), 1500);
  c.set(0);
  assert.equal(c.now(), 0);
});

test('pooled random bytes are never served twice, across refills, and are copies the pool forgets', () => {
  const ids = pooledRandomIds(64);
  const seen = new Set<string>();
  const served: Buffer[] = [];
  for (let i = 0; i < 200; i++) {
    const b = ids.bytes(i % 2 === 0 ? 16 : 30);
    assert.equal(b.length, i % 2 === 0 ? 16 : 30);
    const hex = b.toString('hex');
    assert.ok(!seen.has(hex), `bytes served twice at draw ${i}`);
    seen.add(hex);
    served.push(b);
  }
  const copy = Buffer.from(served[0] ?? Buffer.alloc(0));
  ids.bytes(16);
  assert.deepEqual(served[0], copy, 'a later draw does not change bytes served before');
  assert.equal(ids.bytes(1000).length, 1000, 'more than the pool holds gets its own bytes');
  assert.match(ids.uniqueId('ASIA'), /^ASIA[A-Z2-7]{17}$/);
  assert.notEqual(ids.requestId(), ids.requestId());
  assert.throws(() => pooledRandomIds(0), TypeError);
});
