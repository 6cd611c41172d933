import { buildCanonicalRequest } from './canonical-request.js';
import { parseQuery } from './canonical-query.js';
import { pathRulesFor, type PathRules } from './canonical-uri.js';
import {
  CONTENT_SHA256_MISMATCH_MESSAGE,
  HEADERS_NOT_SIGNED_MESSAGE,
  REQUEST_EXPIRED_MESSAGE,
  REQUEST_NOT_YET_VALID_MESSAGE,
  SIGNATURE_DOES_NOT_MATCH_MESSAGE,
  UNKNOWN_ACCESS_KEY_MESSAGE,
  failed,
  skewMessage,
  wrongRegionMessage,
  wrongServiceMessage,
  type Failed,
} from './failures.js';
import { parseAuthorization } from './parse-authorization.js';
import { isHexDigest, resolvePayloadHash } from './payload-hash.js';
import { buildStringToSign, computeSignature, signaturesMatch } from './signature.js';
import { deriveSigningKey } from './signing-key.js';
import type { SigningKeyCache } from './signing-key-cache.js';
import { distinctHeaders, type AuthType, type ParsedAuthorization, type SigV4Request } from './types.js';

/** AWS allows 15 minutes between the request time and its own clock (S3: `MaxAllowedSkewMilliseconds` 900000). */
export const DEFAULT_MAX_SKEW_MS = 15 * 60 * 1000;

export interface VerifyOptions {
  /**
   * The secret access key of an access key id, or `undefined` when the key is unknown (or inactive).
   * Synchronous: the server resolves session tokens (it can call `parseAuthorization` first and pass the
   * result as `auth`). `auth` is given so that the lookup can check the session token against the key.
   */
  readonly secretFor: (accessKeyId: string, auth: ParsedAuthorization) => string | undefined;
  /** The server's clock, in milliseconds since the epoch: injected so that tests freeze time. */
  readonly now: number;
  /** Signing keys derived for earlier requests; without it every request derives its key. */
  readonly signingKeys?: SigningKeyCache;
  /** Largest accepted distance between the request time and `now` (default 15 minutes). */
  readonly maxSkewMs?: number;
  /**
   * The region this endpoint serves. When given, a credential scoped to another region fails with
   * `WrongRegion`; when not, the region the client signed with is accepted (docs/raw-requests.md key
   * fact 3: s3-tests signs STS with an empty region).
   */
  readonly expectedRegion?: string;
  /** The signing name this endpoint serves (`s3`, `sts`, `iam`); a mismatch fails with `WrongService`. */
  readonly expectedService?: string;
  /** Overrides the path rules of the credential's service (`pathRulesFor`); the official suite needs it. */
  readonly pathRules?: PathRules;
  /**
   * Leave `X-Amz-Security-Token` out of the canonical query of a presigned URL: for clients that append
   * the token after signing, as AWS IoT's presigned WebSocket URLs do (aws-c-auth `omit_session_token`).
   * S3 and STS clients sign it; default false.
   */
  readonly unsignedQueryToken?: boolean;
  /** The result of `parseAuthorization` for this request, when the server already has it. */
  readonly auth?: ParsedAuthorization;
}

/**
 * What a successful verification yields for a later chunk verifier (aws-chunked bodies signed with
 * `STREAMING-AWS4-HMAC-SHA256-PAYLOAD[-TRAILER]`): the first chunk's string to sign chains on the seed
 * signature, with the same date, scope and signing key (S3 API Reference, "Signature Calculations for the
 * Authorization Header: Transferring Payload in Multiple Chunks").
 */
export interface SeedSignature {
  /** The request's own signature: the "previous signature" of the first chunk. */
  readonly signature: string;
  readonly dateTime: string;
  readonly credentialScope: string;
  /** Secret material: not an enumerable property, so that logging or serializing the result leaves it out. */
  readonly signingKey: Buffer;
}

export interface VerifiedRequest {
  readonly ok: true;
  readonly accessKeyId: string;
  /** Present when the request carried one; the server has resolved it already (see `secretFor`). */
  readonly sessionToken?: string;
  /** Whether the session token, if any, is covered by the signature. */
  readonly sessionTokenSigned: boolean;
  readonly region: string;
  readonly service: string;
  readonly signedHeaders: readonly string[];
  /** The payload hash that was signed: a hex digest, `UNSIGNED-PAYLOAD`, or a `STREAMING-*` marker. */
  readonly payloadHash: string;
  readonly authType: AuthType;
  /** `now - requestTime` in milliseconds (S3's `s3:signatureAge`); negative for a clock ahead of ours. */
  readonly signatureAge: number;
  readonly requestTime: number;
  /** Presigned URLs: when the URL stops being valid, in milliseconds. */
  readonly expiresAt?: number;
  readonly seed: SeedSignature;
}

