import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { test } from 'node:test';
import { checkFetchUrl, fetchIssuerDocument, type FetchOptions } from './issuer-fetch.js';
import { ISSUER_PATH, startFakeIssuer } from './testdata/fake-issuer.js';
import { makeTestCa } from './testdata/test-ca.js';

const OPTIONS: FetchOptions = { allowInsecure: false, timeoutMs: 2000, maxBytes: 4096 };
const DISCOVERY = `${ISSUER_PATH}/.well-known/openid-configuration`;

test('https URLs are fetchable; plain http only for loopback hosts unless insecure issuers are allowed', () => {
  for (const url of [
    'https://oidc.example.test/id/A',
    'http://127.0.0.1:9/x',
    'http://127.8.9.10/',
    'http://localhost:1/',
    'http://[::1]:2/',
  ]) {
    assert.equal(checkFetchUrl(url, false).ok, true, url);
  }
  const refused = checkFetchUrl('http://oidc.example.test/id/A', false);
  assert.equal(refused.ok, false);
  assert.match(refused.ok ? '' : refused.message, /plain http to a host that is not loopback/);
  assert.equal(checkFetchUrl('http://oidc.example.test/id/A', true).ok, true);
  assert.equal(checkFetchUrl('http://128.0.0.1/', false).ok, false);
  assert.equal(checkFetchUrl('ftp://127.0.0.1/', true).ok, false);
  assert.equal(checkFetchUrl('https://user:pw@oidc.example.test/', false).ok, false);
  assert.equal(checkFetchUrl('/relative', false).ok, false);
});

test('plain http to a non-loopback host is refused before any connection is made', async () => {
  // 192.0.2.1 is TEST-NET-1 (RFC 5737): a connection attempt would hang until the timeout instead.
  const result = await fetchIssuerDocument(new URL('http://192.0.2.1/.well-known/openid-configuration'), {
    ...OPTIONS,
    timeoutMs: 60_000,
  });
  assert.equal(result.ok, false);
  assert.match(result.ok ? '' : result.message, /not loopback/);
});

test('a 200 answer is read with its Cache-Control', async () => {
  const issuer = await startFakeIssuer();
  try {
    const result = await fetchIssuerDocument(
      new URL(`${issuer.url}/.well-known/openid-configuration`),
      OPTIONS,
    );
    assert.ok(result.ok);
    assert.equal((JSON.parse(result.body) as { issuer: string }).issuer, issuer.url);
    assert.equal(result.cacheControl, 'public, max-age=3600');
    assert.deepEqual(issuer.requests, [DISCOVERY]);
  } finally {
    await issuer.close();
  }
});

test('a redirect is not followed, and other statuses fail', async () => {
  const issuer = await startFakeIssuer();
  issuer.respond = (path) =>
    path === '/moved'
      ? { status: 302, headers: { location: `${issuer.url}/elsewhere` }, body: '' }
      : { status: 500, body: 'x' };
  try {
    const moved = await fetchIssuerDocument(new URL(`http://127.0.0.1:${issuer.port}/moved`), OPTIONS);
    assert.deepEqual(moved, {
      ok: false,
      message: 'the answer is HTTP 302, expected 200 (redirects are not followed)',
    });
    const failed = await fetchIssuerDocument(new URL(`http://127.0.0.1:${issuer.port}/x`), OPTIONS);
    assert.deepEqual(failed, { ok: false, message: 'the answer is HTTP 500, expected 200' });
    assert.deepEqual(issuer.requests, ['/moved', '/x']);
  } finally {
    await issuer.close();
  }
});

test('an answer larger than the cap fails, whether declared or streamed', async () => {
  const issuer = await startFakeIssuer();
  issuer.respond = () => ({ status: 200, body: 'x'.repeat(5000) });
  try {
    const declared = await fetchIssuerDocument(new URL(`${issuer.url}/big`), OPTIONS);
    assert.deepEqual(declared, {
      ok: false,
      message: 'the answer is 5000 bytes, more than the 4096 allowed',
    });
    issuer.respond = () => ({
      status: 200,
      headers: { 'transfer-encoding': 'chunked' },
      body: 'x'.repeat(5000),
    });
    const streamed = await fetchIssuerDocument(new URL(`${issuer.url}/big`), OPTIONS);
    assert.deepEqual(streamed, { ok: false, message: 'the answer is more than the 4096 bytes allowed' });
  } finally {
    await issuer.close();
  }
});

test('an issuer that never answers fails at the timeout', async () => {
  const issuer = await startFakeIssuer();
  issuer.respond = () => 'hang';
  try {
    const result = await fetchIssuerDocument(new URL(`${issuer.url}/slow`), { ...OPTIONS, timeoutMs: 100 });
    assert.deepEqual(result, { ok: false, message: 'no complete answer within 100 ms' });
  } finally {
    await issuer.close();
  }
});

test('a closed port fails with ECONNREFUSED', async () => {
  const port = await freePort();
  const result = await fetchIssuerDocument(new URL(`http://127.0.0.1:${port}/x`), OPTIONS);
  assert.equal(result.ok, false);
  assert.match(result.ok ? '' : result.message, /^ECONNREFUSED: /);
});

test('https: verified with the extra CA, refused without it', async (t) => {
  const ca = await makeTestCa();
  if (ca === undefined) {
    t.skip('openssl is not installed: cannot make a test CA');
    return;
  }
  const issuer = await startFakeIssuer({ key: ca.serverKey, cert: ca.serverCert });
  try {
    const url = new URL(`${issuer.url}/.well-known/openid-configuration`);
    assert.match(issuer.url, /^https:\/\/127\.0\.0\.1:/);
    const trusted = await fetchIssuerDocument(url, { ...OPTIONS, caCertificates: [ca.caPem] });
    assert.ok(trusted.ok, trusted.ok ? '' : trusted.message);
    assert.equal((JSON.parse(trusted.body) as { issuer: string }).issuer, issuer.url);
    const untrusted = await fetchIssuerDocument(url, OPTIONS);
    assert.equal(untrusted.ok, false);
    assert.match(
      untrusted.ok ? '' : untrusted.message,
      /UNABLE_TO_VERIFY_LEAF_SIGNATURE|unable to verify|self.signed/i,
    );
  } finally {
    await issuer.close();
    await ca.remove();
  }
});

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const address = s.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      s.close(() => resolve(port));
    });
  });
}
