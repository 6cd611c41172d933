import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fixedClock } from '../shared/clock.js';
import { keyIdFromPublicKey } from './key-id.js';
import { loadSigningKey } from './load-signing-key.js';
import { generateSigningKey, signingAlgorithmFor } from './signing-key.js';
import { toSigningKeyRecord } from './signing-key-record.js';

const clock = fixedClock(Date.UTC(2026, 0, 1));

test("the default signing key is RS256 on a 2048-bit RSA key, with kube's kid and the clock's time", async () => {
  const key = await generateSigningKey({ clock });
  assert.equal(key.alg, 'RS256');
  assert.equal(key.privateKey.asymmetricKeyType, 'rsa');
  assert.equal(key.privateKey.asymmetricKeyDetails?.modulusLength, 2048);
  assert.equal(key.privateKey.asymmetricKeyDetails?.publicExponent, 65537n);
  assert.equal(key.publicKey.type, 'public');
  assert.equal(key.kid, keyIdFromPublicKey(key.publicKey));
  assert.equal(key.createdAt, Date.UTC(2026, 0, 1));
  assert.equal(key.retiredAt, undefined);
});

test('ES256, ES384 and ES512 keys use P-256, P-384 and P-521, the curves kube pairs with them', async () => {
  for (const [alg, curve] of [
    ['ES256', 'prime256v1'],
    ['ES384', 'secp384r1'],
    ['ES512', 'secp521r1'],
  ] as const) {
    const key = await generateSigningKey({ clock, alg });
    assert.equal(key.alg, alg);
    assert.equal(key.publicKey.asymmetricKeyDetails?.namedCurve, curve);
    assert.equal(signingAlgorithmFor(key.publicKey), alg);
  }
});

test('an unsupported RSA size is a programming error', async () => {
  await assert.rejects(generateSigningKey({ clock, modulusLength: 1024 as 2048 }), TypeError);
});

test('a key survives its record: PKCS#8 PEM, kid, alg and times come back identical', async () => {
  const key = { ...(await generateSigningKey({ clock, alg: 'ES256' })), retiredAt: Date.UTC(2026, 0, 2) };
  const record = toSigningKeyRecord(key);
  assert.match(record.privateKeyPem, /^-----BEGIN PRIVATE KEY-----\n/);
  assert.deepEqual(JSON.parse(JSON.stringify(record)), record, 'the record is plain JSON data');
  const loaded = loadSigningKey(JSON.parse(JSON.stringify(record)));
  assert.ok(loaded.ok);
  assert.equal(loaded.key.kid, key.kid);
  assert.equal(loaded.key.alg, 'ES256');
  assert.equal(loaded.key.createdAt, key.createdAt);
  assert.equal(loaded.key.retiredAt, key.retiredAt);
  assert.ok(loaded.key.publicKey.equals(key.publicKey));
  assert.equal(toSigningKeyRecord(loaded.key).privateKeyPem, record.privateKeyPem);
});