export type VerifyResult = VerifiedRequest | Failed;

const SIGNATURE_ONLY: ReadonlySet<string> = new Set(['X-Amz-Signature']);
const SIGNATURE_AND_TOKEN: ReadonlySet<string> = new Set(['X-Amz-Signature', 'X-Amz-Security-Token']);

/**
 * Verifies a SigV4-signed request as an AWS endpoint does, in the order: syntax (`parseAuthorization`),
 * expected region and service, payload hash, headers that must be signed, time, access key, signature,
 * and last the declared body digest against the body. Total: malformed input fails, never throws.
 *
 * Time: a header-signed request must be within `maxSkewMs` of `now`, either side; a presigned URL is
 * valid from its `X-Amz-Date` (less `maxSkewMs`, for clocks ahead of ours) to `X-Amz-Date + X-Amz-Expires`,
 * both ends included.
 */
export function verifyRequest(given: SigV4Request, options: VerifyOptions): VerifyResult {
  const request = { ...given, headers: distinctHeaders(given.headers) };
  const params = parseQuery(request.query);
  let auth = options.auth;
  if (auth === undefined) {
    const parsed = parseAuthorization(request.headers, params);
    if (!parsed.ok) return parsed;
    auth = parsed.auth;
  }
  const { authType, scope } = auth;

  if (options.expectedRegion !== undefined && scope.region !== options.expectedRegion) {
    return failed({
      code: 'WrongRegion',
      message: wrongRegionMessage(scope.region),
      region: scope.region,
      expected: options.expectedRegion,
      authType,
    });
  }
  if (options.expectedService !== undefined && scope.service !== options.expectedService) {
    return failed({
      code: 'WrongService',
      message: wrongServiceMessage(options.expectedService),
      service: scope.service,
      expected: options.expectedService,
      authType,
    });
  }

  const payload = resolvePayloadHash(request, params, authType, scope.service);
  if (!payload.ok) return payload;

  const notSigned = unsignedRequiredHeaders(request, auth);
  if (notSigned.length > 0) {
    return failed({
      code: 'HeadersNotSigned',
      message: HEADERS_NOT_SIGNED_MESSAGE,
      headers: notSigned,
      authType,
    });
  }

  const timing = checkTime(auth, options.now, options.maxSkewMs ?? DEFAULT_MAX_SKEW_MS);
  if (timing !== undefined) return timing;

  const secret = options.secretFor(auth.accessKeyId, auth);
  if (secret === undefined) {
    return failed({
      code: 'UnknownAccessKey',
      message: UNKNOWN_ACCESS_KEY_MESSAGE,
      accessKeyId: auth.accessKeyId,
      authType,
    });
  }

  const queryTokenUnsigned = authType === 'REST-QUERY-STRING' && options.unsignedQueryToken === true;
  const canonicalRequest = buildCanonicalRequest({
    method: request.method,
    path: request.path,
    query: params,
    headers: request.headers,
    signedHeaders: auth.signedHeaders,
    payloadHash: payload.payloadHash,
    pathRules: options.pathRules ?? pathRulesFor(scope.service),
    ...(authType === 'REST-QUERY-STRING'
      ? { excludeQuery: queryTokenUnsigned ? SIGNATURE_AND_TOKEN : SIGNATURE_ONLY }
      : {}),
  });
  const stringToSign = buildStringToSign(auth.dateTime, auth.credentialScope, canonicalRequest);
  const cache = options.signingKeys;
  const signingKey =
    cache?.get(secret, scope.date, scope.region, scope.service) ??
    deriveSigningKey(secret, scope.date, scope.region, scope.service);
  const signature =
    cache !== undefined
      ? cache.signature(signingKey, stringToSign)
      : computeSignature(signingKey, stringToSign);
  if (!signaturesMatch(auth.signature, signature)) {
    return failed({
      code: 'SignatureDoesNotMatch',
      message: SIGNATURE_DOES_NOT_MATCH_MESSAGE,
      accessKeyId: auth.accessKeyId,
      signatureProvided: auth.signature,
      canonicalRequest,
      stringToSign,
      authType,
    });
  }

  // The body is checked only once the request is known to come from the key holder: S3 reports
  // XAmzContentSHA256Mismatch for a signed request whose body differs from what it declared.
  // A payload hash that is the computed digest itself (no declared one) has nothing to be compared with.
  if (
    payload.computed !== undefined &&
    payload.payloadHash !== payload.computed &&
    isHexDigest(payload.payloadHash)
  ) {
    if (payload.payloadHash.toLowerCase() !== payload.computed) {
      return failed({
        code: 'ContentSha256Mismatch',
        message: CONTENT_SHA256_MISMATCH_MESSAGE,
        provided: payload.payloadHash,
        computed: payload.computed,
        authType,
      });
    }
  }

  const sessionTokenSigned =
    auth.sessionToken !== undefined &&
    (authType === 'REST-QUERY-STRING'
      ? !queryTokenUnsigned
      : auth.signedHeaders.includes('x-amz-security-token'));
  return {
    ok: true,
    accessKeyId: auth.accessKeyId,
    sessionToken: auth.sessionToken,
    sessionTokenSigned,
    region: scope.region,
    service: scope.service,
    signedHeaders: auth.signedHeaders,
    payloadHash: payload.payloadHash,
    authType,
    signatureAge: options.now - auth.requestTime,
    requestTime: auth.requestTime,
    expiresAt: auth.expiresSeconds === undefined ? undefined : auth.requestTime + auth.expiresSeconds * 1000,
    seed: new Seed(signature, auth.dateTime, auth.credentialScope, signingKey),
  };
}

