import { decodeBase64url } from './base64url.js';
import { parseStrictJson, type StrictJsonValue } from './strict-json.js';

/**
 * The longest token accepted: STS's own limit for `WebIdentityToken` (its `clientTokenType` shape,
 * length 4..20000, botocore `sts/2011-06-15/service-2.json`). A token STS would take on the wire is
 * never refused as oversized here, and anything longer is refused before any decoding work.
 */
export const MAX_TOKEN_LENGTH = 20_000;

export type DecodeJwtFailureCode =
  | 'tokenTooLarge'
  | 'malformedToken'
  | 'invalidBase64url'
  | 'invalidJson'
  | 'duplicateMember'
  | 'invalidHeader'
  | 'invalidClaims';

/** A JOSE header (RFC 7515 §4): `alg` is required; `kid` is a string when present. */
export type JwsHeader = {
  readonly alg: string;
  readonly kid?: string;
  readonly [name: string]: StrictJsonValue | undefined;
};

/** A JWT claims set (RFC 7519 §4): a JSON object, nothing checked yet. */
export type JwtClaims = { readonly [name: string]: StrictJsonValue };

export interface DecodedJwt {
  readonly header: JwsHeader;
  /** UNVERIFIED until `verifyJwt` says otherwise. */
  readonly claims: JwtClaims;
  /** `BASE64URL(header) "." BASE64URL(payload)`: the bytes the signature covers (RFC 7515 §5.2). */
  readonly signingInput: string;
  readonly signature: Buffer;
}

export type DecodeJwtResult =
  | ({ readonly ok: true } & DecodedJwt)
  | { readonly ok: false; readonly code: DecodeJwtFailureCode; readonly message: string };

const UTF8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/**
 * Takes a JWS compact serialization apart (RFC 7515 §7.1, §5.2 steps 1-7) without checking the
 * signature: length bound, three parts, strict base64url, UTF-8, strict JSON with no repeated member,
 * header and claims both objects. `verifyJwt` builds on it; STS may also call it first to read the
 * (unverified) `iss` and `kid` before it fetches that issuer's keys, as kube-apiserver reads `iss`
 * before choosing keys (`hasCorrectIssuer`). Failure messages never quote the token.
 */
export function decodeJwt(token: string, options: { readonly maxLength?: number } = {}): DecodeJwtResult {
  if (typeof token !== 'string') throw new TypeError('decodeJwt needs the token as a string');
  const maxLength = options.maxLength ?? MAX_TOKEN_LENGTH;
  if (token.length > maxLength) {
    return fail(
      'tokenTooLarge',
      `the token is ${token.length} characters long, more than the ${maxLength} allowed`,
    );
  }
  // The two dots found with indexOf, and the parts sliced, rather than `split`: one array and a string
  // fewer per token, and the signing input below a slice of the token rather than a joined copy.
  const firstDot = token.indexOf('.');
  const secondDot = firstDot < 0 ? -1 : token.indexOf('.', firstDot + 1);
  if (secondDot < 0 || token.indexOf('.', secondDot + 1) >= 0) {
    const count = token.split('.').length;
    const hint = count === 5 ? ' (5 parts is an encrypted JWE, which is not accepted)' : '';
    return fail(
      'malformedToken',
      `a signed JWT has 3 parts separated by dots (JWS compact serialization), found ${count}${hint}`,
    );
  }
  const headerPart = token.slice(0, firstDot);
  const payloadPart = token.slice(firstDot + 1, secondDot);
  const signaturePart = token.slice(secondDot + 1);
  const header = readJsonPart(headerPart, 'header');
  if (!header.ok) return header;
  if (!isObject(header.value)) return fail('invalidHeader', 'the header must be a JSON object');
  if (typeof header.value.alg !== 'string') return fail('invalidHeader', 'the header has no `alg` string');
  if (header.value.kid !== undefined && typeof header.value.kid !== 'string') {
    return fail('invalidHeader', 'the header `kid` must be a string');
  }
  const claims = readJsonPart(payloadPart, 'payload');
  if (!claims.ok) return claims;
  if (!isObject(claims.value)) return fail('invalidClaims', 'the claims (payload) must be a JSON object');
  const signature = decodeBase64url(signaturePart);
  if (signature === undefined) return fail('invalidBase64url', NOT_BASE64URL('signature'));
  return {
    ok: true,
    header: header.value as JwsHeader,
    claims: claims.value,
    signingInput: token.slice(0, secondDot),
    signature,
  };
}

type JsonPart =
  | { readonly ok: true; readonly value: StrictJsonValue }
  | { readonly ok: false; readonly code: DecodeJwtFailureCode; readonly message: string };

function readJsonPart(part: string, name: 'header' | 'payload'): JsonPart {
  const bytes = decodeBase64url(part);
  if (bytes === undefined) return fail('invalidBase64url', NOT_BASE64URL(name));
  let text: string;
  try {
    text = UTF8.decode(bytes);
  } catch {
    return fail('invalidJson', `the ${name} is not UTF-8 text`);
  }
  const read = parseStrictJson(text);
  if (read.ok) return read;
  return read.reason === 'duplicate'
    ? fail('duplicateMember', `the ${name} repeats a name: ${read.message} (RFC 7515 §4, RFC 7519 §4)`)
    : fail('invalidJson', `the ${name} is not JSON: ${read.message}`);
}

const NOT_BASE64URL = (part: string) =>
  `the ${part} is not base64url without padding (RFC 7515 §2: only A-Z, a-z, 0-9, \`-\` and \`_\`)`;

function isObject(v: StrictJsonValue): v is { readonly [name: string]: StrictJsonValue } {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function fail(
  code: DecodeJwtFailureCode,
  message: string,
): { ok: false; code: DecodeJwtFailureCode; message: string } {
  return { ok: false, code, message };
}
