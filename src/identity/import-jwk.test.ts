import assert from 'node:assert/strict';
import { createPrivateKey, createPublicKey, generateKeyPairSync } from 'node:crypto';
import { test } from 'node:test';
import { fixedClock } from '../shared/clock.js';
import { importPublicJwk, type ImportJwkFailureCode } from './import-jwk.js';
import { signJws } from './sign-jws.js';
import {
  TEST_EC_KEY_ID,
  TEST_EC_PRIVATE_KEY,
  TEST_RSA_KEY_ID,
  TEST_RSA_PRIVATE_KEY,
} from './testdata/test-keys.js';
import { verifyJwt } from './verify-jwt.js';

// The test keys' JWKs in the shape kube-apiserver publishes (irsa-wire.md §1.6: go-jose's member order,
// `use: "sig"`, `kid`, `alg`), read back from JSON text as a JWKS consumer gets them.
const { n, e } = createPublicKey(TEST_RSA_PRIVATE_KEY).export({ format: 'jwk' });
const { x, y } = createPublicKey(TEST_EC_PRIVATE_KEY).export({ format: 'jwk' });
const kubeJwks = JSON.parse(
  `{"keys":[{"use":"sig","kty":"RSA","kid":"${TEST_RSA_KEY_ID}","alg":"RS256","n":"${String(n)}","e":"${String(e)}"},` +
    `{"use":"sig","kty":"EC","kid":"${TEST_EC_KEY_ID}","crv":"P-256","alg":"ES256","x":"${String(x)}","y":"${String(y)}"}]}`,
) as { keys: [Record<string, unknown>, Record<string, unknown>] };
const [rsaJwk, ecJwk] = kubeJwks.keys;

function failure(jwk: unknown): { code: ImportJwkFailureCode; message: string } {
  const r = importPublicJwk(jwk);
  assert.ok(!r.ok, 'expected a failure');
  return { code: r.code, message: r.message };
}

test('the keys of a JWKS as kube-apiserver publishes it import and verify tokens signed by those keys', () => {
  const clock = fixedClock(0);
  for (const [jwk, pem, alg] of [
    [rsaJwk, TEST_RSA_PRIVATE_KEY, 'RS256'],
    [ecJwk, TEST_EC_PRIVATE_KEY, 'ES256'],
  ] as const) {
    const imported = importPublicJwk(jwk);
    assert.ok(imported.ok, imported.ok ? '' : imported.message);
    assert.equal(imported.alg, alg);
    assert.equal(imported.kid, jwk.kid);
    const token = signJws({ alg, kid: String(jwk.kid) }, { exp: 60 }, createPrivateKey(pem), alg);
    assert.ok(verifyJwt(token, { keyFor: () => imported, clock }).ok);
  }
});

test('P-384 and P-521 keys import; kid, alg, use and key_ops are optional', () => {
  for (const namedCurve of ['P-384', 'P-521']) {
    const { kty, crv, x, y } = generateKeyPairSync('ec', { namedCurve }).publicKey.export({ format: 'jwk' });
    const r = importPublicJwk({ kty, crv, x, y, key_ops: ['verify'] });
    assert.ok(r.ok, r.ok ? '' : r.message);
    assert.equal(r.alg, undefined);
    assert.equal(r.kid, undefined);
  }
});

test('a modulus with a leading zero octet, as some publishers write it, reads the same', () => {
  const n = Buffer.concat([Buffer.from([0]), Buffer.from(String(rsaJwk.n), 'base64url')]).toString(
    'base64url',
  );
  const r = importPublicJwk({ ...rsaJwk, n });
  assert.ok(r.ok);
  const plain = importPublicJwk(rsaJwk);
  assert.ok(plain.ok && plain.publicKey.equals(r.publicKey));
});

