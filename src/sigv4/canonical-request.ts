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
  return [
    input.method,
    canonicalUri(input.path, input.pathRules),
    canonicalQuery(params, input.excludeQuery),
    canonicalHeaders(input.headers, input.signedHeaders),
    input.signedHeaders.join(';'),
    input.payloadHash,
  ].join('\n');
}
