import assert from 'node:assert/strict';
import { test } from 'node:test';
import { seededRandom as random } from '../shared/seeded-random.js';
import { oidcProviderArn, oidcProviderKey } from './oidc-provider-arn.js';

test('the provider ARN and key are the issuer URL without its http(s) scheme, case kept', () => {
  assert.equal(
    oidcProviderArn('aws', '111122223333', 'https://oidc.eks.us-east-1.amazonaws.com/id/ABC'),
    'arn:aws:iam::111122223333:oidc-provider/oidc.eks.us-east-1.amazonaws.com/id/ABC',
  );
  assert.equal(oidcProviderKey('http://127.0.0.1:8443'), '127.0.0.1:8443');
  // Only a leading, lower-case scheme with both slashes is stripped, and only once.
  for (const kept of ['HTTPS://x', 'https:/x', 'ftp://x', ' https://x', 'x/https://y']) {
    assert.equal(oidcProviderKey(kept), kept);
  }
  assert.equal(oidcProviderKey('https://https://x'), 'https://x');
});

test('oidcProviderKey strips exactly what the regular expression it replaced stripped', () => {
  const next = random(7);
  const pieces = ['https://', 'http://', 'http', 's', ':', '/', '//', 'H', 'x.example', '\u00e9', ' '];
  for (let i = 0; i < 20_000; i++) {
    let url = '';
    const n = Math.floor(next() * 5);
    for (let j = 0; j < n; j++) url += pieces[Math.floor(next() * pieces.length)];
    assert.equal(oidcProviderKey(url), url.replace(/^https?:\/\//, ''), JSON.stringify(url));
  }
});
