import assert from 'node:assert/strict';
import { test } from 'node:test';
import { seededRandom as random } from '../shared/seeded-random.js';
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

/** The decoder as it was first written (re-encode and compare, after a regex): a reference. */
function decodeByReencoding(text: string): Buffer | undefined {
  if (!/^[A-Za-z0-9_-]*$/.test(text) || text.length % 4 === 1) return undefined;
  const bytes = Buffer.from(text, 'base64url');
  return bytes.toString('base64url') === text ? bytes : undefined;
}

/** The decoder of session 4 (a regex, the length, then the last character's unused bits): a reference. */
function decodeByTrailingBits(text: string): Buffer | undefined {
  const rest = text.length % 4;
  if (rest === 1 || !/^[A-Za-z0-9_-]*$/.test(text)) return undefined;
  if (rest !== 0) {
    const last = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'.indexOf(text.slice(-1));
    if ((last & (rest === 2 ? 0x0f : 0x03)) !== 0) return undefined;
  }
  return Buffer.from(text, 'base64url');
}

test('the decoder accepts and refuses exactly what both earlier decoders did, on random texts', () => {
  const alphabet =
    'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_=+/ .\n\t\r%é\u0000\u00ff\ud800\u{1f600}';
  const chars = [...alphabet];
  const next = random(12345);
  let accepted = 0;
  for (let i = 0; i < 50_000; i++) {
    const length = Math.floor(next() * (next() < 0.8 ? 12 : 400));
    // Mostly alphabet characters, so that most texts get as far as the trailing-bits check.
    const range = next() < 0.9 ? 64 : chars.length;
    let text = '';
    for (let j = 0; j < length; j++) text += chars[Math.floor(next() * range)];
    const expected = decodeByReencoding(text);
    assert.deepEqual(decodeByTrailingBits(text), expected, JSON.stringify(text));
    assert.deepEqual(decodeBase64url(text), expected, JSON.stringify(text));
    if (expected !== undefined) accepted++;
  }
  // Every character in every last position, for both short final groups, and in the middle.
  for (const c of chars) {
    for (const text of [`A${c}`, `AA${c}`, `AAAAA${c}`, `AAAAAA${c}`, `AA${c}A`, `${c}AAA`]) {
      assert.deepEqual(decodeBase64url(text), decodeByReencoding(text), text);
    }
  }
  assert.ok(accepted > 5_000, `accepted ${accepted}`);
});
