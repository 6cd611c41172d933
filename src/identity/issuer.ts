import { JWKS_PATH, OPENID_CONFIGURATION_PATH } from './discovery.js';

/**
 * A service-account issuer URL that has been checked, with the URLs and paths derived from it. The `iss`
 * of every token is `url` exactly as configured (STS compares it byte for byte with the OIDC provider).
 */
export interface Issuer {
  readonly url: string;
  /** Where the discovery document is served: the issuer's path + `/.well-known/openid-configuration`. */
  readonly discoveryPath: string;
  readonly discoveryUrl: string;
  /** Where the JWKS is served: the issuer's path + `/openid/v1/jwks` (kube's `JWKSPath`). */
  readonly jwksPath: string;
  /** The `jwks_uri` of the discovery document. */
  readonly jwksUri: string;
}

export type IssuerFailureCode =
  'invalidUrl' | 'insecureScheme' | 'hasQuery' | 'hasFragment' | 'hasCredentials';

export type ParseIssuerResult =
  | { readonly ok: true; readonly issuer: Issuer }
  | { readonly ok: false; readonly code: IssuerFailureCode; readonly message: string };

export interface ParseIssuerOptions {
  /** kube's `--service-account-jwks-uri`: serve `jwks_uri` elsewhere. Its path becomes `jwksPath`. */
  readonly jwksUri?: string;
  /**
   * Accept `http:` for any host. Without it `http:` is accepted for loopback hosts only (DESIGN.md,
   * "Security stance"); kube-apiserver itself requires https always.
   */
  readonly allowHttp?: boolean;
}

/**
 * Checks an issuer URL as kube-apiserver does before it serves discovery (`NewOpenIDMetadataProvider`
 * in `pkg/serviceaccount/openidmetadata.go`, after OpenID Connect Discovery 1.0 §3: "URL using the https
 * scheme with no query or fragment components"), with kube's messages, and derives where discovery and
 * the JWKS live. OIDC Discovery §4: a relying party fetches `<issuer>/.well-known/openid-configuration`,
 * the issuer's path included, after removing a terminating `/`; so both documents are served under the
 * issuer's path (kube serves them at the root because its issuer is usually a bare host).
 */
export function parseIssuer(issuer: string, options: ParseIssuerOptions = {}): ParseIssuerResult {
  const iss = checkUrl(issuer, 'issuer URL', options);
  if (!iss.ok) return iss;
  if (iss.url.search !== '' || issuer.includes('?')) {
    return fail('hasQuery', `issuer URL may not include a query, got: ${issuer}`);
  }
  if (iss.url.hash !== '' || issuer.includes('#')) {
    return fail('hasFragment', `issuer URL may not include a fragment, got: ${issuer}`);
  }
  const base = iss.url.pathname.replace(/\/$/, '');
  const origin = iss.url.origin;
  let jwksUri = `${origin}${base}${JWKS_PATH}`;
  let jwksPath = `${base}${JWKS_PATH}`;
  if (options.jwksUri !== undefined) {
    const jwks = checkUrl(options.jwksUri, 'jwksURI', options);
    if (!jwks.ok) return jwks;
    jwksUri = options.jwksUri;
    jwksPath = jwks.url.pathname;
  }
  return {
    ok: true,
    issuer: {
      url: issuer,
      discoveryPath: `${base}${OPENID_CONFIGURATION_PATH}`,
      discoveryUrl: `${origin}${base}${OPENID_CONFIGURATION_PATH}`,
      jwksPath,
      jwksUri,
    },
  };
}

type CheckedUrl =
  | { readonly ok: true; readonly url: URL }
  | { readonly ok: false; readonly code: IssuerFailureCode; readonly message: string };

function checkUrl(text: string, what: string, options: ParseIssuerOptions): CheckedUrl {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return fail('invalidUrl', `${what} is not an absolute URL, got: ${text}`);
  }
  const insecureOk = url.protocol === 'http:' && (options.allowHttp === true || isLoopback(url.hostname));
  if (url.protocol !== 'https:' && !insecureOk) {
    return fail(
      'insecureScheme',
      what === 'issuer URL'
        ? `issuer URL must use https scheme, got: ${text}`
        : `jwksURI requires https scheme, parsed as: ${text}`,
    );
  }
  if (url.username !== '' || url.password !== '') {
    return fail('hasCredentials', `${what} may not include a user name or password`);
  }
  return { ok: true, url };
}

function isLoopback(hostname: string): boolean {
  return hostname === 'localhost' || hostname === '[::1]' || /^127(?:\.\d{1,3}){3}$/.test(hostname);
}

function fail(
  code: IssuerFailureCode,
  message: string,
): { ok: false; code: IssuerFailureCode; message: string } {
  return { ok: false, code, message };
}
