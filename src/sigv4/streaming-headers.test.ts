import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isStreamingMode, readStreamingHeaders } from './streaming-headers.js';

const TRAILER = 'STREAMING-UNSIGNED-PAYLOAD-TRAILER';

test('the JS SDK headers (docs/raw-requests.md §1.14) give the mode, the decoded length and the trailer name', () => {
  const result = readStreamingHeaders(TRAILER, {
    'x-amz-decoded-content-length': '11',
    'x-amz-trailer': 'x-amz-checksum-crc32',
  });
  assert.deepEqual(result, {
    ok: true,
    mode: TRAILER,
    decodedLength: 11,
    trailerNames: ['x-amz-checksum-crc32'],
  });
});

test('only the three streaming markers are streaming modes', () => {
  assert.equal(isStreamingMode('STREAMING-AWS4-HMAC-SHA256-PAYLOAD'), true);
  assert.equal(isStreamingMode('STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER'), true);
  assert.equal(isStreamingMode(TRAILER), true);
  assert.equal(isStreamingMode('UNSIGNED-PAYLOAD'), false);
  assert.equal(isStreamingMode('STREAMING-AWS4-ECDSA-P256-SHA256-PAYLOAD'), false);
});

test('a missing x-amz-decoded-content-length fails MissingContentLength', () => {
  const result = readStreamingHeaders(TRAILER, { 'x-amz-trailer': 'x-amz-checksum-crc32' });
  assert.equal(result.ok, false);
  if (result.ok) return;
  assert.equal(result.failure.code, 'MissingContentLength');
  assert.equal(result.failure.message, 'You must provide the Content-Length HTTP header.');
});

test('an x-amz-decoded-content-length that is not a decimal length fails InvalidArgument', () => {
  for (const value of ['-1', '1.5', 'abc', '0x10', '99999999999999999', '']) {
    const result = readStreamingHeaders(TRAILER, {
      'x-amz-decoded-content-length': value,
      'x-amz-trailer': 'x-amz-checksum-crc32',
    });
    assert.equal(result.ok, false, value);
    if (!result.ok) assert.equal(result.failure.code, 'InvalidArgument');
  }
});

test('a trailer mode without x-amz-trailer, or the signed mode with one, fails InvalidRequest', () => {
  const missing = readStreamingHeaders(TRAILER, { 'x-amz-decoded-content-length': '1' });
  assert.equal(missing.ok ? '' : missing.failure.reason, 'missing-trailer-header');
  const unexpected = readStreamingHeaders('STREAMING-AWS4-HMAC-SHA256-PAYLOAD', {
    'x-amz-decoded-content-length': '1',
    'x-amz-trailer': 'x-amz-checksum-crc32',
  });
  assert.equal(unexpected.ok ? '' : unexpected.failure.code, 'InvalidRequest');
  for (const bad of ['x-amz-checksum-crc32, x-amz-checksum-crc32', 'bad name', 'a,'.repeat(9) + 'a']) {
    const result = readStreamingHeaders(TRAILER, {
      'x-amz-decoded-content-length': '1',
      'x-amz-trailer': bad,
    });
    assert.equal(result.ok ? '' : result.failure.reason, 'invalid-trailer-header', bad);
  }
});

test('x-amz-trailer names are lower-cased and trimmed', () => {
  const result = readStreamingHeaders(TRAILER, {
    'x-amz-decoded-content-length': ' 5 ',
    'x-amz-trailer': ' X-Amz-Checksum-CRC32C ',
  });
  assert.deepEqual(result, {
    ok: true,
    mode: TRAILER,
    decodedLength: 5,
    trailerNames: ['x-amz-checksum-crc32c'],
  });
});
