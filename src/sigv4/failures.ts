/**
 * Why a request failed SigV4 authentication: a typed failure per cause, with the facts a caller needs to
 * produce the wire error of its protocol. This module speaks no wire dialect. Each `message` is AWS's own
 * wording from the SigV4 front end of the awsQuery services (IAM, STS) where AWS has one, and S3's
 * wording for causes only S3 reports (presigned expiry, unsigned headers, content SHA-256). The S3 layer
 * builds S3's messages from the facts; the table says which code each failure becomes. Confirmed against
 * AWS answers quoted in public issues: the IAM/STS codes IncompleteSignature, InvalidClientTokenId and
 * SignatureDoesNotMatch (for skew, region, service and date), and the S3 codes AuthorizationHeaderMalformed,
 * AuthorizationQueryParametersError (X-Amz-Expires), AccessDenied (expiry, unsigned headers) and
 * RequestTimeTooSkewed. The other rows are our best reading of AWS's behaviour, unconfirmed.
 *
 * | failure                  | IAM / STS (awsQuery)                          | S3                                                     |
 * |--------------------------|-----------------------------------------------|--------------------------------------------------------|
 * | MissingAuthentication    | MissingAuthenticationToken                    | (anonymous request)                                    |
 * | AmbiguousAuthentication  | InvalidParameterCombination (unconfirmed)     | InvalidArgument "Only one auth mechanism allowed; ..."  |
 * | UnsupportedAlgorithm     | IncompleteSignature (unconfirmed)             | header: InvalidArgument "Unsupported Authorization Type"; query: AuthorizationQueryParametersError |
 * | IncompleteSignature      | IncompleteSignature                           | AuthorizationHeaderMalformed / AuthorizationQueryParametersError |
 * | MalformedAuthorization   | IncompleteSignature                           | AuthorizationHeaderMalformed / AuthorizationQueryParametersError |
 * | MalformedCredential      | IncompleteSignature (terminator: SignatureDoesNotMatch) | AuthorizationHeaderMalformed / AuthorizationQueryParametersError |
 * | MissingDate              | IncompleteSignature                           | AccessDenied "AWS authentication requires a valid Date or x-amz-date header" |
 * | MalformedDate            | IncompleteSignature                           | header: AccessDenied (as above); query: AuthorizationQueryParametersError |
 * | CredentialDateMismatch   | SignatureDoesNotMatch                         | AuthorizationHeaderMalformed / AuthorizationQueryParametersError |
 * | WrongRegion              | SignatureDoesNotMatch                         | AuthorizationHeaderMalformed (+ `Region`) / AuthorizationQueryParametersError |
 * | WrongService             | SignatureDoesNotMatch                         | AuthorizationHeaderMalformed / AuthorizationQueryParametersError |
 * | InvalidExpires           | (presigned URLs are S3's)                     | AuthorizationQueryParametersError                      |
 * | HeadersNotSigned         | —                                             | AccessDenied (+ `HeadersNotSigned`)                    |
 * | MissingContentSha256     | —                                             | InvalidRequest                                         |
 * | InvalidContentSha256     | —                                             | InvalidArgument                                        |
 * | UnknownAccessKey         | InvalidClientTokenId                          | InvalidAccessKeyId (+ `AWSAccessKeyId`)                |
 * | RequestTimeTooSkewed     | SignatureDoesNotMatch ("Signature expired")   | RequestTimeTooSkewed (+ `RequestTime`, `ServerTime`, `MaxAllowedSkewMilliseconds`) |
 * | RequestExpired           | —                                             | AccessDenied "Request has expired" (+ `X-Amz-Expires`, `Expires`, `ServerTime`) |
 * | RequestNotYetValid       | —                                             | AccessDenied "Request is not yet valid" (+ `X-Amz-Date`, `Expires`, `ServerTime`) |
 * | SignatureDoesNotMatch    | SignatureDoesNotMatch                         | SignatureDoesNotMatch (+ `CanonicalRequest`, `StringToSign`, ...) |
 * | ContentSha256Mismatch    | —                                             | XAmzContentSHA256Mismatch                              |
 *
 * INVARIANT: no message holds a secret key or a session token, and no field does except the canonical
 * request of SignatureDoesNotMatch, which quotes the signed headers back to their sender. The Authorization
 * header and the signature the client sent are not secrets (AWS quotes both back).
 */
