import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { text } from 'node:stream/consumers';
import { test } from 'node:test';
import { AwsError } from '../shared/aws-error.js';
import { seededRandom } from '../shared/seeded-random.js';
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

/** The bytes and the error (code and message) a payload read yields, through `stream` or `whole`. */
async function outcome(
  read: 'stream' | 'whole',
  chunks: readonly Buffer[],
  payloadHash: string | undefined,
): Promise<{ bytes?: string; error?: string }> {
  const payload = openPayload(Readable.from(chunks), {}, payloadHash === undefined ? {} : { payloadHash });
  try {
    if (read === 'whole') {
      return { bytes: (await payload.whole(64 * 1024, () => new Error('too large'))).toString('hex') };
    }
    const parts: Buffer[] = [];
    for await (const chunk of payload.stream) parts.push(chunk as Buffer);
    return { bytes: Buffer.concat(parts).toString('hex') };
  } catch (error) {
    return { error: error instanceof AwsError ? `${error.code} ${error.message}` : String(error) };
  }
}

test('whole() yields what stream yields over random bodies, signed hashes right and wrong, unsigned', async () => {
  const random = seededRandom(20261204);
  for (let i = 0; i < 200; i++) {
    const size = Math.floor(random() * 5000);
    const bytes = Buffer.from(Array.from({ length: size }, () => Math.floor(random() * 256)));
    // Split into 1 to 4 chunks, as a socket may deliver it.
    const cuts = Array.from({ length: Math.floor(random() * 4) }, () => Math.floor(random() * size)).sort(
      (a, b) => a - b,
    );
    const chunks = [0, ...cuts, size]
      .slice(1)
      .map((end, j, ends) => bytes.subarray(j === 0 ? 0 : ends[j - 1], end));
    const right = createHash('sha256').update(bytes).digest('hex');
    const wrong = createHash('sha256').update(`other ${i}`).digest('hex');
    for (const payloadHash of [right, right.toUpperCase(), wrong, 'UNSIGNED-PAYLOAD', undefined]) {
      const viaStream = await outcome('stream', chunks, payloadHash);
      const viaWhole = await outcome('whole', chunks, payloadHash);
      assert.deepEqual(viaWhole, viaStream, `body ${i}, hash ${String(payloadHash)}`);
      if (payloadHash === wrong) assert.match(viaWhole.error ?? '', /^XAmzContentSHA256Mismatch /);
      else assert.equal(viaWhole.bytes, bytes.toString('hex'));
    }
  }
});

test('whole() fails past its bound', async () => {
  const payload = openPayload(Readable.from([Buffer.alloc(10)]), {}, {});
  await assert.rejects(
    payload.whole(9, () => new Error('too large')),
    /too large/,
  );
});
