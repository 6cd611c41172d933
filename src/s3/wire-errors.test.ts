import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseXml } from '../protocol/xml-parse.js';
import { AwsChunkedDecoder } from '../sigv4/streaming.js';
import { streamingError, xmlBodyError } from './wire-errors.js';

test('InvalidChunkSizeError goes on the wire with S3 status 400 and its Chunk and BadChunkSize fields', () => {
  const decoder = new AwsChunkedDecoder({
    mode: 'STREAMING-UNSIGNED-PAYLOAD-TRAILER',
    decodedLength: 11,
    trailerNames: ['x-amz-checksum-crc32'],
  });
  const pushed = decoder.push(Buffer.from('6\r\nhello \r\n5\r\nworld\r\n'));
  assert.equal(pushed.ok, false);
  if (pushed.ok) return;
  const error = streamingError(pushed.failure);
  assert.equal(error.code, 'InvalidChunkSizeError');
  assert.equal(error.status, 400);
  assert.equal(error.fault, 'Sender');
  assert.equal(error.message, 'Only the last chunk is allowed to have a size less than 8192 bytes');
  assert.deepEqual(error.fields, { Chunk: '2', BadChunkSize: '6' });
});

test('a chunk signature mismatch is 403 SignatureDoesNotMatch', () => {
  const error = streamingError({
    code: 'SignatureDoesNotMatch',
    reason: 'chunk-signature',
    message:
      'The request signature we calculated does not match the signature you provided. Check your key and signing method.',
    fields: { StringToSign: 'AWS4-HMAC-SHA256-PAYLOAD\n...' },
  });
  assert.equal(error.status, 403);
  assert.equal(error.fields['StringToSign'], 'AWS4-HMAC-SHA256-PAYLOAD\n...');
});

test('a missing decoded length is 411 MissingContentLength', () => {
  const error = streamingError({
    code: 'MissingContentLength',
    reason: 'missing-decoded-length',
    message: 'You must provide the Content-Length HTTP header.',
    fields: {},
  });
  assert.equal(error.status, 411);
});

test('an unreadable XML body is 400 MalformedXML, without the detail', () => {
  const parsed = parseXml('<Delete><Object></Delete>');
  assert.equal(parsed.ok, false);
  if (parsed.ok) return;
  const error = xmlBodyError(parsed.failure);
  assert.equal(error.code, 'MalformedXML');
  assert.equal(error.status, 400);
  assert.equal(
    error.message,
    'The XML you provided was not well-formed or did not validate against our published schema',
  );
  assert.deepEqual(error.fields, {});
});