import { formatAmzDateTime } from './amz-date.js';
import type { AuthType } from './types.js';

interface Base<C extends string> {
  readonly code: C;
  readonly message: string;
  /** Known once the request has been seen to use the header or the query form. */
  readonly authType?: AuthType;
}

export type MissingAuthentication = Base<'MissingAuthentication'>;
export type AmbiguousAuthentication = Base<'AmbiguousAuthentication'>;
export interface UnsupportedAlgorithm extends Base<'UnsupportedAlgorithm'> {
  readonly algorithm: string;
}
export interface IncompleteSignature extends Base<'IncompleteSignature'> {
  /** The parts that were missing: `Credential`, `SignedHeaders`, `Signature`, `X-Amz-Date`, ... */
  readonly missing: readonly string[];
}
export type MalformedAuthorization = Base<'MalformedAuthorization'>;
export interface MalformedCredential extends Base<'MalformedCredential'> {
  readonly credential: string;
  readonly reason: 'shape' | 'date' | 'terminator';
}
export type MissingDate = Base<'MissingDate'>;
export interface MalformedDate extends Base<'MalformedDate'> {
  readonly value: string;
}
export interface CredentialDateMismatch extends Base<'CredentialDateMismatch'> {
  readonly credentialDate: string;
  readonly dateTime: string;
}
export interface WrongRegion extends Base<'WrongRegion'> {
  readonly region: string;
  readonly expected: string;
}
export interface WrongService extends Base<'WrongService'> {
  readonly service: string;
  readonly expected: string;
}
export interface InvalidExpires extends Base<'InvalidExpires'> {
  readonly value: string;
}
export interface HeadersNotSigned extends Base<'HeadersNotSigned'> {
  readonly headers: readonly string[];
}
export type MissingContentSha256 = Base<'MissingContentSha256'>;
export interface InvalidContentSha256 extends Base<'InvalidContentSha256'> {
  readonly value: string;
}
export interface UnknownAccessKey extends Base<'UnknownAccessKey'> {
  readonly accessKeyId: string;
}
export interface RequestTimeTooSkewed extends Base<'RequestTimeTooSkewed'> {
  readonly requestTime: number;
  readonly serverTime: number;
  readonly maxSkewMs: number;
}
export interface RequestExpired extends Base<'RequestExpired'> {
  readonly requestTime: number;
  readonly expiresSeconds: number;
  /** `requestTime + expiresSeconds`, in milliseconds. */
  readonly expiresAt: number;
  readonly serverTime: number;
}
export interface RequestNotYetValid extends Base<'RequestNotYetValid'> {
  readonly requestTime: number;
  readonly expiresAt: number;
  readonly serverTime: number;
}
export interface SignatureDoesNotMatch extends Base<'SignatureDoesNotMatch'> {
  readonly accessKeyId: string;
  readonly signatureProvided: string;
  /**
   * What the server computed; S3 returns both in its error so that a client can compare. The canonical
   * request holds the signed header values, a signed `x-amz-security-token` among them: it is for the
   * client that sent them, never for a log or an audit event.
   */
  readonly canonicalRequest: string;
  readonly stringToSign: string;
}
export interface ContentSha256Mismatch extends Base<'ContentSha256Mismatch'> {
  /** The `x-amz-content-sha256` the client sent. */
  readonly provided: string;
  /** The digest of the body the caller gave. */
  readonly computed: string;
}

export type SigV4Failure =
  | MissingAuthentication
  | AmbiguousAuthentication
  | UnsupportedAlgorithm
  | IncompleteSignature
  | MalformedAuthorization
  | MalformedCredential
  | MissingDate
  | MalformedDate
  | CredentialDateMismatch
  | WrongRegion
  | WrongService
  | InvalidExpires
  | HeadersNotSigned
  | MissingContentSha256
  | InvalidContentSha256
  | UnknownAccessKey
  | RequestTimeTooSkewed
  | RequestExpired
  | RequestNotYetValid
  | SignatureDoesNotMatch
  | ContentSha256Mismatch;

export type SigV4FailureCode = SigV4Failure['code'];