test('symmetric keys and unknown key types are unsupportedKeyType', () => {
  assert.deepEqual(failure({ kty: 'oct', k: 'c2VjcmV0', kid: 'h' }), {
    code: 'unsupportedKeyType',
    message: 'JWK `h` is a symmetric key (`kty: oct`), never accepted for verification',
  });
  assert.deepEqual(failure({ kty: 'OKP', crv: 'Ed25519', x: 'AA' }), {
    code: 'unsupportedKeyType',
    message: 'the JWK has `kty` `OKP`; expected RSA or EC',
  });
  assert.equal(failure({ n: rsaJwk.n, e: 'AQAB' }).code, 'unsupportedKeyType');
  assert.deepEqual(failure({ ...ecJwk, crv: 'secp256k1', alg: undefined }), {
    code: 'unsupportedKeyType',
    message: `JWK \`${String(ecJwk.kid)}\` has curve \`secp256k1\`; expected P-256, P-384 or P-521`,
  });
});

test('a JWK carrying private key material is refused', () => {
  const d = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ format: 'jwk' });
  assert.deepEqual(failure(d), {
    code: 'privateKeyMaterial',
    message: 'the JWK contains private key material; a JWKS must publish public keys only',
  });
  assert.equal(failure({ ...rsaJwk, p: 'AQAB' }).code, 'privateKeyMaterial');
});

test('a key not meant for signatures is wrongUse (RFC 7517 §4.2, §4.3)', () => {
  assert.equal(failure({ ...rsaJwk, use: 'enc' }).code, 'wrongUse');
  assert.equal(failure({ ...rsaJwk, key_ops: ['encrypt'] }).code, 'wrongUse');
  assert.equal(failure({ ...rsaJwk, key_ops: 'verify' }).code, 'wrongUse');
});

test('an alg we do not verify, or one that does not fit the key, is unsupportedAlgorithm', () => {
  assert.deepEqual(failure({ ...rsaJwk, alg: 'HS256' }), {
    code: 'unsupportedAlgorithm',
    message: `JWK \`${TEST_RSA_KEY_ID}\` has an \`alg\` other than RS256/384/512, ES256/384/512`,
  });
  assert.deepEqual(failure({ ...rsaJwk, alg: 'ES256' }), {
    code: 'unsupportedAlgorithm',
    message: `JWK \`${TEST_RSA_KEY_ID}\` says \`alg\` ES256, which does not fit its RSA key`,
  });
  assert.equal(failure({ ...ecJwk, alg: 'ES384' }).code, 'unsupportedAlgorithm');
});

test('RSA moduli under 2048 bits are weakKey (RFC 7518 §3.3)', () => {
  const { n, e } = generateKeyPairSync('rsa', { modulusLength: 1024 }).publicKey.export({ format: 'jwk' });
  assert.deepEqual(failure({ kty: 'RSA', n, e }), {
    code: 'weakKey',
    message: 'the JWK has a 1024-bit RSA modulus; at least 2048 bits are required (RFC 7518 §3.3)',
  });
});

test('members that are not strict base64url, or coordinates of the wrong size, are malformedJwk', () => {
  assert.deepEqual(failure(null), { code: 'malformedJwk', message: 'a JWK must be a JSON object' });
  assert.equal(failure([rsaJwk]).code, 'malformedJwk');
  assert.equal(failure({ ...rsaJwk, kid: 7 }).code, 'malformedJwk');
  assert.equal(failure({ ...rsaJwk, e: 'AQAB=' }).code, 'malformedJwk');
  assert.equal(failure({ ...rsaJwk, n: undefined }).code, 'malformedJwk');
  assert.deepEqual(failure({ ...ecJwk, x: String(ecJwk.x).slice(2) }), {
    code: 'malformedJwk',
    message: `JWK \`${String(ecJwk.kid)}\` needs \`x\` and \`y\` as base64url of exactly 32 bytes each (RFC 7518 §6.2.1.2)`,
  });
});

test('an EC point that is not on the curve is invalidKey', () => {
  const y = Buffer.from(String(ecJwk.y), 'base64url');
  y[31] = (y[31] ?? 0) ^ 1;
  assert.equal(failure({ ...ecJwk, y: y.toString('base64url') }).code, 'invalidKey');
});
