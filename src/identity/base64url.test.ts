import assert from 'node:assert/strict';
import { test } from 'node:test';
import { decodeBase64url, encodeBase64url } from './base64url.js';

test('base64url round-trips every length without padding', () => {
  for (let n = 0; n < 40; n++) {
    const bytes = Buffer.from(Array.from({ length: n }, (_, i) => (i * 37 + 11) & 0xff));
    const text = encodeBase64url(bytes);
    assert.doesNotMatch(text, /[=+/]/);
    assert.deepEqual(decodeBase64url(text), bytes);
  }
  assert.equal(encodeBase64url('{"alg":"RS256"}'), 'eyJhbGciOiJSUzI1NiJ9');
});

test('padding, the base64 alphabet, whitespace and impossible lengths are not base64url (RFC 7515 §2)', () => {
  for (const bad of ['eyJ9=', 'ab+c', 'ab/c', 'ab c', 'abc\n', 'a', 'abcde', '%41']) {
    assert.equal(decodeBase64url(bad), undefined, bad);
  }
});

test('non-zero trailing bits are rejected, so each byte string has one spelling', () => {
  // "AA" and "AB" both decode to 0x00 with a lenient decoder; only "AA" is canonical.
  assert.deepEqual(decodeBase64url('AA'), Buffer.from([0]));
  assert.equal(decodeBase64url('AB'), undefined);
  assert.equal(decodeBase64url('AAB'), undefined);
});
