import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { test } from 'node:test';
import { loadSigningKey, type LoadSigningKeyFailureCode } from './load-signing-key.js';
import {
  TEST_EC_KEY_ID,
  TEST_EC_PRIVATE_KEY,
  TEST_RSA_KEY_ID,
  TEST_RSA_PRIVATE_KEY,
} from './testdata/test-keys.js';

const rsa = { kid: TEST_RSA_KEY_ID, alg: 'RS256', privateKeyPem: TEST_RSA_PRIVATE_KEY, createdAt: 1000 };
const ec = { kid: TEST_EC_KEY_ID, alg: 'ES256', privateKeyPem: TEST_EC_PRIVATE_KEY, createdAt: 1000 };

function failure(record: unknown): { code: LoadSigningKeyFailureCode; message: string } {
  const r = loadSigningKey(record);
  assert.ok(!r.ok, 'expected a failure');
  return { code: r.code, message: r.message };
}

test("PKCS#1 RSA and SEC1 EC keys, as kube-apiserver reads them, load with kube's kid for each", () => {
  const a = loadSigningKey(rsa);
  assert.ok(a.ok);
  assert.equal(a.key.kid, TEST_RSA_KEY_ID);
  const b = loadSigningKey({ ...ec, retiredAt: 2000, storeRowId: 7 });
  assert.ok(b.ok, 'members the loader does not know are ignored');
  assert.equal(b.key.kid, TEST_EC_KEY_ID);
  assert.equal(b.key.retiredAt, 2000);
});

test('a record that is not an object, or misses members, is malformedRecord', () => {
  assert.deepEqual(failure(null), {
    code: 'malformedRecord',
    message: 'a signing key record must be an object',
  });
  assert.equal(failure([rsa]).code, 'malformedRecord');
  assert.deepEqual(failure({ ...rsa, kid: '' }), {
    code: 'malformedRecord',
    message: '`kid` must be a non-empty string',
  });
  assert.equal(failure({ ...rsa, alg: 256 }).code, 'malformedRecord');
  assert.equal(failure({ ...rsa, privateKeyPem: undefined }).code, 'malformedRecord');
  assert.equal(failure({ ...rsa, privateKeyPem: 'x'.repeat(17 * 1024) }).code, 'malformedRecord');
  for (const createdAt of [-1, 1.5, '1000', Number.NaN, undefined]) {
    assert.deepEqual(failure({ ...rsa, createdAt }), {
      code: 'malformedRecord',
      message: '`createdAt` must be milliseconds since the epoch',
    });
  }
  assert.deepEqual(failure({ ...rsa, retiredAt: 999 }), {
    code: 'malformedRecord',
    message: '`retiredAt` must be milliseconds since the epoch, not before `createdAt`',
  });
});

test('an algorithm kube-apiserver never signs with is unsupportedAlgorithm', () => {
  for (const alg of ['HS256', 'none', 'RS384', 'PS256']) {
    assert.deepEqual(failure({ ...rsa, alg }), {
      code: 'unsupportedAlgorithm',
      message: `\`alg\` must be RS256, ES256, ES384 or ES512, found \`${alg}\``,
    });
  }
});

test('PEM that is not an unencrypted private key is invalidPrivateKey, and the PEM is never echoed', () => {
  const { publicKey, privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const encrypted = privateKey.export({
    type: 'pkcs8',
    format: 'pem',
    cipher: 'aes-256-cbc',
    passphrase: 'pw',
  });
  for (const privateKeyPem of ['garbage', publicKey.export({ type: 'spki', format: 'pem' }), encrypted]) {
    const f = failure({ ...ec, privateKeyPem });
    assert.equal(f.code, 'invalidPrivateKey');
    assert.equal(
      f.message,
      '`privateKeyPem` is not an unencrypted PEM private key (PKCS#8, PKCS#1 or SEC1) that node:crypto can read',
    );
  }
});

test('a key of the wrong kind for its alg is algorithmMismatch', () => {
  assert.deepEqual(failure({ ...rsa, alg: 'ES256' }), {
    code: 'algorithmMismatch',
    message: 'ES256 needs an EC P-256 key, found an RSA key of 2048 bits',
  });
  assert.deepEqual(failure({ ...ec, alg: 'ES384' }), {
    code: 'algorithmMismatch',
    message: 'ES384 needs an EC P-384 key, found an EC P-256 key',
  });
  const weak = generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey.export({
    type: 'pkcs8',
    format: 'pem',
  });
  assert.deepEqual(failure({ ...rsa, privateKeyPem: weak }), {
    code: 'algorithmMismatch',
    message: 'RS256 needs an RSA key of at least 2048 bits, found 1024 bits',
  });
  const ed = generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' });
  assert.equal(failure({ ...rsa, privateKeyPem: ed }).code, 'algorithmMismatch');
});

test("a stored kid that is not the key's own is kidMismatch", () => {
  assert.deepEqual(failure({ ...rsa, kid: TEST_EC_KEY_ID }), {
    code: 'kidMismatch',
    message: `the record's kid \`${TEST_EC_KEY_ID}\` is not the key's kid \`${TEST_RSA_KEY_ID}\``,
  });
});
