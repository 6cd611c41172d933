import assert from 'node:assert/strict';
import { createPublicKey } from 'node:crypto';
import { test } from 'node:test';
import {
  DISCOVERY_CACHE_CONTROL,
  JWKS_CONTENT_TYPE,
  OPENID_CONFIGURATION_CONTENT_TYPE,
  jwksResponse,
  openIdConfiguration,
  openIdConfigurationResponse,
} from './discovery.js';
import { parseIssuer, type Issuer } from './issuer.js';
import { jwksOf, publicJwk, type PublishableKey } from './public-jwk.js';
import {
  TEST_EC_KEY_ID,
  TEST_EC_PUBLIC_KEY,
  TEST_RSA_KEY_ID,
  TEST_RSA_PUBLIC_KEY,
} from './testdata/test-keys.js';

const rsa: PublishableKey = {
  kid: TEST_RSA_KEY_ID,
  alg: 'RS256',
  publicKey: createPublicKey(TEST_RSA_PUBLIC_KEY),
};
const ec: PublishableKey = {
  kid: TEST_EC_KEY_ID,
  alg: 'ES256',
  publicKey: createPublicKey(TEST_EC_PUBLIC_KEY),
};

// The key numbers, read from the PEMs by node:crypto's JWK export rather than by the code under test.
const { n, e } = createPublicKey(TEST_RSA_PUBLIC_KEY).export({ format: 'jwk' });
const { x, y } = createPublicKey(TEST_EC_PUBLIC_KEY).export({ format: 'jwk' });

/**
 * What kube-apiserver serves for these two keys under issuer `https://issuer.example.com`, written out by
 * hand from irsa-wire.md §1.6: the discovery document's five members in its `openIDMetadata` order, and
 * each JWK with go-jose's member order (use, kty, kid, crv, alg, x, y / n, e), keys RSA then EC.
 */
const EXPECTED_ISSUER = 'https://issuer.example.com';
const EXPECTED_DISCOVERY_JSON =
  '{"issuer":"https://issuer.example.com","jwks_uri":"https://issuer.example.com/openid/v1/jwks",' +
  '"response_types_supported":["id_token"],"subject_types_supported":["public"],' +
  '"id_token_signing_alg_values_supported":["ES256","RS256"]}';
const EXPECTED_JWKS_JSON =
  `{"keys":[{"use":"sig","kty":"RSA","kid":"${TEST_RSA_KEY_ID}","alg":"RS256",` +
  `"n":"${String(n)}","e":"${String(e)}"},` +
  `{"use":"sig","kty":"EC","kid":"${TEST_EC_KEY_ID}","crv":"P-256","alg":"ES256",` +
  `"x":"${String(x)}","y":"${String(y)}"}]}`;

function issuer(url: string): Issuer {
  const r = parseIssuer(url);
  assert.ok(r.ok, r.ok ? '' : r.message);
  return r.issuer;
}

test('the discovery document and JWKS are byte for byte what kube-apiserver serves for the same keys', () => {
  assert.equal(e, 'AQAB');
  assert.match(
    `${String(n)}.${String(x)}.${String(y)}`,
    /^[A-Za-z0-9_-]{342}\.[A-Za-z0-9_-]{43}\.[A-Za-z0-9_-]{43}$/,
  );
  const jwks = jwksOf([rsa, ec]);
  const config = openIdConfigurationResponse(issuer(EXPECTED_ISSUER), jwks);
  assert.equal(config.body, EXPECTED_DISCOVERY_JSON);
  assert.equal(config.contentType, 'application/json');
  assert.equal(config.cacheControl, 'public, max-age=3600');
  const keys = jwksResponse(jwks);
  assert.equal(keys.body, EXPECTED_JWKS_JSON);
  assert.equal(keys.contentType, 'application/jwk-set+json');
  assert.equal(keys.cacheControl, 'public, max-age=3600');
  assert.equal(JSON.stringify(jwks), EXPECTED_JWKS_JSON, "property order is go-jose's member order");
  assert.deepEqual(
    [OPENID_CONFIGURATION_CONTENT_TYPE, JWKS_CONTENT_TYPE, DISCOVERY_CACHE_CONTROL],
    ['application/json', 'application/jwk-set+json', 'public, max-age=3600'],
  );
});

test("id_token_signing_alg_values_supported is the sorted set of the published keys' algorithms", () => {
  const iss = issuer(EXPECTED_ISSUER);
  assert.deepEqual(openIdConfiguration(iss, jwksOf([ec, rsa, rsa])).id_token_signing_alg_values_supported, [
    'ES256',
    'RS256',
  ]);
  assert.deepEqual(openIdConfiguration(iss, jwksOf([rsa])).id_token_signing_alg_values_supported, ['RS256']);
});

test('an issuer with a path serves discovery and the JWKS under that path (OIDC Discovery §4)', () => {
  const iss = issuer('https://oidc.example.test/id/ABC');
  assert.deepEqual(iss, {
    url: 'https://oidc.example.test/id/ABC',
    discoveryPath: '/id/ABC/.well-known/openid-configuration',
    discoveryUrl: 'https://oidc.example.test/id/ABC/.well-known/openid-configuration',
    jwksPath: '/id/ABC/openid/v1/jwks',
    jwksUri: 'https://oidc.example.test/id/ABC/openid/v1/jwks',
  });
  assert.equal(
    openIdConfigurationResponse(iss, jwksOf([rsa])).body,
    '{"issuer":"https://oidc.example.test/id/ABC","jwks_uri":"https://oidc.example.test/id/ABC/openid/v1/jwks",' +
      '"response_types_supported":["id_token"],"subject_types_supported":["public"],' +
      '"id_token_signing_alg_values_supported":["RS256"]}',
  );
  const slash = issuer('https://oidc.example.test/id/ABC/');
  assert.equal(slash.url, 'https://oidc.example.test/id/ABC/', 'iss stays exactly as configured');
  assert.equal(
    slash.discoveryPath,
    '/id/ABC/.well-known/openid-configuration',
    'a terminating / is removed first',
  );
  assert.equal(issuer('https://issuer.example.com').discoveryPath, '/.well-known/openid-configuration');
});

test("strings in the documents are escaped as Go's encoding/json escapes them", () => {
  const body = openIdConfigurationResponse(issuer('https://x.example/a&b'), jwksOf([rsa])).body;
  assert.match(
    body,
    /^\{"issuer":"https:\/\/x.example\/a\\u0026b","jwks_uri":"https:\/\/x.example\/a\\u0026b\/openid\/v1\/jwks"/,
  );
});

test('EC JWKs carry crv, x and y padded to the full coordinate size', () => {
  const jwk = publicJwk(ec);
  assert.ok(jwk.kty === 'EC');
  assert.equal(Buffer.from(jwk.x, 'base64url').length, 32);
  assert.equal(Buffer.from(jwk.y, 'base64url').length, 32);
  assert.deepEqual(Object.keys(jwk), ['use', 'kty', 'kid', 'crv', 'alg', 'x', 'y']);
  assert.deepEqual(Object.keys(publicJwk(rsa)), ['use', 'kty', 'kid', 'alg', 'n', 'e']);
});
