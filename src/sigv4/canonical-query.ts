import { percentDecode, uriEncode, uriEncodeBytes } from './uri-encode.js';

/** One `key=value` of a query string, decoded and re-encoded the SigV4 way. */
export interface QueryParam {
  /** Percent-decoded, read as UTF-8 (for looking parameters up). */
  readonly key: string;
  readonly value: string;
  /** `UriEncode()` of the decoded bytes: what goes into the canonical query string. */
  readonly encodedKey: string;
  readonly encodedValue: string;
}

/**
 * Splits a raw query string into its parameters, in order, repeats kept. A parameter without `=` has an
 * empty value (`?uploads` signs as `uploads=`; botocore `_canonical_query_string_url`); empty pieces
 * (`a=1&&b=2`) are not parameters.
 *
 * Each key and value is decoded and encoded again, so that the canonical form does not depend on how the
 * client spelled the escapes (`%7E` or `~`, `%2f` or `%2F`): the signers sign the decoded values encoded
 * with `UriEncode()` (smithy `getCanonicalQuery`), whatever their URL encoder put on the wire.
 */
export function parseQuery(raw: string): QueryParam[] {
  const params: QueryParam[] = [];
  if (raw === '') return params;
  for (const piece of raw.split('&')) {
    if (piece === '') continue;
    const eq = piece.indexOf('=');
    const rawKey = eq < 0 ? piece : piece.slice(0, eq);
    const rawValue = eq < 0 ? '' : piece.slice(eq + 1);
    const [key, encodedKey] = decodeComponent(rawKey);
    const [value, encodedValue] = decodeComponent(rawValue);
    params.push({ key, value, encodedKey, encodedValue });
  }
  return params;
}

/**
 * The canonical query string: parameters sorted by encoded key, then by encoded value, joined as
 * `key=value` with `&` (IAM User Guide, "Create a signed AWS API request", CanonicalQueryString: "Sort the
 * parameter names by character code point in ascending order. Parameters with duplicate names should be
 * sorted by value."). Keys in `exclude` (decoded, exact) are left out: `X-Amz-Signature` of a presigned URL.
 */
export function canonicalQuery(params: readonly QueryParam[], exclude?: ReadonlySet<string>): string {
  const kept = exclude === undefined ? params.slice() : params.filter((p) => !exclude.has(p.key));
  // INVARIANT: encoded keys and values are ASCII, so `<` orders them by byte, i.e. by code point.
  kept.sort((a, b) =>
    a.encodedKey < b.encodedKey
      ? -1
      : a.encodedKey > b.encodedKey
        ? 1
        : a.encodedValue < b.encodedValue
          ? -1
          : a.encodedValue > b.encodedValue
            ? 1
            : 0,
  );
  return kept.map((p) => `${p.encodedKey}=${p.encodedValue}`).join('&');
}

/** The values of a parameter, in order (a repeated auth parameter is an error for the caller to report). */
export function queryValues(params: readonly QueryParam[], key: string): string[] {
  const values: string[] = [];
  for (const p of params) if (p.key === key) values.push(p.value);
  return values;
}

function decodeComponent(raw: string): [decoded: string, encoded: string] {
  if (!raw.includes('%')) return [raw, uriEncode(raw, false)];
  const bytes = percentDecode(raw);
  return [Buffer.from(bytes).toString('utf8'), uriEncodeBytes(bytes, false)];
}
