import assert from 'node:assert/strict';
import { test } from 'node:test';
import { encodeBase64url } from './base64url.js';
import { decodeJwt } from './decode-jwt.js';

const header = '{"alg":"RS256","kid":"k1"}';
const payload = '{"iss":"https://issuer.example.com","kubernetes.io":{"namespace":"ns"}}';
const token = `${encodeBase64url(header)}.${encodeBase64url(payload)}.${encodeBase64url(Buffer.from([1, 2, 3]))}`;

test('decoding gives the header, the unverified claims, and the exact bytes the signature covers', () => {
  const d = decodeJwt(token);
  assert.ok(d.ok);
  assert.deepEqual(d.header, { alg: 'RS256', kid: 'k1' });
  assert.deepEqual(d.claims, JSON.parse(payload));
  assert.equal(d.signingInput, token.split('.').slice(0, 2).join('.'));
  assert.deepEqual(d.signature, Buffer.from([1, 2, 3]));
});

test('decoding checks structure only: an unsigned or unknown-alg token still decodes, for STS to read iss first', () => {
  const unsigned = `${encodeBase64url('{"alg":"none"}')}.${encodeBase64url('{}')}.`;
  const d = decodeJwt(unsigned);
  assert.ok(d.ok);
  assert.equal(d.header.alg, 'none');
  assert.equal(d.signature.length, 0);
});

test('a token is a string; anything else is a programming error', () => {
  assert.throws(() => decodeJwt(42 as unknown as string), TypeError);
});