/** A failed step: the shape every fallible function of this module returns. */
export interface Failed<F extends SigV4Failure = SigV4Failure> {
  readonly ok: false;
  readonly failure: F;
}

export function failed<F extends SigV4Failure>(failure: F): Failed<F> {
  return { ok: false, failure };
}

// --- messages -----------------------------------------------------------------------------------------
// Wording confirmed against AWS answers quoted in public issues is marked (confirmed) with where; the
// rest is AWS's format as we know it and is marked (unconfirmed).

/** (confirmed: STS/IAM answer "Request is missing Authentication Token" for an unsigned signed-only call) */
export const MISSING_AUTHENTICATION_MESSAGE = 'Request is missing Authentication Token';

/** S3's wording (unconfirmed; S3 answers InvalidArgument with it). */
export const AMBIGUOUS_AUTHENTICATION_MESSAGE =
  'Only one auth mechanism allowed; only the X-Amz-Algorithm query parameter, Signature query string parameter or the Authorization header should be specified';

/**
 * IncompleteSignature for the header form (confirmed: API Gateway / IAM answers quoted in
 * aws/chalice#828 and bKash-developer/webhook-endpoint-php#3): one sentence per missing part, then
 * `Authorization=<the header>`.
 */
export function incompleteHeaderMessage(missing: readonly string[], authorization: string): string {
  const parts = missing.map((name) =>
    name === 'Date'
      ? "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header."
      : `Authorization header requires '${name}' parameter.`,
  );
  return `${parts.join(' ')} Authorization=${authorization}`;
}

/** S3's AuthorizationQueryParametersError wording (unconfirmed). */
export const INCOMPLETE_QUERY_MESSAGE =
  'Query-string authentication version 4 requires the X-Amz-Algorithm, X-Amz-Credential, X-Amz-Signature, X-Amz-Date, X-Amz-SignedHeaders, and X-Amz-Expires parameters.';

/**
 * (confirmed: "'…' not a valid key=value pair (missing equal-sign) in Authorization header: '…'." quoted
 * in iann0036/cloud9-sync#10 and AstronomyAPI/Samples#20)
 */
export function missingEqualSignMessage(pair: string, authorization: string): string {
  return `'${pair}' not a valid key=value pair (missing equal-sign) in Authorization header: '${authorization}'.`;
}

/** S3's wording for a credential that is not five `/`-separated parts (confirmed: aws/aws-sdk-php#780). */
export const MALFORMED_CREDENTIAL_MESSAGE =
  'The authorization header is malformed; the Credential is mal-formed; expecting "<YOUR-AKID>/YYYYMMDD/REGION/SERVICE/aws4_request".';

/** (unconfirmed: the STS/IAM wording for a scope that does not end in `aws4_request`) */
export function wrongTerminatorMessage(terminator: string): string {
  return `Credential should be scoped with a valid terminator: 'aws4_request', not '${terminator}'. `;
}

/**
 * (confirmed: IAM User Guide, "Troubleshoot signed requests", Date: "Date in Credential scope does not
 * match YYYYMMDD from ISO-8601 version of date from HTTP"; the `: 'a' != 'b', from 'c'.` tail is the
 * format STS answers with, unconfirmed)
 */
export function credentialDateMismatchMessage(credentialDate: string, dateTime: string): string {
  return `Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '${credentialDate}' != '${dateTime.slice(0, 8)}', from '${dateTime}'.`;
}

/** (confirmed: "Credential should be scoped to a valid region, not 'us-east-2'. " — JuliaCloud/AWS.jl#565, cognitect-labs/aws-api#27) */
export function wrongRegionMessage(region: string): string {
  return `Credential should be scoped to a valid region, not '${region}'. `;
}

/** (confirmed: "Credential should be scoped to correct service: 'batch'. " — cllunsford/aws-signing-proxy#25) */
export function wrongServiceMessage(expected: string): string {
  return `Credential should be scoped to correct service: '${expected}'. `;
}

