import { createHmac } from 'node:crypto';
import { EMPTY_SHA256 } from './types.js';

/** The algorithm line of a chunk's string to sign (S3 API Reference, sigv4-streaming). */
export const CHUNK_ALGORITHM = 'AWS4-HMAC-SHA256-PAYLOAD';
/** The algorithm line of the trailer's string to sign (S3 API Reference, sigv4-streaming-trailers). */
export const TRAILER_ALGORITHM = 'AWS4-HMAC-SHA256-TRAILER';

/** What every link of the chain shares with the request that carried it: the seed of `verifyRequest`. */
export interface ChainContext {
  readonly dateTime: string;
  readonly credentialScope: string;
  /** Secret: never logged. */
  readonly signingKey: Uint8Array;
}

/**
 * The string to sign of one chunk:
 *
 * ```
 * AWS4-HMAC-SHA256-PAYLOAD \n DateTime \n CredentialScope \n PreviousSignature \n
 * Hex(SHA256("")) \n Hex(SHA256(ChunkData))
 * ```
 *
 * The previous signature is the request's own for the first chunk, then each chunk's in turn; the final
 * chunk has no data and signs the SHA-256 of the empty string.
 */
export function chunkStringToSign(context: ChainContext, previous: string, chunkSha256: string): string {
  return `${CHUNK_ALGORITHM}\n${context.dateTime}\n${context.credentialScope}\n${previous}\n${EMPTY_SHA256}\n${chunkSha256}`;
}

/**
 * The string to sign of the trailer: `AWS4-HMAC-SHA256-TRAILER \n DateTime \n CredentialScope \n
 * PreviousSignature \n Hex(SHA256(TrailerHeaders))`, where the previous signature is the final (empty)
 * chunk's and the trailer headers are each `name:value\n`, in the order sent, without the
 * `x-amz-trailer-signature` line.
 */
export function trailerStringToSign(context: ChainContext, previous: string, trailerSha256: string): string {
  return `${TRAILER_ALGORITHM}\n${context.dateTime}\n${context.credentialScope}\n${previous}\n${trailerSha256}`;
}

/** `Hex(HMAC-SHA256(SigningKey, StringToSign))`, as for the request itself. */
export function signLink(context: ChainContext, stringToSign: string): string {
  return createHmac('sha256', context.signingKey).update(stringToSign, 'utf8').digest('hex');
}
