import assert from 'node:assert/strict';
import { test } from 'node:test';
import { decodeMetadataValue, encodeMetadataValue } from './metadata-value.js';

/** What Node's parser gives for bytes sent on the wire: one character per byte. */
const wire = (text: string) => Buffer.from(text, 'utf8').toString('latin1');

test('a UTF-8 metadata value (as botocore sends it) is stored as the text it encodes', () => {
  assert.equal(decodeMetadataValue(wire('Hello World\u00e9')), 'Hello World\u00e9');
  assert.equal(decodeMetadataValue('plain ascii'), 'plain ascii');
});

test('a value that is one RFC 2047 encoded word is stored decoded (S3 User Guide, object metadata)', () => {
  assert.equal(decodeMetadataValue('=?UTF-8?B?SGVsbG8gV29ybGTDqQ==?='), 'Hello World\u00e9');
  assert.equal(decodeMetadataValue('=?utf-8?q?Hello_World=C3=A9?='), 'Hello World\u00e9');
  assert.equal(decodeMetadataValue('=?ISO-8859-1?Q?gro=DF?='), 'gro\u00df');
  // Malformed or unknown-charset words are kept as sent.
  assert.equal(decodeMetadataValue('=?UTF-8?Q?bad=ZZ?='), '=?UTF-8?Q?bad=ZZ?=');
  assert.equal(decodeMetadataValue('=?KOI8-R?B?AAAA?='), '=?KOI8-R?B?AAAA?=');
});

test('US-ASCII values are answered as is, even with `=`, `?`, `_` and spaces', () => {
  assert.equal(encodeMetadataValue('a b_c=d?e'), 'a b_c=d?e');
});

test('a non-ASCII value is answered as a Q encoded word', () => {
  assert.equal(encodeMetadataValue('Hello World\u00e9'), '=?UTF-8?Q?Hello_World=C3=A9?=');
  assert.equal(encodeMetadataValue('\u00e9 a=b?_'), '=?UTF-8?Q?=C3=A9_a=3Db=3F=5F?=');
});

test('a value with a control character or U+FFFD is answered base64 (B) encoded', () => {
  assert.equal(
    encodeMetadataValue('\u00e9\u0001'),
    `=?UTF-8?B?${Buffer.from('\u00e9\u0001').toString('base64')}?=`,
  );
  assert.equal(encodeMetadataValue('x\ufffd'), `=?UTF-8?B?${Buffer.from('x\ufffd').toString('base64')}?=`);
});

test('what is answered decodes back to what was stored', () => {
  for (const v of ['Hello World\u00e9', '\u4e2d\u6587 text', 'x\ufffd\u0002']) {
    assert.equal(decodeMetadataValue(encodeMetadataValue(v)), v);
  }
});
