import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseCaBundle } from './ca-bundle.js';
import { makeTestCa } from './testdata/test-ca.js';

test('a PEM bundle yields each certificate', async (t) => {
  const ca = await makeTestCa();
  if (ca === undefined) {
    t.skip('openssl is not installed: no certificate to read');
    return;
  }
  try {
    const read = parseCaBundle(`# comment\n${ca.caPem}\n${ca.serverCert}`);
    assert.ok(read.ok);
    assert.equal(read.certificates.length, 2);
    assert.match(read.certificates[0] ?? '', /^-----BEGIN CERTIFICATE-----/);
  } finally {
    await ca.remove();
  }
});

test('a file without certificates, or with a broken one, is refused with a reason', () => {
  assert.deepEqual(parseCaBundle('not a pem'), {
    ok: false,
    message: 'the CA bundle holds no `-----BEGIN CERTIFICATE-----` block',
  });
  assert.deepEqual(parseCaBundle('-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n'), {
    ok: false,
    message: 'certificate 1 of the CA bundle is not a valid X.509 certificate',
  });
});
