import { goJson } from './go-json.js';
import type { Issuer } from './issuer.js';
import type { Jwks } from './public-jwk.js';

/** kube's `OpenIDConfigPath` (`pkg/serviceaccount/openidmetadata.go`), relative to the issuer's path. */
export const OPENID_CONFIGURATION_PATH = '/.well-known/openid-configuration';
/** kube's `JWKSPath`. */
export const JWKS_PATH = '/openid/v1/jwks';

/** Response headers kube-apiserver sends (`pkg/routes/openidmetadata.go`; irsa-wire.md §1.6). */
export const OPENID_CONFIGURATION_CONTENT_TYPE = 'application/json';
export const JWKS_CONTENT_TYPE = 'application/jwk-set+json';
export const DISCOVERY_CACHE_CONTROL = 'public, max-age=3600';

/**
 * The discovery document kube-apiserver serves: exactly these five members, in this order (its
 * `openIDMetadata` struct; no `authorization_endpoint`, no `claims_supported`).
 */
export type OpenIdConfiguration = {
  readonly issuer: string;
  readonly jwks_uri: string;
  readonly response_types_supported: readonly ['id_token'];
  readonly subject_types_supported: readonly ['public'];
  readonly id_token_signing_alg_values_supported: readonly string[];
};

/** A ready HTTP response body with its headers, for the server to send as is. */
export interface MetadataResponse {
  readonly contentType: string;
  readonly cacheControl: string;
  readonly body: string;
}

/**
 * `response_types_supported` is `["id_token"]` ("Kubernetes only produces ID tokens"),
 * `subject_types_supported` is `["public"]`, and `id_token_signing_alg_values_supported` is the sorted
 * set of the published keys' algorithms (`getAlgs`, `sets.String.List()` sorts).
 */
export function openIdConfiguration(issuer: Issuer, jwks: Jwks): OpenIdConfiguration {
  const algs = [...new Set(jwks.keys.map((k) => k.alg))].sort();
  return {
    issuer: issuer.url,
    jwks_uri: issuer.jwksUri,
    response_types_supported: ['id_token'],
    subject_types_supported: ['public'],
    id_token_signing_alg_values_supported: algs,
  };
}

/** `GET <issuer path>/.well-known/openid-configuration`, byte for byte as kube-apiserver answers. */
export function openIdConfigurationResponse(issuer: Issuer, jwks: Jwks): MetadataResponse {
  return {
    contentType: OPENID_CONFIGURATION_CONTENT_TYPE,
    cacheControl: DISCOVERY_CACHE_CONTROL,
    body: goJson(openIdConfiguration(issuer, jwks), { sortKeys: false }),
  };
}

/** `GET <issuer path>/openid/v1/jwks`, byte for byte as kube-apiserver answers. */
export function jwksResponse(jwks: Jwks): MetadataResponse {
  return {
    contentType: JWKS_CONTENT_TYPE,
    cacheControl: DISCOVERY_CACHE_CONTROL,
    body: goJson(jwks, { sortKeys: false }),
  };
}
