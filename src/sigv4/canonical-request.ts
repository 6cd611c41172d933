import { canonicalHeaders } from './canonical-headers.js';
import { canonicalQuery, parseQuery, type QueryParam } from './canonical-query.js';
import { canonicalUri, type PathRules } from './canonical-uri.js';
import type { HttpHeaders } from './types.js';

export interface CanonicalRequestInput {
  readonly method: string;
  /** The path as received (see `SigV4Request.path`). */
  readonly path: string;
  /** The raw query string, or its parameters already parsed with `parseQuery`. */
  readonly query: string | readonly QueryParam[];
  readonly headers: HttpHeaders;
  /** Lower-case names, in the order the request listed them. */
  readonly signedHeaders: readonly string[];
  /** The last line: a hex digest or one of the `x-amz-content-sha256` markers. */
  readonly payloadHash: string;
  readonly pathRules: PathRules;
  /** Query keys left out of the canonical query string (`X-Amz-Signature` for a presigned URL). */
  readonly excludeQuery?: ReadonlySet<string>;
}

/**
 * The canonical request (IAM User Guide, "Create a signed AWS API request", step 1):
 *
 * ```
 * HTTPMethod \n CanonicalURI \n CanonicalQueryString \n CanonicalHeaders \n SignedHeaders \n HashedPayload
 * ```
 *
 * where CanonicalHeaders ends with its own newline, hence the blank line before SignedHeaders.
 */
export function buildCanonicalRequest(input: CanonicalRequestInput): string {
  const params = typeof input.query === 'string' ? parseQuery(input.query) : input.query;
  // Joined before canonicalHeaders looks the names up: a lookup turns a name V8 had not interned into a
  // "thin" string, and Array.prototype.join reads a thin string as two-byte text, which made the whole
  // canonical request two-byte (twice the memory to hash through, and the slow paths of Node's UTF-8
  // length and conversion). The same text either way; only its representation differs.
  const signedHeaders = input.signedHeaders.join(';');
  return [
    input.method,
    canonicalUri(input.path, input.pathRules),
    canonicalQuery(params, input.excludeQuery),
    canonicalHeaders(input.headers, input.signedHeaders),
    signedHeaders,
    input.payloadHash,
  ].join('\n');
}
