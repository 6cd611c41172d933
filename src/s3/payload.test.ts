import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { text } from 'node:stream/consumers';
import { test } from 'node:test';
import { AwsError } from '../shared/aws-error.js';
import { encodeAwsChunked } from '../sigv4/testdata/aws-chunked.js';
import { openPayload, storedContentEncoding } from './payload.js';

test('the stored Content-Encoding drops aws-chunked and keeps the rest in order', () => {
  assert.equal(storedContentEncoding('aws-chunked'), undefined);
  assert.equal(storedContentEncoding('aws-chunked, gzip'), 'gzip');
  assert.equal(storedContentEncoding('gzip,AWS-CHUNKED,br'), 'gzip,br');
  assert.equal(storedContentEncoding(undefined), undefined);
  assert.equal(storedContentEncoding('deflate, gzip'), 'deflate, gzip');
});

test('an anonymous unsigned-trailer body is decoded; its trailer is known once the stream ends', async () => {
  const body = encodeAwsChunked({
    mode: 'STREAMING-UNSIGNED-PAYLOAD-TRAILER',
    chunks: [Buffer.from('hello')],
    trailers: [['x-amz-checksum-crc32', 'NhCmhg==']],
  });
  const payload = openPayload(
    Readable.from([body]),
    {
      'x-amz-content-sha256': 'STREAMING-UNSIGNED-PAYLOAD-TRAILER',
      'x-amz-decoded-content-length': '5',
      'x-amz-trailer': 'x-amz-checksum-crc32',
    },
    {},
  );
  assert.equal(payload.chunked?.decodedLength, 5);
  assert.equal(await text(payload.stream), 'hello');
  assert.equal(payload.trailers().get('x-amz-checksum-crc32'), 'NhCmhg==');
});

test('a signed streaming mode without a signature is refused (fail closed)', () => {
  assert.throws(
    () =>
      openPayload(
        Readable.from([]),
        { 'x-amz-content-sha256': 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD', 'x-amz-decoded-content-length': '0' },
        {},
      ),
    (e: unknown) => e instanceof AwsError && e.code === 'AccessDenied' && e.status === 403,
  );
});

test('a body shorter than its decoded length fails the stream with IncompleteBody', async () => {
  const body = encodeAwsChunked({
    mode: 'STREAMING-UNSIGNED-PAYLOAD-TRAILER',
    chunks: [Buffer.from('hello')],
    trailers: [['x-amz-checksum-crc32', 'NhCmhg==']],
  });
  const payload = openPayload(
    Readable.from([body]),
    { 'x-amz-decoded-content-length': '6', 'x-amz-trailer': 'x-amz-checksum-crc32' },
    { payloadHash: 'STREAMING-UNSIGNED-PAYLOAD-TRAILER' },
  );
  await assert.rejects(text(payload.stream), (e: unknown) => e instanceof AwsError && e.status === 400);
});
