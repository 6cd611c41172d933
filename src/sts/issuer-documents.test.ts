import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { test } from 'node:test';
import { discoveryUrl, MAX_JWKS_KEYS, readDiscovery, readJwks } from './issuer-documents.js';

const ISSUER = 'https://oidc.example.test/id/ABC';

test('the discovery URL is the issuer, a terminating slash removed, + /.well-known/openid-configuration', () => {
  for (const iss of [ISSUER, `${ISSUER}/`]) {
    const url = discoveryUrl(iss, false);
    assert.ok(url.ok);
    assert.equal(url.url.href, `${ISSUER}/.well-known/openid-configuration`);
  }
  assert.deepEqual(discoveryUrl(`${ISSUER}?x=1`, false), {
    ok: false,
    message: 'the issuer URL has a query or a fragment, so it has no discovery document',
  });
  assert.equal(discoveryUrl('http://oidc.example.test', false).ok, false);
  assert.equal(discoveryUrl('http://127.0.0.1:8080', false).ok, true);
});

test('a discovery document must name the issuer exactly and give a fetchable jwks_uri', () => {
  const doc = (v: unknown) => JSON.stringify(v);
  const ok = readDiscovery(doc({ issuer: ISSUER, jwks_uri: `${ISSUER}/keys` }), ISSUER, false);
  assert.ok(ok.ok);
  assert.equal(ok.value.href, `${ISSUER}/keys`);
  assert.deepEqual(readDiscovery(doc({ jwks_uri: `${ISSUER}/keys` }), ISSUER, false), {
    ok: false,
    message: 'the discovery document has no `issuer` string',
  });
  assert.deepEqual(readDiscovery(doc({ issuer: ISSUER }), ISSUER, false), {
    ok: false,
    message: 'the discovery document has no `jwks_uri` string',
  });
  assert.deepEqual(readDiscovery('[]', ISSUER, false), {
    ok: false,
    message: 'the discovery document is not a JSON object',
  });
  const twice = readDiscovery(
    `{"issuer":"${ISSUER}","issuer":"${ISSUER}","jwks_uri":"${ISSUER}/k"}`,
    ISSUER,
    false,
  );
  assert.equal(twice.ok, false);
  assert.match(twice.ok ? '' : twice.message, /^the discovery document is not JSON: /);
});

test('an https issuer cannot point its jwks_uri at plain http, not even loopback, unless insecure issuers are allowed', () => {
  const body = JSON.stringify({ issuer: ISSUER, jwks_uri: 'http://127.0.0.1:2379/keys' });
  assert.deepEqual(readDiscovery(body, ISSUER, false), {
    ok: false,
    message: '`jwks_uri` `http://127.0.0.1:2379/keys` is plain http, but the issuer is https',
  });
  assert.equal(readDiscovery(body, ISSUER, true).ok, true);
  // A loopback http issuer (a local test issuer) may keep its keys on loopback http.
  const local = 'http://127.0.0.1:9000';
  assert.equal(
    readDiscovery(JSON.stringify({ issuer: local, jwks_uri: `${local}/keys` }), local, false).ok,
    true,
  );
});

test('a JWKS yields its usable keys by kid; more keys than the bound is a failure', () => {
  const { publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-384' });
  const jwk = { kty: 'EC', kid: 'p384', alg: 'ES384', ...publicKey.export({ format: 'jwk' }) };
  const read = readJwks(JSON.stringify({ keys: [jwk, { kty: 'RSA', kid: 'weak', n: 'AQAB', e: 'AQAB' }] }));
  assert.ok(read.ok);
  assert.deepEqual([...read.value.keys()], ['p384']);
  assert.equal(read.value.get('p384')?.alg, 'ES384');
  const many = readJwks(JSON.stringify({ keys: Array.from({ length: MAX_JWKS_KEYS + 1 }, () => jwk) }));
  assert.deepEqual(many, {
    ok: false,
    message: `the JWKS has ${MAX_JWKS_KEYS + 1} keys, more than the ${MAX_JWKS_KEYS} read`,
  });
});
