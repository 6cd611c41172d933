import assert from 'node:assert/strict';
import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { test } from 'node:test';
import { AwsChunkedDecodeStream, AwsChunkedError } from './streaming-stream.js';
import { awsExampleBody, awsExampleSeed } from './testdata/aws-chunked.js';

const OPTIONS = {
  mode: 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD',
  seed: awsExampleSeed(),
  decodedLength: 66560,
  trailerNames: [],
} as const;

function collect(into: Buffer[]): Writable {
  return new Writable({
    write(chunk: Buffer, _encoding, callback) {
      into.push(chunk);
      callback();
    },
  });
}

/** The body in pieces of `size` bytes, as a socket would deliver it. */
function pieces(body: Buffer, size: number): Buffer[] {
  const out: Buffer[] = [];
  for (let at = 0; at < body.length; at += size) out.push(body.subarray(at, at + size));
  return out;
}

test('piped through the Transform, the AWS example decodes to its 66560 bytes', async () => {
  const out: Buffer[] = [];
  const stream = new AwsChunkedDecodeStream(OPTIONS);
  await pipeline(Readable.from(pieces(awsExampleBody(), 1000)), stream, collect(out));
  assert.deepEqual(Buffer.concat(out), Buffer.alloc(66560, 'a'));
  assert.equal(stream.result?.decodedLength, 66560);
});

test('the Transform fails with the typed failure on a tampered chunk', async () => {
  const tampered = Buffer.from(awsExampleBody());
  tampered[1000] = 0x62;
  await assert.rejects(
    pipeline(Readable.from(pieces(tampered, 4096)), new AwsChunkedDecodeStream(OPTIONS), collect([])),
    (error: unknown) => error instanceof AwsChunkedError && error.failure.code === 'SignatureDoesNotMatch',
  );
});

test('the Transform fails IncompleteBody when the input ends early', async () => {
  const truncated = awsExampleBody().subarray(0, 70000 - 4000);
  await assert.rejects(
    pipeline(Readable.from(pieces(truncated, 4096)), new AwsChunkedDecodeStream(OPTIONS), collect([])),
    (error: unknown) => error instanceof AwsChunkedError && error.failure.reason === 'truncated',
  );
});
