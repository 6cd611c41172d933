import { createHash, hash } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { pipeline, Transform, type Readable, type TransformCallback } from 'node:stream';
import { AwsError } from '../shared/aws-error.js';
import { isStreamingMode, readStreamingHeaders, type StreamingHeaders } from '../sigv4/streaming-headers.js';
import { AwsChunkedDecodeStream, AwsChunkedError } from '../sigv4/streaming-stream.js';
import type { StreamingMode } from '../sigv4/streaming.js';
import type { SeedSignature } from '../sigv4/verify-request.js';
import { contentSha256Mismatch } from './auth-error.js';
import { readWhole } from './read-whole.js';
import { streamingError } from './wire-errors.js';

const HEX_SHA256 = /^[0-9a-fA-F]{64}$/;
const UNSIGNED_TRAILER: StreamingMode = 'STREAMING-UNSIGNED-PAYLOAD-TRAILER';

/** What the payload checks need to know of how the request was signed. */
export interface PayloadAuth {
  /** The signed payload hash; absent for an anonymous request. */
  readonly payloadHash?: string;
  /** The verified request's seed: the signed aws-chunked modes chain their chunk signatures on it. */
  readonly seed?: SeedSignature;
}

/** A request's payload: the decoded bytes, and what an aws-chunked framing said about them. */
export interface S3Payload {
  /** The payload bytes: decoded when the body was aws-chunked, checked against the signed hash as they stream. */
  readonly stream: Readable;
  /** The framing of an aws-chunked body (decoded length, trailer names); absent for a plain body. */
  readonly chunked?: StreamingHeaders;
  /** The trailer headers of an aws-chunked body, lower-case names: complete once `stream` has ended. */
  trailers(): ReadonlyMap<string, string>;
  /**
   * The payload bytes whole, checked as `stream` checks them, failing with `tooLarge()` past `maxBytes`
   * (callers bound it: a body taken whole is at most 64 KiB). A plain body is read as it came and its
   * signed SHA-256 computed once over the whole, with no stream stage in between. Used instead of
   * `stream`, never beside it.
   */
  whole(maxBytes: number, tooLarge: () => Error): Promise<Buffer>;
}

/**
 * The one seam between a request and its payload.
 * - A plain body passes through; when the signature covers a hex SHA-256 (`x-amz-content-sha256`), the
 *   bytes are hashed as they stream and the stream fails with XAmzContentSHA256Mismatch at its end if
 *   they differ, so whatever consumes it (a blob write) never commits them.
 * - `UNSIGNED-PAYLOAD` (and anonymous requests) pass through unchecked.
 * - A `STREAMING-*` payload hash (all three modes) is decoded by the aws-chunked decoder
 *   (sigv4/streaming.ts): chunk and trailer signatures chained on the request's seed, the decoded length
 *   checked against `x-amz-decoded-content-length`; the stream fails with S3's error on the first bad
 *   byte. An anonymous request may send `STREAMING-UNSIGNED-PAYLOAD-TRAILER` (there is nothing to sign).
 * - `Content-Encoding: aws-chunked` without a streaming payload hash is a plain body: only the signed
 *   `STREAMING-*` marker frames it (a hex hash covers the bytes as sent). S3 stores such an object and
 *   drops `aws-chunked` from its Content-Encoding (ceph/s3-tests test_object_content_encoding_aws_chunked,
 *   run against AWS: `gzip, aws-chunked` on a plain body reads back `gzip`).
 */
