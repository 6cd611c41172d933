import { createHash } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { pipeline, Transform, type Readable, type TransformCallback } from 'node:stream';
import { AwsError } from '../shared/aws-error.js';
import { contentSha256Mismatch } from './auth-error.js';

const HEX_SHA256 = /^[0-9a-fA-F]{64}$/;

/**
 * The one seam between a request and its payload: the body as a stream of payload bytes.
 * - A plain body passes through; when the signature covers a hex SHA-256 (`x-amz-content-sha256`), the
 *   bytes are hashed as they stream and the stream fails with XAmzContentSHA256Mismatch at its end if
 *   they differ, so whatever consumes it (a blob write) never commits them.
 * - `UNSIGNED-PAYLOAD` (and anonymous requests) pass through unchecked.
 * - aws-chunked bodies (`Content-Encoding: aws-chunked`, or a `STREAMING-*` payload hash) answer 501
 *   until the chunk decoder (sigv4/streaming.ts) is merged: this is where it plugs in.
 */
export function payloadStream(
  body: Readable,
  headers: IncomingHttpHeaders,
  payloadHash: string | undefined,
): Readable {
  if (isAwsChunked(headers, payloadHash)) {
    throw new AwsError('InternalFailure', 501, 'aws-chunked payloads are not implemented', {
      fault: 'Receiver',
    });
  }
  if (payloadHash === undefined || !HEX_SHA256.test(payloadHash)) return body;
  const check = new Sha256Check(payloadHash.toLowerCase());
  // The callback form passes errors on: a failing body destroys `check` with the body's error.
  return pipeline(body, check, () => undefined);
}

/** Whether the body is aws-chunked framed. */
export function isAwsChunked(headers: IncomingHttpHeaders, payloadHash: string | undefined): boolean {
  if (payloadHash?.startsWith('STREAMING-') === true) return true;
  const encoding = headers['content-encoding'];
  return (
    encoding !== undefined &&
    encoding
      .split(',')
      .map((e) => e.trim().toLowerCase())
      .includes('aws-chunked')
  );
}

/**
 * Reads a small payload (a bucket policy, a CreateBucketConfiguration) whole, with a bound; more than
 * `maxBytes` fails with `tooLarge()` as soon as the bound is crossed.
 */
export async function readSmallPayload(
  stream: Readable,
  maxBytes: number,
  tooLarge: () => Error,
): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stream) {
    const b = chunk as Buffer;
    size += b.length;
    if (size > maxBytes) {
      stream.destroy();
      throw tooLarge();
    }
    chunks.push(b);
  }
  return Buffer.concat(chunks);
}

class Sha256Check extends Transform {
  readonly #hash = createHash('sha256');
  constructor(private readonly expected: string) {
    super();
  }
  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.#hash.update(chunk);
    callback(null, chunk);
  }
  override _flush(callback: TransformCallback): void {
    const computed = this.#hash.digest('hex');
    callback(computed === this.expected ? null : contentSha256Mismatch(this.expected, computed));
  }
}
