import {
  MISSING_DECODED_LENGTH_MESSAGE,
  invalidDecodedLengthMessage,
  streamingFailed,
  type StreamingFailed,
} from './streaming-failures.js';
import type { StreamingMode } from './streaming.js';
import type { HttpHeaders } from './types.js';

/** What the request headers say about an aws-chunked body, checked for syntax. */
export interface StreamingHeaders {
  readonly ok: true;
  readonly mode: StreamingMode;
  readonly decodedLength: number;
  /** `x-amz-trailer`, lower-case; empty for `STREAMING-AWS4-HMAC-SHA256-PAYLOAD`. */
  readonly trailerNames: readonly string[];
}

const MODES: readonly StreamingMode[] = [
  'STREAMING-AWS4-HMAC-SHA256-PAYLOAD',
  'STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER',
  'STREAMING-UNSIGNED-PAYLOAD-TRAILER',
];

/** At most this many trailer headers may be announced (ours: S3 takes one checksum). */
const MAX_TRAILER_NAMES = 8;
const DECIMAL = /^\d{1,16}$/;
const HEADER_NAME = /^[a-z0-9-]{1,128}$/;

/** True when `x-amz-content-sha256` (the signed payload hash) announces an aws-chunked body. */
export function isStreamingMode(payloadHash: string): payloadHash is StreamingMode {
  return (MODES as readonly string[]).includes(payloadHash);
}

/**
 * Reads `x-amz-decoded-content-length` and `x-amz-trailer` for a body whose signed payload hash is a
 * streaming marker (S3 API Reference, sigv4-streaming: "x-amz-decoded-content-length ... the size of the
 * object in bytes" is required; sigv4-streaming-trailers: "You must set x-amz-trailer"). The body itself is
 * checked by `AwsChunkedDecoder`, which takes the result with the seed.
 */
export function readStreamingHeaders(
  mode: StreamingMode,
  headers: HttpHeaders,
): StreamingHeaders | StreamingFailed {
  const length = single(headers['x-amz-decoded-content-length']);
  if (length === undefined) {
    return streamingFailed('MissingContentLength', 'missing-decoded-length', MISSING_DECODED_LENGTH_MESSAGE);
  }
  const trimmed = length.trim();
  if (!DECIMAL.test(trimmed) || !Number.isSafeInteger(Number(trimmed))) {
    return streamingFailed('InvalidArgument', 'invalid-decoded-length', invalidDecodedLengthMessage(length));
  }
  const trailer = single(headers['x-amz-trailer']);
  const trailered = mode !== 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD';
  if (!trailered) {
    if (trailer !== undefined) {
      // ⚠ our wording: a trailer announced for a mode that carries none.
      return streamingFailed(
        'InvalidRequest',
        'unexpected-trailer-header',
        `x-amz-trailer is not allowed with x-amz-content-sha256 ${mode}`,
      );
    }
    return { ok: true, mode, decodedLength: Number(trimmed), trailerNames: [] };
  }
  if (trailer === undefined || trailer.trim() === '') {
    // ⚠ our wording: S3 requires the header ("You must set x-amz-trailer") but its answer is unconfirmed.
    return streamingFailed(
      'InvalidRequest',
      'missing-trailer-header',
      `x-amz-trailer is required with x-amz-content-sha256 ${mode}`,
    );
  }
  const names = trailer.split(',').map((name) => name.trim().toLowerCase());
  if (
    names.length > MAX_TRAILER_NAMES ||
    names.some((name) => !HEADER_NAME.test(name)) ||
    new Set(names).size !== names.length
  ) {
    // ⚠ our wording, and S3's code for it unconfirmed.
    return streamingFailed(
      'InvalidRequest',
      'invalid-trailer-header',
      `x-amz-trailer must name up to ${MAX_TRAILER_NAMES} distinct headers, got \`${trailer.slice(0, 256)}\``,
    );
  }
  return { ok: true, mode, decodedLength: Number(trimmed), trailerNames: names };
}

/** A header sent once; a repeated one counts as absent only if all copies are absent. */
function single(value: string | readonly string[] | undefined): string | undefined {
  if (value === undefined || typeof value === 'string') return value;
  return value.length === 0 ? undefined : value.join(',');
}
