import assert from 'node:assert/strict';
import {
  createHash,
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  type KeyObject,
} from 'node:crypto';
import { test } from 'node:test';
import { keyIdFromPublicKey } from './key-id.js';
import {
  TEST_EC_KEY_ID,
  TEST_EC_PRIVATE_KEY,
  TEST_EC_PUBLIC_KEY,
  TEST_RSA_KEY_ID,
  TEST_RSA_PRIVATE_KEY,
  TEST_RSA_PUBLIC_KEY,
} from './testdata/test-keys.js';

// A minimal DER writer, so the test builds SubjectPublicKeyInfo (RFC 5280 §4.1) from the key's numbers
// itself instead of trusting node's export.
function tlv(tag: number, body: Buffer): Buffer {
  const n = body.length;
  const len = n < 0x80 ? Buffer.from([n]) : Buffer.from([0x82, n >> 8, n & 0xff]);
  return Buffer.concat([Buffer.from([tag]), len, body]);
}
const seq = (...items: Buffer[]) => tlv(0x30, Buffer.concat(items));
const uint = (b: Buffer) => tlv(0x02, (b[0] ?? 0) & 0x80 ? Buffer.concat([Buffer.from([0]), b]) : b);
const bitString = (b: Buffer) => tlv(0x03, Buffer.concat([Buffer.from([0]), b]));
const hex = (h: string) => Buffer.from(h, 'hex');
const RSA_ENCRYPTION = hex('06092a864886f70d0101010500'); // OID 1.2.840.113549.1.1.1 + NULL (RFC 3279 §2.3.1)
const EC_PUBLIC_KEY = hex('06072a8648ce3d0201'); // OID 1.2.840.10045.2.1 (RFC 5480 §2.1.1)
const PRIME256V1 = hex('06082a8648ce3d030107'); // OID 1.2.840.10045.3.1.7

/** kube's formula, written out: base64url (no padding) of SHA-256 over the DER SubjectPublicKeyInfo. */
function kubeKid(spkiDer: Buffer): string {
  const b64 = createHash('sha256').update(spkiDer).digest('base64');
  return b64.replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/** The DER inside a PEM (RFC 7468 §2), read by hand rather than through node:crypto. */
function pemBody(pem: string, label: string): Buffer {
  const m = new RegExp(`^-----BEGIN ${label}-----\\n([A-Za-z0-9+/=\\n]+)-----END ${label}-----\\n$`).exec(
    pem,
  );
  assert.ok(m?.[1], `a ${label} PEM`);
  return Buffer.from(m[1].replace(/\n/g, ''), 'base64');
}

/** SubjectPublicKeyInfo of an RSA key (RFC 3279 §2.3.1), built from its modulus and exponent. */
function rsaSpki(key: KeyObject): Buffer {
  const jwk = key.export({ format: 'jwk' });
  return seq(
    seq(RSA_ENCRYPTION.subarray(0, 11), RSA_ENCRYPTION.subarray(11)),
    bitString(
      seq(uint(Buffer.from(String(jwk.n), 'base64url')), uint(Buffer.from(String(jwk.e), 'base64url'))),
    ),
  );
}

/** SubjectPublicKeyInfo of a P-256 key (RFC 5480 §2), built from its uncompressed point (SEC 1 §2.3.3). */
function p256Spki(key: KeyObject): Buffer {
  const jwk = key.export({ format: 'jwk' });
  const point = Buffer.concat([
    Buffer.from([4]),
    Buffer.from(String(jwk.x), 'base64url'),
    Buffer.from(String(jwk.y), 'base64url'),
  ]);
  return seq(seq(EC_PUBLIC_KEY, PRIME256V1), bitString(point));
}

test('kid is base64url(SHA-256(DER SubjectPublicKeyInfo)), the DER built from the key numbers', () => {
  const rsa = createPublicKey(TEST_RSA_PRIVATE_KEY);
  const rsaDer = rsaSpki(rsa);
  assert.deepEqual(rsaDer, pemBody(TEST_RSA_PUBLIC_KEY, 'PUBLIC KEY'), 'the DER builder is right');
  assert.equal(keyIdFromPublicKey(rsa), kubeKid(rsaDer));
  assert.equal(kubeKid(rsaDer), TEST_RSA_KEY_ID);

  const ec = createPublicKey(TEST_EC_PRIVATE_KEY);
  const ecDer = p256Spki(ec);
  assert.deepEqual(ecDer, pemBody(TEST_EC_PUBLIC_KEY, 'PUBLIC KEY'), 'the DER builder is right');
  assert.equal(keyIdFromPublicKey(ec), kubeKid(ecDer));
  assert.equal(kubeKid(ecDer), TEST_EC_KEY_ID);

  const fresh = generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey;
  assert.equal(keyIdFromPublicKey(fresh), kubeKid(p256Spki(fresh)));
  assert.match(keyIdFromPublicKey(fresh), /^[A-Za-z0-9_-]{43}$/);
});

test('the kid of a public PEM is the kid of its private key: the kids the other tests use', () => {
  for (const [publicPem, privatePem, kid] of [
    [TEST_RSA_PUBLIC_KEY, TEST_RSA_PRIVATE_KEY, TEST_RSA_KEY_ID],
    [TEST_EC_PUBLIC_KEY, TEST_EC_PRIVATE_KEY, TEST_EC_KEY_ID],
  ] as const) {
    assert.equal(kubeKid(pemBody(publicPem, 'PUBLIC KEY')), kid, 'hash of the DER inside the PEM');
    assert.equal(keyIdFromPublicKey(createPublicKey(publicPem)), kid);
    assert.equal(keyIdFromPublicKey(createPublicKey(privatePem)), kid);
  }
});

test('kid is stable: the same key gives the same kid from any encoding, another key another kid', () => {
  const { publicKey, privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const kid = keyIdFromPublicKey(publicKey);
  const pem = privateKey.export({ type: 'sec1', format: 'pem' });
  assert.equal(keyIdFromPublicKey(createPublicKey(createPrivateKey(pem))), kid);
  const der = publicKey.export({ type: 'spki', format: 'der' });
  assert.equal(keyIdFromPublicKey(createPublicKey({ key: der, format: 'der', type: 'spki' })), kid);
  assert.equal(
    keyIdFromPublicKey(createPublicKey({ key: publicKey.export({ format: 'jwk' }), format: 'jwk' })),
    kid,
  );
  assert.notEqual(keyIdFromPublicKey(generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey), kid);
});

test('a private key is a programming error, not a kid', () => {
  const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  assert.throws(() => keyIdFromPublicKey(privateKey), TypeError);
});
