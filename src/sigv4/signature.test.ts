import assert from 'node:assert/strict';
import { test } from 'node:test';
import { buildStringToSign, computeSignature, signaturesMatch } from './signature.js';
import { deriveSigningKey } from './signing-key.js';

// The classic suite's get-vanilla case (aws-sig-v4-test-suite/get-vanilla).
const CREQ =
  'GET\n/\n\nhost:example.amazonaws.com\nx-amz-date:20150830T123600Z\n\nhost;x-amz-date\ne3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';

test('string to sign and signature of the suite case get-vanilla', () => {
  const sts = buildStringToSign('20150830T123600Z', '20150830/us-east-1/service/aws4_request', CREQ);
  assert.equal(
    sts,
    'AWS4-HMAC-SHA256\n20150830T123600Z\n20150830/us-east-1/service/aws4_request\nbb579772317eb040ac9ed261061d46c1f17a8133879d6129b6e1c25292927e63',
  );
  const key = deriveSigningKey(
    'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY',
    '20150830',
    'us-east-1',
    'service',
  );
  assert.equal(
    computeSignature(key, sts),
    '5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31',
  );
});

test('signatures compare exactly, and a different length is no match rather than an error', () => {
  const sig = '5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31';
  assert.equal(signaturesMatch(sig, sig), true);
  assert.equal(signaturesMatch(sig.toUpperCase(), sig), false);
  assert.equal(signaturesMatch(sig.slice(1), sig), false);
  assert.equal(signaturesMatch('', sig), false);
  // 64 characters but more than 64 bytes: must not reach timingSafeEqual with unequal lengths.
  assert.equal(signaturesMatch(`é${sig.slice(1)}`, sig), false);
});
