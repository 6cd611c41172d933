import { uriEncode } from './uri-encode.js';

/**
 * How the path becomes the canonical URI. IAM User Guide, "Create a signed AWS API request": "Normalize
 * URI paths according to RFC 3986. Remove redundant and relative path components. Each path segment must
 * be URI-encoded twice (except for Amazon S3 which only gets URI-encoded once)." The server holds the path
 * as sent, which the client encoded once already, so "twice" is one more `UriEncode()` of the received
 * path (`%20` → `%2520`), and "once" is the received path itself.
 */
export interface PathRules {
  /** Remove `.` and `..` segments and empty segments (`//`). */
  readonly normalize: boolean;
  /** `UriEncode()` the received path once more (keeping `/`). */
  readonly encode: boolean;
}

/** S3: "you do not normalize URI paths for requests to Amazon S3" (suite note normalize-path.txt). */
const S3_RULES: PathRules = { normalize: false, encode: false };
const DEFAULT_RULES: PathRules = { normalize: true, encode: true };

/**
 * The path rules AWS applies for a signing service name: S3 uses the path as sent; every other service
 * normalizes and encodes (aws-c-auth `use_double_uri_encode` / `should_normalize_uri_path`, smithy
 * `uriEscapePath`, botocore `S3SigV4Auth._normalize_url_path`).
 */
export function pathRulesFor(service: string): PathRules {
  return service === 's3' ? S3_RULES : DEFAULT_RULES;
}

/** The canonical URI of a received path (`/` when it is empty). */
export function canonicalUri(path: string, rules: PathRules): string {
  const normalized = rules.normalize ? normalizePath(path) : path;
  const encoded = rules.encode ? uriEncode(normalized, true) : normalized;
  return encoded === '' ? '/' : encoded;
}

/**
 * RFC 3986 §5.2.4 remove_dot_segments, plus the removal of empty segments AWS requires: `//example//` →
 * `/example/`, `/example/..` → `/` (suite cases `get-slashes`, `get-relative`). A trailing slash survives
 * only when a segment is left, as in smithy's `getCanonicalPath` and botocore's `remove_dot_segments`.
 */
const DOT_SEGMENT = /(?:^|\/)\.\.?(?:\/|$)/;

function normalizePath(path: string): string {
  if (!path.includes('//') && !DOT_SEGMENT.test(path)) return path;
  const out: string[] = [];
  for (const segment of path.split('/')) {
    if (segment === '' || segment === '.') continue;
    if (segment === '..') out.pop();
    else out.push(segment);
  }
  const head = path.startsWith('/') ? '/' : '';
  const tail = out.length > 0 && path.endsWith('/') ? '/' : '';
  return `${head}${out.join('/')}${tail}`;
}
