import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseIssuer, type IssuerFailureCode, type ParseIssuerOptions } from './issuer.js';

function failure(url: string, options?: ParseIssuerOptions): { code: IssuerFailureCode; message: string } {
  const r = parseIssuer(url, options);
  assert.ok(!r.ok, `expected ${url} to be refused`);
  return { code: r.code, message: r.message };
}

test("the issuer must be https with no query and no fragment, with kube-apiserver's messages", () => {
  assert.deepEqual(failure('http://issuer.example.com'), {
    code: 'insecureScheme',
    message: 'issuer URL must use https scheme, got: http://issuer.example.com',
  });
  assert.deepEqual(failure('https://issuer.example.com?foo=bar'), {
    code: 'hasQuery',
    message: 'issuer URL may not include a query, got: https://issuer.example.com?foo=bar',
  });
  assert.deepEqual(failure('https://issuer.example.com#baz'), {
    code: 'hasFragment',
    message: 'issuer URL may not include a fragment, got: https://issuer.example.com#baz',
  });
  assert.equal(failure('https://issuer.example.com?').code, 'hasQuery');
  assert.deepEqual(failure('issuer.example.com'), {
    code: 'invalidUrl',
    message: 'issuer URL is not an absolute URL, got: issuer.example.com',
  });
  assert.equal(failure('issuer').code, 'invalidUrl');
  assert.equal(failure('https://user:pw@issuer.example.com').code, 'hasCredentials');
});

test('plain http is accepted for loopback issuers, or for any host when explicitly allowed', () => {
  for (const url of ['http://127.0.0.1:4566', 'http://localhost:4566/oidc', 'http://[::1]:4566']) {
    assert.ok(parseIssuer(url).ok, url);
  }
  assert.equal(failure('http://127.0.0.1.example.com').code, 'insecureScheme');
  assert.ok(parseIssuer('http://openirsa.internal', { allowHttp: true }).ok);
  assert.equal(failure('ftp://issuer.example.com', { allowHttp: true }).code, 'insecureScheme');
});

test('jwks_uri can be set apart from the issuer, and must be https too', () => {
  const r = parseIssuer('https://issuer.example.com', { jwksUri: 'https://keys.example.com/k.json' });
  assert.ok(r.ok);
  assert.equal(r.issuer.jwksUri, 'https://keys.example.com/k.json');
  assert.equal(r.issuer.jwksPath, '/k.json');
  assert.deepEqual(
    failure('https://issuer.example.com', { jwksUri: 'http://issuer.example.com/openid/v1/jwks' }),
    {
      code: 'insecureScheme',
      message: 'jwksURI requires https scheme, parsed as: http://issuer.example.com/openid/v1/jwks',
    },
  );
  assert.equal(
    failure('https://issuer.example.com', { jwksUri: 'issuer/openid/v1/jwks' }).code,
    'invalidUrl',
  );
});
