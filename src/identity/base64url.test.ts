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

/** The decoder as it was first written (re-encode and compare): the reference for the faster check. */
function decodeByReencoding(text: string): Buffer | undefined {
  if (!/^[A-Za-z0-9_-]*$/.test(text) || text.length % 4 === 1) return undefined;
  const bytes = Buffer.from(text, 'base64url');
  return bytes.toString('base64url') === text ? bytes : undefined;
}

test('the trailing-bits check accepts and refuses exactly what re-encoding and comparing does', () => {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_=+/ .\n';
  let seed = 12345;
  const next = () => {
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
    return seed / 4294967296;
  };
  let accepted = 0;
  for (let i = 0; i < 50_000; i++) {
    const length = Math.floor(next() * 12);
    // Mostly alphabet characters, so that most texts get as far as the trailing-bits check.
    const range = next() < 0.9 ? 64 : alphabet.length;
    let text = '';
    for (let j = 0; j < length; j++) text += alphabet[Math.floor(next() * range)];
    const expected = decodeByReencoding(text);
    assert.deepEqual(decodeBase64url(text), expected, JSON.stringify(text));
    if (expected !== undefined) accepted++;
  }
  // Every character in every last position, for both short final groups.
  for (const c of alphabet.slice(0, 64)) {
    for (const text of [`A${c}`, `AA${c}`, `AAAAA${c}`, `AAAAAA${c}`]) {
      assert.deepEqual(decodeBase64url(text), decodeByReencoding(text), text);
    }
  }
  assert.ok(accepted > 5_000, `accepted ${accepted}`);
});
