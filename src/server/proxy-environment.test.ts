import assert from 'node:assert/strict';
import { test } from 'node:test';
import { proxyEnvironment } from './proxy-environment.js';

test('the proxy environment points botocore at the proxy and the CA, and keeps loopback direct', () => {
  assert.deepEqual(proxyEnvironment({ proxyUrl: 'http://127.0.0.1:4567', caFile: '/d/ca/ca.pem' }), {
    HTTPS_PROXY: 'http://127.0.0.1:4567',
    https_proxy: 'http://127.0.0.1:4567',
    AWS_CA_BUNDLE: '/d/ca/ca.pem',
    NODE_EXTRA_CA_CERTS: '/d/ca/ca.pem',
    NO_PROXY: '127.0.0.1,localhost,::1',
    no_proxy: '127.0.0.1,localhost,::1',
  });
});

test('variables that replace a whole trust store, or route plain http, are not set', () => {
  const env = proxyEnvironment({ proxyUrl: 'http://[::1]:3128/', caFile: 'ca.pem' });
  for (const name of ['REQUESTS_CA_BUNDLE', 'SSL_CERT_FILE', 'HTTP_PROXY', 'http_proxy']) {
    assert.equal(name in env, false, name);
  }
});

test('the proxy URL is plain http to a host and port, and the CA file is a path', () => {
  for (const proxyUrl of ['https://127.0.0.1:1', '127.0.0.1:1', 'http://127.0.0.1:1/path', '']) {
    assert.throws(() => proxyEnvironment({ proxyUrl, caFile: 'ca.pem' }), TypeError, proxyUrl);
  }
  assert.throws(() => proxyEnvironment({ proxyUrl: 'http://127.0.0.1:1', caFile: '' }), TypeError);
});
