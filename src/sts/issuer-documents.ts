import { OPENID_CONFIGURATION_PATH } from '../identity/discovery.js';
import { importPublicJwk } from '../identity/import-jwk.js';
import { parseStrictJson, type StrictJsonValue } from '../identity/strict-json.js';
import type { VerificationKey } from '../identity/verify-jwt.js';
import { checkFetchUrl, type CheckedFetchUrl } from './issuer-fetch.js';

/** More keys than any issuer publishes (kube: one per signing key, a few during rotation). */
export const MAX_JWKS_KEYS = 100;

export type DocumentResult<T> =
  { readonly ok: true; readonly value: T } | { readonly ok: false; readonly message: string };

/**
 * Where a relying party fetches an issuer's discovery document (OpenID Connect Discovery 1.0 §4.1:
 * the issuer, any terminating `/` removed, + `/.well-known/openid-configuration`). An issuer with a query
 * or fragment has no such URL (§3: the issuer "has no query or fragment components").
 */
export function discoveryUrl(issuer: string, allowInsecure: boolean): CheckedFetchUrl {
  if (issuer.includes('?') || issuer.includes('#')) {
    return {
      ok: false,
      message: 'the issuer URL has a query or a fragment, so it has no discovery document',
    };
  }
  return checkFetchUrl(`${issuer.replace(/\/$/, '')}${OPENID_CONFIGURATION_PATH}`, allowInsecure);
}

/**
 * Reads a discovery document: a JSON object whose `issuer` is exactly the token's `iss` (OpenID Connect
 * Discovery 1.0 §4.3: "MUST be identical", so a document served for another issuer is never trusted),
 * with a `jwks_uri` that may be fetched under the same rules as the issuer, and is https if the issuer is.
 */
export function readDiscovery(body: string, issuer: string, allowInsecure: boolean): DocumentResult<URL> {
  const doc = readObject(body, 'discovery document');
  if (!doc.ok) return doc;
  const said = doc.value.issuer;
  if (said !== issuer) {
    return {
      ok: false,
      message:
        typeof said === 'string'
          ? `the discovery document names issuer \`${clip(said)}\`, not \`${clip(issuer)}\` (OpenID Connect Discovery 1.0 §4.3: they must be identical)`
          : 'the discovery document has no `issuer` string',
    };
  }
  const uri = doc.value.jwks_uri;
  if (typeof uri !== 'string')
    return { ok: false, message: 'the discovery document has no `jwks_uri` string' };
  const checked = checkFetchUrl(uri, allowInsecure);
  if (!checked.ok) return { ok: false, message: `\`jwks_uri\` ${checked.message}` };
  // No downgrade: an https issuer's keys come over https too (kube-apiserver requires an https
  // `jwks_uri`, irsa-wire.md §1.6), so its document cannot point openirsa at a plain-http loopback service.
  if (issuer.startsWith('https:') && checked.url.protocol !== 'https:' && !allowInsecure) {
    return { ok: false, message: `\`jwks_uri\` \`${clip(uri)}\` is plain http, but the issuer is https` };
  }
  return { ok: true, value: checked.url };
}

/**
 * Reads a JWKS (RFC 7517 §5) into verification keys by `kid`. Each key goes through `importPublicJwk`
 * (RSA or EC only, `use` sig or absent, `alg` one of the six STS accepts); a key it refuses, or one
 * without `kid`, is left out ("implementations SHOULD ignore JWKs within a JWK Set that use `kty`
 * values that are not understood by them", §5): tokens signed with it then find no key. A `kid` that
 * appears twice is left out entirely: which of the two signed a token cannot be known. A set that is not
 * an object with a `keys` array, or with more than `MAX_JWKS_KEYS` keys, is a failure.
 */
export function readJwks(body: string): DocumentResult<ReadonlyMap<string, VerificationKey>> {
  const doc = readObject(body, 'JWKS');
  if (!doc.ok) return doc;
  const keys = doc.value.keys;
  if (!Array.isArray(keys)) return { ok: false, message: 'the JWKS has no `keys` array' };
  if (keys.length > MAX_JWKS_KEYS) {
    return { ok: false, message: `the JWKS has ${keys.length} keys, more than the ${MAX_JWKS_KEYS} read` };
  }
  const found = new Map<string, VerificationKey>();
  const repeated = new Set<string>();
  for (const jwk of keys) {
    const imported = importPublicJwk(jwk);
    if (!imported.ok || imported.kid === undefined) continue;
    if (found.has(imported.kid)) repeated.add(imported.kid);
    found.set(imported.kid, {
      publicKey: imported.publicKey,
      ...(imported.alg !== undefined ? { alg: imported.alg } : {}),
    });
  }
  for (const kid of repeated) found.delete(kid);
  return { ok: true, value: found };
}

function readObject(
  body: string,
  what: string,
): DocumentResult<{ readonly [name: string]: StrictJsonValue }> {
  const read = parseStrictJson(body);
  if (!read.ok) return { ok: false, message: `the ${what} is not JSON: ${read.message}` };
  const v = read.value;
  if (v === null || typeof v !== 'object' || Array.isArray(v)) {
    return { ok: false, message: `the ${what} is not a JSON object` };
  }
  return { ok: true, value: v as { readonly [name: string]: StrictJsonValue } };
}

function clip(s: string): string {
  return s.length > 200 ? `${s.slice(0, 200)}…` : s;
}
