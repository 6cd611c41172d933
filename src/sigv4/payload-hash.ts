import { hash } from 'node:crypto';
import { queryValues, type QueryParam } from './canonical-query.js';
import {
  INVALID_CONTENT_SHA256_MESSAGE,
  MISSING_CONTENT_SHA256_MESSAGE,
  failed,
  type Failed,
} from './failures.js';
import { PAYLOAD_MARKERS, type AuthType, type SigV4Request } from './types.js';

export type PayloadHashResult =
  | {
      readonly ok: true;
      /** The last line of the canonical request. */
      readonly payloadHash: string;
      /** The digest of the body the caller gave, when it gave one. */
      readonly computed?: string;
    }
  | Failed;

const HEX_SHA256 = /^[0-9a-fA-F]{64}$/;

/**
 * The payload hash that goes into the canonical request.
 *
 * - `x-amz-content-sha256` when the request declares one: a hex digest or one of the markers
 *   `UNSIGNED-PAYLOAD`, `STREAMING-*` (S3 API Reference, "Authenticating Requests (AWS Signature Version
 *   4)"). Every SigV4 signer uses the declared value when there is one (smithy `getPayloadHash`). A
 *   presigned URL declares it as the `X-Amz-Content-Sha256` query parameter (JS v3 presigner; the
 *   lower-case spelling of a hoisted header is accepted too).
 * - otherwise, for an S3 presigned URL, `UNSIGNED-PAYLOAD` ("you don't know the payload when you create
 *   the presigned URL": S3 API Reference, "Authenticating Requests: Using Query Parameters");
 * - otherwise the SHA-256 of the body, which the caller passes as `payloadHash` or `body`.
 *
 * Without any of them the request cannot be canonicalized: `MissingContentSha256` (S3 requires the header
 * on every header-signed request). `computed` is returned so that a declared digest can be compared with
 * the body once the signature holds.
 */
export function resolvePayloadHash(
  request: SigV4Request,
  params: readonly QueryParam[],
  authType: AuthType,
  service: string,
): PayloadHashResult {
  const computed = bodyHash(request);
  let declared: string | undefined;
  if (authType === 'REST-QUERY-STRING') {
    const values = [
      ...queryValues(params, 'X-Amz-Content-Sha256'),
      ...queryValues(params, 'x-amz-content-sha256'),
    ];
    if (values.length > 1) return invalid(values.join(','), authType);
    declared = values[0];
  }
  if (declared === undefined && !(authType === 'REST-QUERY-STRING' && service === 's3')) {
    const header = request.headers['x-amz-content-sha256'];
    if (header !== undefined && typeof header !== 'string') {
      if (header.length !== 1) return invalid(header.join(','), authType);
      declared = header[0];
    } else {
      declared = header;
    }
    // A field value excludes the white space around it (RFC 9110 §5.5); Node strips it already.
    declared = declared?.trim();
  }
  if (declared !== undefined) {
    if (!HEX_SHA256.test(declared) && !(PAYLOAD_MARKERS as readonly string[]).includes(declared)) {
      return invalid(declared, authType);
    }
    return { ok: true, payloadHash: declared, computed };
  }
  if (authType === 'REST-QUERY-STRING' && service === 's3') {
    return { ok: true, payloadHash: 'UNSIGNED-PAYLOAD', computed };
  }
  if (computed !== undefined) return { ok: true, payloadHash: computed, computed };
  return failed({ code: 'MissingContentSha256', message: MISSING_CONTENT_SHA256_MESSAGE, authType });
}

/** True for a declared value that is a digest (not a marker), i.e. one the body can be checked against. */
export function isHexDigest(payloadHash: string): boolean {
  return HEX_SHA256.test(payloadHash);
}

function bodyHash(request: SigV4Request): string | undefined {
  if (request.payloadHash !== undefined) return request.payloadHash.toLowerCase();
  if (request.body === undefined) return undefined;
  return hash('sha256', request.body, 'hex');
}

function invalid(value: string, authType: AuthType): Failed {
  return failed({ code: 'InvalidContentSha256', message: INVALID_CONTENT_SHA256_MESSAGE, value, authType });
}
