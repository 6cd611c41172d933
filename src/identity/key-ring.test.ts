import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fixedClock } from '../shared/clock.js';
import { sequentialIds } from '../shared/ids.js';
import { parseIssuer } from './issuer.js';
import { KeyRing, type KeyRingOptions } from './key-ring.js';
import { loadSigningKey } from './load-signing-key.js';
import { mintToken } from './mint-token.js';
import { generateSigningKey, type SigningKey } from './signing-key.js';
import { toSigningKeyRecord } from './signing-key-record.js';
import {
  TEST_EC_KEY_ID,
  TEST_EC_PRIVATE_KEY,
  TEST_RSA_KEY_ID,
  TEST_RSA_PRIVATE_KEY,
} from './testdata/test-keys.js';
import { verifyJwt } from './verify-jwt.js';

const T0 = Date.UTC(2026, 0, 1);
const HOUR = 3600 * 1000;

function fixedKey(pem: string, kid: string, alg: 'RS256' | 'ES256'): SigningKey {
  const r = loadSigningKey({ kid, alg, privateKeyPem: pem, createdAt: T0 });
  assert.ok(r.ok);
  return r.key;
}
const A = fixedKey(TEST_RSA_PRIVATE_KEY, TEST_RSA_KEY_ID, 'RS256');
const B = fixedKey(TEST_EC_PRIVATE_KEY, TEST_EC_KEY_ID, 'ES256');
const C = await generateSigningKey({ clock: fixedClock(T0), alg: 'ES256' });
const kids = (ring: KeyRing, now?: number) => ring.publicJwks(now).keys.map((k) => k.kid);

function ring(options: Partial<KeyRingOptions> = {}) {
  const clock = fixedClock(T0);
  return { clock, ring: KeyRing.create(A, { clock, maxTokenLifetimeSeconds: 86400, ...options }) };
}

test('one active key signs, and the JWKS publishes it', () => {
  const { ring: r } = ring();
  assert.equal(r.activeKey(), A);
  assert.deepEqual(kids(r), [A.kid]);
  assert.equal(r.keyFor(A.kid)?.publicKey, A.publicKey);
  assert.equal(r.keyFor(A.kid)?.alg, 'RS256');
  assert.equal(r.keyFor(B.kid), undefined);
});

test('rotation activates the new key and keeps the old one published until its tokens have expired', () => {
  const { clock, ring: r } = ring({ verificationLeewaySeconds: 60 });
  const rotatedAt = T0 + HOUR;
  clock.set(rotatedAt);
  const { active, retired } = r.rotate(B);
  assert.equal(active, B);
  assert.equal(retired.kid, A.kid);
  assert.equal(retired.retiredAt, rotatedAt);
  assert.equal(r.activeKey(), B);
  assert.deepEqual(kids(r), [B.kid, A.kid], 'new key first, old key still published');

  const until = rotatedAt + (86400 + 60) * 1000;
  assert.equal(r.publishedUntil(retired), until);
  assert.deepEqual(kids(r, until - 1), [B.kid, A.kid]);
  assert.deepEqual(kids(r, until), [B.kid], 'dropped once the last token it signed is past exp + leeway');
  assert.equal(r.keyFor(A.kid, until), undefined);
  assert.equal(r.keys().length, 2, 'still held until pruned');
  assert.deepEqual(r.prune(until - 1), []);
  assert.deepEqual(
    r.prune(until).map((k) => k.kid),
    [A.kid],
  );
  assert.deepEqual(
    r.keys().map((k) => k.kid),
    [B.kid],
  );
});

