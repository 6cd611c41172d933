/**
 * Test data for the aws-chunked decoder: AWS's published signed example, the body the AWS SDK for
 * JavaScript sent (docs/raw-requests.md §1.14), and an encoder for bodies of any shape. The encoder signs
 * with the same string-to-sign functions the decoder checks with, so it proves framing, not the chain: the
 * chain itself is pinned by AWS's example, whose signatures AWS computed.
 */
import { createHash } from 'node:crypto';
import { chunkStringToSign, signLink, trailerStringToSign } from '../chunk-signature.js';
import { deriveSigningKey } from '../signing-key.js';
import type { StreamingMode } from '../streaming.js';
import type { SeedSignature } from '../verify-request.js';

/**
 * S3 API Reference, "Signature Calculations for the Authorization Header: Transferring Payload in Multiple
 * Chunks", example: PUT /examplebucket/chunkObject.txt, 66560 bytes of `a` in chunks of 65536 and 1024
 * bytes, signed 20130524T000000Z with the documentation's example key.
 */
export const AWS_EXAMPLE = {
  secret: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
  accessKeyId: 'AKIAIOSFODNN7EXAMPLE',
  now: Date.UTC(2013, 4, 24, 0, 0, 0),
  path: '/examplebucket/chunkObject.txt',
  headers: {
    host: 's3.amazonaws.com',
    'x-amz-date': '20130524T000000Z',
    'x-amz-storage-class': 'REDUCED_REDUNDANCY',
    'x-amz-content-sha256': 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD',
    'content-encoding': 'aws-chunked',
    'x-amz-decoded-content-length': '66560',
    'content-length': '66824',
    authorization:
      'AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request,SignedHeaders=content-encoding;content-length;host;x-amz-content-sha256;x-amz-date;x-amz-decoded-content-length;x-amz-storage-class,Signature=4f232c4386841ef735655705268965c44a0e4690baa4adea153f7db9fa80a0a9',
  },
  seedSignature: '4f232c4386841ef735655705268965c44a0e4690baa4adea153f7db9fa80a0a9',
  chunkSignatures: [
    'ad80c730a21e5b8d04586a2213dd63b9a0e99e0e2307b0ade35a65485a288648',
    '0055627c9e194cb4542bae2aa5492e3c1575bbb81b612b7d234b86a503ef5497',
    'b6c6ea8a5354eaf15b3cb7646744f4275b71ea724fed81ceb9323e279d449df9',
  ],
} as const;

/** The example's body, byte for byte (66824 bytes, its Content-Length). */
export function awsExampleBody(): Buffer {
  const [first, second, last] = AWS_EXAMPLE.chunkSignatures;
  return Buffer.concat([
    Buffer.from(`10000;chunk-signature=${first}\r\n`),
    Buffer.alloc(65536, 'a'),
    Buffer.from(`\r\n400;chunk-signature=${second}\r\n`),
    Buffer.alloc(1024, 'a'),
    Buffer.from(`\r\n0;chunk-signature=${last}\r\n\r\n`),
  ]);
}

/** The example's seed, as `verifyRequest` returns it for the example's request. */
export function awsExampleSeed(): SeedSignature {
  return {
    signature: AWS_EXAMPLE.seedSignature,
    dateTime: '20130524T000000Z',
    credentialScope: '20130524/us-east-1/s3/aws4_request',
    signingKey: deriveSigningKey(AWS_EXAMPLE.secret, '20130524', 'us-east-1', 's3'),
  };
}

/** docs/raw-requests.md §1.14: the aws-chunked payload the JS SDK sent for `hello world` (CRC32 trailer). */
export const JS_SDK_STREAM_BODY = '6\r\nhello \r\n5\r\nworld\r\n0\r\nx-amz-checksum-crc32:DUoRhQ==\r\n\r\n';

export interface EncodeInput {
  readonly mode: StreamingMode;
  readonly seed?: SeedSignature;
  readonly chunks: readonly Buffer[];
  readonly trailers?: readonly (readonly [string, string])[];
}

/** Frames `chunks` (then the final empty chunk, then the trailer) as a client of `mode` would. */
export function encodeAwsChunked(input: EncodeInput): Buffer {
  const signed = input.mode !== 'STREAMING-UNSIGNED-PAYLOAD-TRAILER';
  const seed = input.seed;
  if (signed && seed === undefined) throw new TypeError('a signed mode needs a seed');
  let previous = seed?.signature ?? '';
  const parts: Buffer[] = [];
  for (const data of [...input.chunks, Buffer.alloc(0)]) {
    let line = data.length.toString(16);
    if (signed && seed !== undefined) {
      const digest = createHash('sha256').update(data).digest('hex');
      previous = signLink(seed, chunkStringToSign(seed, previous, digest));
      line += `;chunk-signature=${previous}`;
    }
    parts.push(Buffer.from(`${line}\r\n`), data);
    if (data.length > 0) parts.push(Buffer.from('\r\n'));
  }
  if (input.mode === 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD') {
    parts.push(Buffer.from('\r\n'));
    return Buffer.concat(parts);
  }
  let canonical = '';
  for (const [name, value] of input.trailers ?? []) {
    canonical += `${name}:${value}\n`;
    parts.push(Buffer.from(`${name}:${value}\r\n`));
  }
  if (signed && seed !== undefined) {
    const digest = createHash('sha256').update(canonical).digest('hex');
    const signature = signLink(seed, trailerStringToSign(seed, previous, digest));
    parts.push(Buffer.from(`x-amz-trailer-signature:${signature}\r\n`));
  }
  parts.push(Buffer.from('\r\n'));
  return Buffer.concat(parts);
}
