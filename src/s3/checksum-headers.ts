import { errorCatalogue } from '../shared/aws-error.js';
import { distinctHeaders, type HttpHeaders } from '../sigv4/types.js';
import {
  CHECKSUM_ALGORITHMS,
  DIGEST_BYTES,
  checksumHeaderName,
  type ChecksumAlgorithm,
} from './checksums.js';

/**
 * The integrity headers of an upload, checked as S3 checks them: `Content-MD5` (RFC 1864, base64 of the 16
 * bytes) and one flexible checksum, in an `x-amz-checksum-*` header or announced by `x-amz-trailer` for an
 * aws-chunked body (S3 User Guide, "Checking object integrity"). Each function throws the `AwsError` S3
 * answers; the codes are S3's (S3 API Reference, "Error responses"), and each message says where its
 * wording comes from.
 */
const checksumError = errorCatalogue({
  BadDigest: { status: 400 },
  InvalidDigest: { status: 400 },
  InvalidRequest: { status: 400 },
});

/** (confirmed: S3's classic wording, S3 API Reference error list and many SDK issues) */
export const INVALID_CONTENT_MD5_MESSAGE = 'The Content-MD5 you specified is not valid.';
/** (confirmed: as above) */
export const CONTENT_MD5_MISMATCH_MESSAGE = 'The Content-MD5 you specified did not match what we received.';
/** ⚠ S3's wording as we know it from its answers; unconfirmed for every value of this module's tests. */
export const MULTIPLE_CHECKSUMS_MESSAGE =
  'Expecting a single x-amz-checksum- header. Multiple checksum Types are not allowed.';
/** ⚠ S3's wording as we know it (unconfirmed). */
export const ALGORITHM_WITHOUT_CHECKSUM_MESSAGE =
  'x-amz-sdk-checksum-algorithm specified, but no corresponding x-amz-checksum-* or x-amz-trailer headers were found.';

/**
 * (confirmed for CRC32: "The CRC32 you specified did not match the calculated checksum." — aws/aws-sdk-ruby#3322;
 * ⚠ the same pattern for the other algorithms is our reading)
 */
export function checksumMismatchMessage(algorithm: ChecksumAlgorithm): string {
  return `The ${algorithm} you specified did not match the calculated checksum.`;
}

/** ⚠ S3's wording for a checksum header that is not base64 of the digest's size (unconfirmed). */
export function invalidChecksumMessage(header: string): string {
  return `Value for ${header} header is invalid.`;
}

/** One flexible checksum the client declared, and where its value is. */
export type DeclaredChecksum =
  | { readonly algorithm: ChecksumAlgorithm; readonly in: 'header'; readonly value: string }
  | { readonly algorithm: ChecksumAlgorithm; readonly in: 'trailer' };

const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

/** True when `value` is the canonical base64 of exactly `bytes` bytes. */
export function isBase64Digest(value: string, bytes: number): boolean {
  if (value.length !== 4 * Math.ceil(bytes / 3) || !BASE64.test(value)) return false;
  const decoded = Buffer.from(value, 'base64');
  return decoded.length === bytes && decoded.toString('base64') === value;
}

/**
 * The checksum the request declares, if any: an `x-amz-checksum-*` header, or a name in `x-amz-trailer`
 * (lower-case, as `readStreamingHeaders` returns them). `x-amz-sdk-checksum-algorithm`, which SDKs send
 * beside it, must agree. Throws InvalidRequest for two checksums, a malformed value, or an algorithm
 * named with no checksum.
 */
export function readDeclaredChecksum(
  given: HttpHeaders,
  trailerNames: readonly string[] = [],
): DeclaredChecksum | undefined {
  // `req.headersDistinct` lists every value; a header sent once reads as a string.
  const headers = distinctHeaders(given);
  const found: DeclaredChecksum[] = [];
  for (const algorithm of CHECKSUM_ALGORITHMS) {
    const name = checksumHeaderName(algorithm);
    const value = headers[name];
    if (value !== undefined) {
      if (typeof value !== 'string') throw checksumError('InvalidRequest', MULTIPLE_CHECKSUMS_MESSAGE);
      const trimmed = value.trim();
      if (!isBase64Digest(trimmed, DIGEST_BYTES[algorithm])) {
        throw checksumError('InvalidRequest', invalidChecksumMessage(name));
      }
      found.push({ algorithm, in: 'header', value: trimmed });
    }
    if (trailerNames.includes(name)) found.push({ algorithm, in: 'trailer' });
  }
  if (found.length > 1) throw checksumError('InvalidRequest', MULTIPLE_CHECKSUMS_MESSAGE);
  const declared = found[0];
  const named = headers['x-amz-sdk-checksum-algorithm'];
  if (named !== undefined) {
    const algorithm = typeof named === 'string' ? named.trim().toUpperCase() : '';
    if (!(CHECKSUM_ALGORITHMS as readonly string[]).includes(algorithm)) {
      throw checksumError('InvalidRequest', invalidChecksumMessage('x-amz-sdk-checksum-algorithm'));
    }
    if (declared === undefined || declared.algorithm !== algorithm) {
      throw checksumError('InvalidRequest', ALGORITHM_WITHOUT_CHECKSUM_MESSAGE);
    }
  }
  return declared;
}

/**
 * The value a trailer-declared checksum arrived with, checked like a header value. Throws InvalidRequest
 * (⚠ S3's code for a malformed trailer value is unconfirmed) when it is absent or not a digest.
 */
export function trailerChecksumValue(
  declared: DeclaredChecksum,
  trailers: ReadonlyMap<string, string>,
): string {
  if (declared.in === 'header') return declared.value;
  const name = checksumHeaderName(declared.algorithm);
  const value = trailers.get(name);
  if (value === undefined || !isBase64Digest(value, DIGEST_BYTES[declared.algorithm])) {
    throw checksumError('InvalidRequest', invalidChecksumMessage(name));
  }
  return value;
}

/** Throws BadDigest unless the checksum computed over the received bytes is the one declared. */
export function checkChecksum(algorithm: ChecksumAlgorithm, declared: string, computed: string): void {
  if (declared !== computed) throw checksumError('BadDigest', checksumMismatchMessage(algorithm));
}

/**
 * `Content-MD5` as base64 of 16 bytes, or undefined without one. Throws InvalidDigest for anything else
 * (S3 API Reference, PutObject: "Content-MD5 ... The base64-encoded 128-bit MD5 digest").
 */
export function readContentMd5(headers: HttpHeaders): string | undefined {
  const value = distinctHeaders(headers)['content-md5'];
  if (value === undefined) return undefined;
  const trimmed = typeof value === 'string' ? value.trim() : '';
  if (!isBase64Digest(trimmed, 16)) throw checksumError('InvalidDigest', INVALID_CONTENT_MD5_MESSAGE);
  return trimmed;
}

/** Throws BadDigest unless the MD5 of the received bytes (base64) is the declared `Content-MD5`. */
export function checkContentMd5(declared: string, computed: string): void {
  if (declared !== computed) throw checksumError('BadDigest', CONTENT_MD5_MISMATCH_MESSAGE);
}