export function openPayload(body: Readable, headers: IncomingHttpHeaders, auth: PayloadAuth): S3Payload {
  const mode = streamingMode(headers, auth);
  if (mode !== undefined) {
    const framing = readStreamingHeaders(mode, headers);
    if (!framing.ok) throw streamingError(framing.failure);
    const decode = new S3ChunkedDecodeStream({
      mode,
      ...(auth.seed !== undefined ? { seed: auth.seed } : {}),
      decodedLength: framing.decodedLength,
      trailerNames: framing.trailerNames,
    });
    const stream = pipeline(body, decode, () => undefined);
    return {
      stream,
      chunked: framing,
      trailers: () => decode.result?.trailers ?? new Map(),
      whole: (maxBytes, tooLarge) => readWhole(stream, maxBytes, tooLarge),
    };
  }
  const none = () => new Map<string, string>();
  const payloadHash = auth.payloadHash;
  if (payloadHash === undefined || !HEX_SHA256.test(payloadHash)) {
    return {
      stream: body,
      trailers: none,
      whole: (maxBytes, tooLarge) => readWhole(body, maxBytes, tooLarge),
    };
  }
  const expected = payloadHash.toLowerCase();
  // Built on first use: a body taken whole never pays for a stream stage it does not use.
  let checked: Readable | undefined;
  return {
    get stream() {
      // The callback form passes errors on: a failing body destroys the check with the body's error.
      checked ??= pipeline(body, new Sha256Check(expected), () => undefined);
      return checked;
    },
    trailers: none,
    whole: async (maxBytes, tooLarge) => {
      const bytes = await readWhole(body, maxBytes, tooLarge);
      // The same check as Sha256Check's, over the same bytes, in one call.
      const computed = hash('sha256', bytes, 'hex');
      if (computed !== expected) throw contentSha256Mismatch(expected, computed);
      return bytes;
    },
  };
}

/** The body as a stream of payload bytes (`openPayload(...).stream`). */
export function payloadStream(body: Readable, headers: IncomingHttpHeaders, auth: PayloadAuth): Readable {
  return openPayload(body, headers, auth).stream;
}

/** Whether the body is aws-chunked framed. */
export function isAwsChunked(headers: IncomingHttpHeaders, payloadHash: string | undefined): boolean {
  return payloadHash?.startsWith('STREAMING-') === true || hasAwsChunkedEncoding(headers);
}

/**
 * `Content-Encoding` as S3 stores it: without `aws-chunked`, which describes the transfer, not the object
 * (S3 API Reference, "Transferring Payload in Multiple Chunks": the stored object's encoding omits it);
 * `undefined` when nothing is left.
 */
export function storedContentEncoding(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const tokens = value.split(',').map((e) => e.trim());
  const kept = tokens.filter((e) => e !== '' && e.toLowerCase() !== 'aws-chunked');
  if (kept.length === 0) return undefined;
  // Nothing to drop: the header is stored as sent (ceph/s3-tests test_object_content_encoding_aws_chunked
  // reads `deflate, gzip` back with its space).
  if (!tokens.some((e) => e.toLowerCase() === 'aws-chunked')) return value.trim();
  return kept.join(',');
}

function streamingMode(headers: IncomingHttpHeaders, auth: PayloadAuth): StreamingMode | undefined {
  if (auth.payloadHash !== undefined) {
    return isStreamingMode(auth.payloadHash) ? auth.payloadHash : undefined;
  }
  // Anonymous: only the unsigned mode can be honoured; a signed mode without a signature is refused below.
  const announced = headers['x-amz-content-sha256'];
  if (announced === UNSIGNED_TRAILER) return UNSIGNED_TRAILER;
  if (typeof announced === 'string' && announced.startsWith('STREAMING-')) {
    // ⚠ our wording: S3's answer to a signed streaming mode on an anonymous request is unconfirmed.
    throw new AwsError('AccessDenied', 403, 'Access Denied');
  }
  return undefined;
}

function hasAwsChunkedEncoding(headers: IncomingHttpHeaders): boolean {
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

/** The decode stream, failing with S3's `AwsError` for the decoder's typed failures. */
class S3ChunkedDecodeStream extends AwsChunkedDecodeStream {
  override _transform(chunk: unknown, encoding: BufferEncoding, callback: TransformCallback): void {
    super._transform(chunk, encoding, (error, data) => callback(asS3Error(error), data));
  }
  override _flush(callback: TransformCallback): void {
    super._flush((error, data) => callback(asS3Error(error), data));
  }
}

function asS3Error(error: Error | null | undefined): Error | null | undefined {
  return error instanceof AwsChunkedError ? streamingError(error.failure) : error;
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
