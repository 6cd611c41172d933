import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fixedClock } from '../shared/clock.js';
import { openSqliteStore } from '../store/sqlite/sqlite-store.js';
import { loadIssuerKeyRing, MAX_TOKEN_LIFETIME_SECONDS } from './data-dir.js';
import { RotationConflictError, rotateSigningKey } from './rotate-signing-key.js';

const T0 = Date.UTC(2026, 0, 1);
/** The window a retired key stays published: the longest token plus go-jose's 60 s leeway. */
const WINDOW_MS = (MAX_TOKEN_LIFETIME_SECONDS + 60) * 1000;

test('after a rotation the JWKS lists both keys until the old key’s last token expires, then only the new one', async () => {
  const clock = fixedClock(T0);
  const store = openSqliteStore({ path: ':memory:' });
  try {
    const ring = await loadIssuerKeyRing(store, clock, 'ES256');
    const old = ring.activeKey();
    assert.equal(old.alg, 'ES256');
    clock.advance(1000);
    const r = await rotateSigningKey(store, ring, clock, 'RS256');
    assert.equal(r.retired.kid, old.kid);
    assert.equal(r.retired.retiredAt, T0 + 1000);
    assert.equal(r.retiredPublishedUntil, T0 + 1000 + WINDOW_MS);
    assert.equal(r.active.alg, 'RS256');
    assert.deepEqual(r.pruned, []);
    // Persisted: the old key retired, the new one active.
    const stored = await store.signingKeys.list();
    assert.deepEqual(
      stored.map((k) => [k.kid, k.retiredAt]),
      [
        [old.kid, T0 + 1000],
        [r.active.kid, undefined],
      ],
    );
    assert.deepEqual(
      ring.publicJwks().keys.map((k) => k.kid),
      [r.active.kid, old.kid],
    );
    // A token the old key signed still finds its key until the end of the window.
    clock.set(T0 + 1000 + WINDOW_MS - 1);
    assert.ok(ring.keyFor(old.kid) !== undefined);
    clock.set(T0 + 1000 + WINDOW_MS);
    assert.equal(ring.keyFor(old.kid), undefined);
    assert.deepEqual(
      ring.publicJwks().keys.map((k) => k.kid),
      [r.active.kid],
    );
  } finally {
    await store.close();
  }
});

test('pruning happens on load and on rotation: expired retired keys leave the store', async () => {
  const clock = fixedClock(T0);
  const store = openSqliteStore({ path: ':memory:' });
  try {
    const ring = await loadIssuerKeyRing(store, clock, 'ES256');
    const first = ring.activeKey();
    const second = (await rotateSigningKey(store, ring, clock, 'ES256')).active;
    // A start within the window keeps the retired key.
    clock.advance(WINDOW_MS - 1);
    const reloaded = await loadIssuerKeyRing(store, clock, 'ES256');
    assert.deepEqual(
      reloaded.keys().map((k) => k.kid),
      [second.kid, first.kid],
    );
    // A rotation after the window prunes it.
    clock.advance(1);
    const third = await rotateSigningKey(store, reloaded, clock, 'ES256');
    assert.deepEqual(
      third.pruned.map((k) => k.kid),
      [first.kid],
    );
    assert.deepEqual(
      (await store.signingKeys.list()).map((k) => k.kid),
      [second.kid, third.active.kid],
    );
    // A start long after both windows keeps only the active key.
    clock.advance(2 * WINDOW_MS);
    const later = await loadIssuerKeyRing(store, clock, 'ES256');
    assert.deepEqual(
      later.keys().map((k) => k.kid),
      [third.active.kid],
    );
    assert.equal((await store.signingKeys.list()).length, 1);
  } finally {
    await store.close();
  }
});

test('a rotation from a ring another server has rotated past changes nothing and says so', async () => {
  const clock = fixedClock(T0);
  const store = openSqliteStore({ path: ':memory:' });
  try {
    // Two servers of one store (`up --workers`), each with the ring it read.
    const first = await loadIssuerKeyRing(store, clock, 'ES256');
    const second = await loadIssuerKeyRing(store, clock, 'ES256');
    clock.advance(1000);
    const done = await rotateSigningKey(store, first, clock, 'ES256');
    await assert.rejects(rotateSigningKey(store, second, clock, 'ES256'), RotationConflictError);
    // Still exactly one active key: the first rotation's.
    const active = (await store.signingKeys.list()).filter((k) => k.retiredAt === undefined);
    assert.deepEqual(
      active.map((k) => k.kid),
      [done.active.kid],
    );
    // A ring read again rotates fine.
    const fresh = await loadIssuerKeyRing(store, clock, 'ES256');
    const again = await rotateSigningKey(store, fresh, clock, 'ES256');
    assert.equal(again.retired.kid, done.active.kid);
  } finally {
    await store.close();
  }
});
