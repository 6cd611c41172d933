import type { StreamingFailed } from './streaming-failures.js';
import { isStreamingMode, readStreamingHeaders, type StreamingHeaders } from './streaming-headers.js';
import { AwsChunkedDecoder, type ChunkedLimits } from './streaming.js';
import type { HttpHeaders } from './types.js';
import type { VerifiedRequest } from './verify-request.js';

export interface OpenedChunkedBody {
  readonly ok: true;
  readonly decoder: AwsChunkedDecoder;
  readonly framing: StreamingHeaders;
}

/**
 * The decoder for a verified request's body, when its signed payload hash announces aws-chunked framing;
 * `undefined` when the body is plain (a digest or `UNSIGNED-PAYLOAD`). The chain starts from the request's
 * own seed signature, so the first chunk must be signed with the key that signed the request.
 */
export function openChunkedBody(
  verified: VerifiedRequest,
  headers: HttpHeaders,
  limits?: Partial<ChunkedLimits>,
): OpenedChunkedBody | StreamingFailed | undefined {
  const mode = verified.payloadHash;
  if (!isStreamingMode(mode)) return undefined;
  const framing = readStreamingHeaders(mode, headers);
  if (!framing.ok) return framing;
  const decoder = new AwsChunkedDecoder({
    mode,
    seed: verified.seed,
    decodedLength: framing.decodedLength,
    trailerNames: framing.trailerNames,
    ...(limits === undefined ? {} : { limits }),
  });
  return { ok: true, decoder, framing };
}