/**
 * Headers that must be signed and are not. `host` always: every SigV4 signer signs it, and the IAM User
 * Guide ("Create a signed AWS API request", signed headers) requires it. For S3, also every `x-amz-*`
 * header the request carries (S3 API Reference, "Signature Calculations for the Authorization Header":
 * "Any x-amz-* headers that you plan to include in your request must also be added"; S3 answers
 * AccessDenied "There were headers present in the request which were not signed"), except
 * `x-amz-content-sha256`, which S3 tolerates unsigned (demarche-numerique/ds_proxy#164; unconfirmed).
 */
function unsignedRequiredHeaders(request: SigV4Request, auth: ParsedAuthorization): string[] {
  const signed = auth.signedHeaders;
  const missing: string[] = [];
  if (!signed.includes('host')) missing.push('host');
  if (auth.scope.service === 's3') {
    for (const name of Object.keys(request.headers)) {
      if (
        name.startsWith('x-amz-') &&
        name !== 'x-amz-content-sha256' &&
        request.headers[name] !== undefined &&
        !signed.includes(name)
      ) {
        missing.push(name);
      }
    }
  }
  return missing;
}

function checkTime(auth: ParsedAuthorization, now: number, maxSkewMs: number): Failed | undefined {
  const { requestTime, authType } = auth;
  if (auth.expiresSeconds === undefined) {
    if (Math.abs(now - requestTime) <= maxSkewMs) return undefined;
    return failed({
      code: 'RequestTimeTooSkewed',
      message: skewMessage(auth.dateTime, requestTime, now, maxSkewMs),
      requestTime,
      serverTime: now,
      maxSkewMs,
      authType,
    });
  }
  const expiresAt = requestTime + auth.expiresSeconds * 1000;
  if (requestTime - now > maxSkewMs) {
    return failed({
      code: 'RequestNotYetValid',
      message: REQUEST_NOT_YET_VALID_MESSAGE,
      requestTime,
      expiresAt,
      serverTime: now,
      authType,
    });
  }
  // X-Amz-Expires=0 has expired at once: S3 answers "Request has expired" even to an immediate fetch.
  if (now > expiresAt || auth.expiresSeconds === 0) {
    return failed({
      code: 'RequestExpired',
      message: REQUEST_EXPIRED_MESSAGE,
      requestTime,
      expiresSeconds: auth.expiresSeconds,
      expiresAt,
      serverTime: now,
      authType,
    });
  }
  return undefined;
}

/**
 * The signing key sits in a private field behind a getter, which lives on the prototype: not an own
 * enumerable property, so `JSON.stringify`, `Object.keys` and spreading leave it out.
 */
class Seed implements SeedSignature {
  readonly #signingKey: Buffer;
  constructor(
    readonly signature: string,
    readonly dateTime: string,
    readonly credentialScope: string,
    signingKey: Buffer,
  ) {
    this.#signingKey = signingKey;
  }
  get signingKey(): Buffer {
    return this.#signingKey;
  }
}
