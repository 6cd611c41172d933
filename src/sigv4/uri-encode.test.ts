import assert from 'node:assert/strict';
import { test } from 'node:test';
import { percentDecode, uriEncode, uriEncodeBytes } from './uri-encode.js';

test('UriEncode leaves exactly the RFC 3986 unreserved characters alone', () => {
  const unreserved = '-._~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
  assert.equal(uriEncode(unreserved, false), unreserved);
  assert.equal(
    uriEncode(' !"#$&\'()*+,:;<=>?@[\\]^`{|}', false),
    '%20%21%22%23%24%26%27%28%29%2A%2B%2C%3A%3B%3C%3D%3E%3F%40%5B%5C%5D%5E%60%7B%7C%7D',
  );
});

test('UriEncode percent-encodes every UTF-8 byte with upper-case hex', () => {
  assert.equal(uriEncode('ሴ', false), '%E1%88%B4'); // suite case get-utf8
  assert.equal(uriEncode('😀', false), '%F0%9F%98%80');
});

test('UriEncode keeps the slash in paths only', () => {
  assert.equal(uriEncode('/a b/c', true), '/a%20b/c');
  assert.equal(uriEncode('/a b/c', false), '%2Fa%20b%2Fc');
});

test('UriEncode does not decode: a percent sign is encoded again (the double encoding of non-S3 paths)', () => {
  assert.equal(uriEncode('/a%20b', true), '/a%2520b');
});

test('UriEncode of a lone surrogate encodes U+FFFD rather than throwing', () => {
  assert.equal(uriEncode('\ud800', false), '%EF%BF%BD');
});

test('percent-decoding treats + as a plus sign, not a space', () => {
  assert.equal(uriEncodeBytes(percentDecode('a+b%20c'), false), 'a%2Bb%20c');
});

test('percent-decoding keeps a percent sign that starts no escape', () => {
  assert.equal(Buffer.from(percentDecode('100%')).toString(), '100%');
  assert.equal(Buffer.from(percentDecode('%zz%4')).toString(), '%zz%4');
});

test('percent-decoding is byte-exact, also for bytes that are not UTF-8', () => {
  assert.deepEqual([...percentDecode('%FF%00%e1%88%b4')], [0xff, 0x00, 0xe1, 0x88, 0xb4]);
  assert.equal(uriEncodeBytes(percentDecode('%ff'), false), '%FF');
});