/**
 * Why `X-Amz-Expires` is refused. "X-Amz-Expires must be less than a week (in seconds); that is, the given
 * X-Amz-Expires must be less than 604800 seconds" is S3's (confirmed: bryanjos/aws_auth#31,
 * aws/aws-cli#5464); "must be non-negative" is what S3 answers a negative value (confirmed: an AWS test
 * against real S3 presigns with -100 and expects it; noobaa/noobaa-core#8873 matched AWS's
 * AuthorizationQueryParametersError, 400 in S3's error-code list), and 0 is no error: the URL has expired
 * at once ("Request has expired", the same AWS test); "should be a number" is S3's as we know it
 * (unconfirmed: minio and others use it).
 */
export function invalidExpiresMessage(value: string): string {
  if (/^-\d+$/.test(value)) return 'X-Amz-Expires must be non-negative';
  if (!/^\d+$/.test(value)) return 'X-Amz-Expires should be a number';
  return 'X-Amz-Expires must be less than a week (in seconds); that is, the given X-Amz-Expires must be less than 604800 seconds';
}

/** (unconfirmed: S3's AccessDenied message for a missing or unparseable date) */
export const MISSING_DATE_MESSAGE = 'AWS authentication requires a valid Date or x-amz-date header';

/** (unconfirmed: S3's AuthorizationQueryParametersError for a bad X-Amz-Date) */
export const MALFORMED_QUERY_DATE_MESSAGE =
  "X-Amz-Date must be in the ISO8601 Long Format \"yyyyMMdd'T'HHmmss'Z'\"";

/** (confirmed: minio/minio#16893, badslug/Paw-AWSSignature4DynamicValue#4 quote S3's AccessDenied) */
export const HEADERS_NOT_SIGNED_MESSAGE = 'There were headers present in the request which were not signed';

/** (unconfirmed: S3's InvalidRequest message) */
export const MISSING_CONTENT_SHA256_MESSAGE =
  'Missing required header for this request: x-amz-content-sha256';

/** (unconfirmed: S3's InvalidArgument message; S3 also lists the SigV4a streaming markers) */
export const INVALID_CONTENT_SHA256_MESSAGE =
  'x-amz-content-sha256 must be UNSIGNED-PAYLOAD, STREAMING-UNSIGNED-PAYLOAD-TRAILER, STREAMING-AWS4-HMAC-SHA256-PAYLOAD, STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER or a valid sha256 value.';

/** (confirmed: STS/IAM InvalidClientTokenId; badslug/Paw-AWSSignature4DynamicValue#5) */
export const UNKNOWN_ACCESS_KEY_MESSAGE = 'The security token included in the request is invalid.';

/**
 * (confirmed: "Signature expired: 20220127T001427Z is now earlier than 20220127T014428Z (20220127T015928Z
 * - 15 min.)" — aws/aws-cli#6676, aws/aws-sdk-js#265; the "not yet current" twin is documented in the IAM
 * User Guide, "Troubleshoot signed requests"; its parenthesis is unconfirmed)
 */
export function skewMessage(
  dateTime: string,
  requestTime: number,
  serverTime: number,
  maxSkewMs: number,
): string {
  const minutes = `${Math.round(maxSkewMs / 60_000)} min.`;
  const server = formatAmzDateTime(serverTime);
  if (requestTime < serverTime) {
    const bound = formatAmzDateTime(serverTime - maxSkewMs);
    return `Signature expired: ${dateTime} is now earlier than ${bound} (${server} - ${minutes})`;
  }
  const bound = formatAmzDateTime(serverTime + maxSkewMs);
  return `Signature not yet current: ${dateTime} is still later than ${bound} (${server} + ${minutes})`;
}

/** (confirmed: aws/aws-sdk-js#3493, aws/aws-sdk-php#1333) */
export const REQUEST_EXPIRED_MESSAGE = 'Request has expired';

/** (confirmed: dmjio/s3-signer#16) */
export const REQUEST_NOT_YET_VALID_MESSAGE = 'Request is not yet valid';

/**
 * The awsQuery services' wording (confirmed: IAM User Guide, "Troubleshoot signed requests"; the full
 * sentence is what STS answers). S3 says "... Check your key and signing method." instead.
 */
export const SIGNATURE_DOES_NOT_MATCH_MESSAGE =
  'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.';

/** S3's XAmzContentSHA256Mismatch wording (unconfirmed). */
export const CONTENT_SHA256_MISMATCH_MESSAGE =
  "The provided 'x-amz-content-sha256' header does not match what was computed.";
