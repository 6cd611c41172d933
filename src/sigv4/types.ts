/**
 * The shapes shared by the SigV4 verifier: the request as the server received it, the parsed
 * authentication parameters, and the markers AWS defines for `x-amz-content-sha256`.
 *
 * Reference: IAM User Guide, "Elements of an AWS API request signature" / "Create a signed AWS API
 * request" (https://docs.aws.amazon.com/IAM/latest/UserGuide/create-signed-request.html) and, for S3,
 * https://docs.aws.amazon.com/AmazonS3/latest/API/sig-v4-authenticating-requests.html.
 */

/** The only algorithm this module verifies. SigV4a (`AWS4-ECDSA-P256-SHA256`) is not supported. */
export const ALGORITHM = 'AWS4-HMAC-SHA256';

/** The last component of every SigV4 credential scope. */
export const SCOPE_TERMINATOR = 'aws4_request';

/**
 * The value S3 records as `s3:authType`: `REST-HEADER` for the `Authorization` header, `REST-QUERY-STRING`
 * for a presigned URL (S3 User Guide, "Amazon S3 condition key examples", s3:authType).
 */
export type AuthType = 'REST-HEADER' | 'REST-QUERY-STRING';

/**
 * Request headers as Node gives them: lower-case names. Pass `req.headersDistinct` (or an equivalent
 * built from `rawHeaders`) so that a repeated header arrives as an array: Node's `req.headers` joins most
 * repeats with `", "`, while SigV4 joins them with `","` (suite case `get-header-key-duplicate`).
 */
export type HttpHeaders = Readonly<Record<string, string | readonly string[] | undefined>>;

/**
 * The headers with every one-element list made a plain string, so `req.headersDistinct` (where every
 * value is a list) reads like `req.headers` for headers sent once; a repeated header stays a list.
 * Headers that are flat already are returned as they are, without a copy.
 */
export function distinctHeaders(headers: HttpHeaders): HttpHeaders {
  // Built by headersFromRaw: flat already, nothing to scan (SigV4 parsing and verification both ask).
  if (Object.getPrototypeOf(headers) === FLAT_PROTOTYPE) return headers;
  let out: Record<string, string | readonly string[] | undefined> | undefined;
  for (const name in headers) {
    const value = headers[name];
    if (value !== undefined && typeof value !== 'string' && value.length === 1) {
      out ??= { ...headers };
      out[name] = value[0];
    }
  }
  return out ?? headers;
}

/**
 * `distinctHeaders(req.headersDistinct)` built in one pass from `req.rawHeaders` (name, value, name,
 * value, ...): names lower-cased, a header sent once a string, a repeated one the list of its values in
 * the order sent. It skips the two objects Node builds lazily (`headersDistinct`, with a list per
 * header) and the copy that flattens it. Its prototype is FLAT_PROTOTYPE, an empty frozen object
 * without a prototype of its own: so no header name (`__proto__`, `constructor`) can reach
 * Object.prototype, and `distinctHeaders` knows the object by it.
 */
export function headersFromRaw(raw: readonly string[]): HttpHeaders {
  const out = Object.create(FLAT_PROTOTYPE) as Record<string, string | string[]>;
  for (let i = 0; i + 1 < raw.length; i += 2) {
    // INVARIANT: i + 1 < raw.length, so both entries exist.
    const name = (raw[i] as string).toLowerCase();
    const value = raw[i + 1] as string;
    const seen = out[name];
    if (seen === undefined) out[name] = value;
    else if (typeof seen === 'string') out[name] = [seen, value];
    else seen.push(value);
  }
  return out;
}

/**
 * The prototype of the objects headersFromRaw built; `distinctHeaders` returns them as they are. A mark
 * in the prototype instead of a WeakSet of the objects: adding each request's headers to a WeakSet,
 * and the collector clearing it, cost 1.5 µs a request (node /tmp/h2/ws.mjs). (Also, an object made by
 * `Object.create(null)` starts in V8's slow dictionary mode; one with a prototype does not.)
 */
const FLAT_PROTOTYPE: object = Object.freeze(Object.create(null) as object);

/** A request as received, before anything is decoded. */
export interface SigV4Request {
  /** The HTTP method as sent (`GET`, `PUT`, ...). */
  readonly method: string;
  /** The path as received, percent-encoding intact, without the query: `/bucket/a%20b`. */
  readonly path: string;
  /** The raw query string without the leading `?` (empty when there is none). */
  readonly query: string;
  readonly headers: HttpHeaders;
  /**
   * Lower-case hex SHA-256 of the body, when the caller has it. Needed when the request carries no
   * `x-amz-content-sha256` (boto3 signs STS/IAM without it); when it does carry a hex digest, a given hash
   * is compared with it.
   */
  readonly payloadHash?: string;
  /** The body itself, as an alternative to `payloadHash` for small bodies (awsQuery forms). */
  readonly body?: Uint8Array | string;
}

/** The credential scope: `DATE/REGION/SERVICE/aws4_request`. */
export interface CredentialScope {
  /** `YYYYMMDD`. */
  readonly date: string;
  /** May be empty: ceph/s3-tests signs STS and IAM with `region_name=''` (docs/raw-requests.md §2.10). */
  readonly region: string;
  readonly service: string;
}

/**
 * Everything the request says about its own authentication, checked for syntax only: nothing here has been
 * verified. Produced by `parseAuthorization`; `verifyRequest` accepts it back so that a server can resolve
 * the session token before verifying.
 */
export interface ParsedAuthorization {
  readonly authType: AuthType;
  readonly accessKeyId: string;
  readonly scope: CredentialScope;
  /** `DATE/REGION/SERVICE/aws4_request`, as it goes into the string to sign. */
  readonly credentialScope: string;
  /** Lower-case header names, in the order the request listed them. */
  readonly signedHeaders: readonly string[];
  /** The signature the client sent. */
  readonly signature: string;
  /** The request time in ISO 8601 basic format (`20150830T123600Z`), as it goes into the string to sign. */
  readonly dateTime: string;
  /** The same instant in milliseconds since the epoch. */
  readonly requestTime: number;
  /** Presigned URLs only: `X-Amz-Expires`, in seconds (0..604800; 0 has expired at once). */
  readonly expiresSeconds?: number;
  /** `X-Amz-Security-Token` (query) or `x-amz-security-token` (header), when present. Never logged. */
  readonly sessionToken?: string;
}

/**
 * The `x-amz-content-sha256` values that are not a digest (S3 API Reference, "Authenticating Requests
 * (AWS Signature Version 4)" → "Signature Calculations for the Authorization Header" and
 * "Signature calculations ... multiple chunks"). The ECDSA variants belong to SigV4a and are refused.
 */
export const PAYLOAD_MARKERS = [
  'UNSIGNED-PAYLOAD',
  'STREAMING-UNSIGNED-PAYLOAD-TRAILER',
  'STREAMING-AWS4-HMAC-SHA256-PAYLOAD',
  'STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER',
] as const;

export type PayloadMarker = (typeof PAYLOAD_MARKERS)[number];

/** SHA-256 of the empty string, the payload hash of a request without a body. */
export const EMPTY_SHA256 = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';