test('a token signed before rotation verifies until it expires; its key is published at least that long', () => {
  const { clock, ring: r } = ring({ verificationLeewaySeconds: 60 });
  const issuer = parseIssuer('https://issuer.example.com');
  assert.ok(issuer.ok);
  const m = mintToken(
    { serviceAccount: { namespace: 'ns', name: 'sa', uid: 'u' }, expirationSeconds: 86400 },
    { issuer: issuer.issuer, signer: r, clock, ids: sequentialIds() },
  );
  assert.ok(m.ok);
  const exp = T0 + 86400 * 1000;
  const verifyAt = (t: number) => {
    clock.set(t);
    const v = verifyJwt(m.token, { keyFor: (kid) => r.keyFor(kid), clock, leewaySeconds: 60 });
    return v.ok ? 'ok' : v.code;
  };
  clock.set(T0 + HOUR);
  const { retired } = r.rotate(B);
  assert.equal(verifyAt(T0 + 2 * HOUR), 'ok', 'the retired key still verifies its tokens');
  assert.equal(verifyAt(exp + 59_999), 'ok', 'within exp + leeway');
  assert.equal(verifyAt(exp + 60_000), 'expired', 'the key is still published; the token has expired');
  const until = r.publishedUntil(retired) ?? 0;
  assert.equal(until, exp + HOUR + 60_000);
  assert.equal(verifyAt(until - 1), 'expired');
  assert.equal(verifyAt(until), 'unknownKid', 'then the key is gone too: the token fails, never verifies');
});

test('each rotation retires the previous key; retired keys are published newest first', () => {
  const { clock, ring: r } = ring({ maxTokenLifetimeSeconds: 3600, verificationLeewaySeconds: 0 });
  clock.set(T0 + 1000);
  r.rotate(B);
  clock.set(T0 + 2000);
  r.rotate(C);
  assert.deepEqual(kids(r), [C.kid, B.kid, A.kid]);
  assert.deepEqual(kids(r, T0 + 1000 + HOUR), [C.kid, B.kid]);
  assert.deepEqual(kids(r, T0 + 2000 + HOUR), [C.kid]);
});

test('a ring loads back from its records, and refuses stored keys that cannot form one', () => {
  const { clock, ring: r } = ring();
  clock.set(T0 + HOUR);
  r.rotate(B);
  const loaded = r.keys().map((k) => loadSigningKey(JSON.parse(JSON.stringify(toSigningKeyRecord(k)))));
  const keys = loaded.map((l) => (l.ok ? l.key : assert.fail(l.message)));
  const back = KeyRing.fromKeys(keys, { clock, maxTokenLifetimeSeconds: 86400 });
  assert.ok(back.ok);
  assert.equal(back.ring.activeKey().kid, B.kid);
  assert.deepEqual(kids(back.ring), [B.kid, A.kid]);

  const opts = { clock, maxTokenLifetimeSeconds: 86400 };
  const retiredA = { ...A, retiredAt: T0 };
  assert.deepEqual(KeyRing.fromKeys([], opts), {
    ok: false,
    code: 'noActiveKey',
    message: 'no signing key is active: every key has `retiredAt`',
  });
  assert.equal(KeyRing.fromKeys([retiredA], opts).ok ? '' : 'noActiveKey', 'noActiveKey');
  const several = KeyRing.fromKeys([A, B], opts);
  assert.deepEqual(several, {
    ok: false,
    code: 'severalActiveKeys',
    message: `2 signing keys are active (\`${A.kid}\`, \`${B.kid}\`); exactly one may be`,
  });
  const dup = KeyRing.fromKeys([B, retiredA, { ...A, retiredAt: T0 + 1 }], opts);
  assert.deepEqual(dup, {
    ok: false,
    code: 'duplicateKid',
    message: `key \`${A.kid}\` appears more than once`,
  });
});

test('misuse is a programming error: bad lifetime caps, re-adding a key, activating a retired key', () => {
  const clock = fixedClock(T0);
  assert.throws(() => KeyRing.create(A, { clock, maxTokenLifetimeSeconds: 3599 }), {
    name: 'TypeError',
    message: 'the service-account-max-token-expiration must be between 1 hour and 2^32 seconds',
  });
  assert.throws(() => KeyRing.create(A, { clock, maxTokenLifetimeSeconds: 2 ** 32 + 1 }), TypeError);
  assert.throws(
    () => KeyRing.create(A, { clock, maxTokenLifetimeSeconds: 3600, verificationLeewaySeconds: -1 }),
    TypeError,
  );
  assert.throws(
    () => KeyRing.create({ ...A, retiredAt: T0 }, { clock, maxTokenLifetimeSeconds: 3600 }),
    TypeError,
  );
  const r = KeyRing.create(A, { clock, maxTokenLifetimeSeconds: 3600 });
  assert.throws(() => r.rotate(A), TypeError);
  assert.throws(() => r.rotate({ ...B, retiredAt: T0 }), TypeError);
  assert.equal(r.activeKey(), A, 'a refused rotation changes nothing');
});
