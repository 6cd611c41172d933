import { Transform, type TransformCallback } from 'node:stream';
import { AwsChunkedDecoder, type AwsChunkedOptions, type DecodedEnd } from './streaming.js';
import type { StreamingFailure } from './streaming-failures.js';

/** The error a decode stream fails with: it carries the typed failure for the S3 layer to answer. */
export class AwsChunkedError extends Error {
  override readonly name = 'AwsChunkedError';
  constructor(readonly failure: StreamingFailure) {
    super(`${failure.code}: ${failure.message}`);
  }
}

/**
 * `AwsChunkedDecoder` as a `Transform`: aws-chunked bytes in, decoded bytes out, so that a request can be
 * piped into storage (`pipeline(req, decodeStream, file)`). It fails with an `AwsChunkedError` on the first
 * bad byte, and at the end if the body was incomplete; `result` holds the trailer once the stream has
 * finished.
 */
export class AwsChunkedDecodeStream extends Transform {
  readonly #decoder: AwsChunkedDecoder;
  #result: DecodedEnd | undefined;

  constructor(options: AwsChunkedOptions) {
    super();
    this.#decoder = new AwsChunkedDecoder(options);
  }

  /** The trailer and decoded length, once the stream has ended without error. */
  get result(): DecodedEnd | undefined {
    return this.#result;
  }

  override _transform(chunk: unknown, _encoding: BufferEncoding, callback: TransformCallback): void {
    const input = Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk), 'latin1');
    const pushed = this.#decoder.push(input);
    if (!pushed.ok) {
      callback(new AwsChunkedError(pushed.failure));
      return;
    }
    for (const piece of pushed.data) this.push(piece);
    callback();
  }

  override _flush(callback: TransformCallback): void {
    const ended = this.#decoder.end();
    if (!ended.ok) {
      callback(new AwsChunkedError(ended.failure));
      return;
    }
    this.#result = ended;
    callback();
  }
}
