import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createHash, createHmac } from 'node:crypto';
import { seededRandom as random } from '../shared/seeded-random.js';
import {
  buildStringToSign,
  canonicalRequestHash,
  computeSignature,
  hmacPads,
  signatureWithPads,
  signaturesMatch,
} from './signature.js';
import { SigningKeyCache } from './signing-key-cache.js';
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

const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');

test('a header value received as UTF-8 bytes is hashed as those bytes (botocore signs the same UTF-8)', () => {
  // botocore sends `x-amz-meta-meta1: Hello World\xc3\xa9`; Node reads it as the byte string `Hello WorldÃ©`.
  const signed = Buffer.from('x-amz-meta-meta1:Hello World\u00e9', 'utf8');
  const received = Buffer.from(signed).toString('latin1');
  assert.equal(canonicalRequestHash(received), sha256(signed));
});

test('a latin1 byte the JS SDK sends for a UTF-8-signed é does not hash as the UTF-8 it signed', () => {
  // The SDK hashes `é` as C3 A9 but Node writes the byte E9: S3 answers SignatureDoesNotMatch.
  const received = 'x-amz-meta-a:gro\u00df';
  assert.equal(
    canonicalRequestHash(received),
    sha256(Buffer.from([...received].map((c) => c.charCodeAt(0)))),
  );
  assert.notEqual(canonicalRequestHash(received), sha256(Buffer.from(received, 'utf8')));
});

test('ASCII, and text beyond U+00FF (never a wire byte string), hash as UTF-8', () => {
  assert.equal(canonicalRequestHash(CREQ), sha256(Buffer.from(CREQ, 'utf8')));
  assert.equal(canonicalRequestHash('GET\n/\u1234\u00e9'), sha256(Buffer.from('GET\n/\u1234\u00e9', 'utf8')));
});

/** The hash as it was chosen before (two regular expressions): the reference for the byteLength test. */
function referenceHash(canonicalRequest: string): string {
  if (!/[\u0080-\uffff]/.test(canonicalRequest) || /[\u0100-\uffff]/.test(canonicalRequest)) {
    return createHash('sha256').update(canonicalRequest, 'utf8').digest('hex');
  }
  return createHash('sha256').update(Buffer.from(canonicalRequest, 'latin1')).digest('hex');
}

test('the canonical request hash matches the reference over random ASCII, latin1 and wider text', () => {
  let seed = 99;
  const next = () => {
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
    return seed / 4294967296;
  };
  const alphabet = ['a', '\n', ':', 'é', '\u00ff', '\u0080', '\u0100', '\u20ac', '\ud83d\ude00', '\ud800'];
  for (let i = 0; i < 3000; i++) {
    let text = '';
    const n = Math.floor(next() * 12);
    for (let j = 0; j < n; j++)
      text += next() < 0.7 ? 'x' : (alphabet[Math.floor(next() * alphabet.length)] ?? '');
    assert.equal(canonicalRequestHash(text), referenceHash(text), JSON.stringify(text));
  }
});

test('a signature made with the key pads is the HMAC, over random keys and strings to sign', () => {
  const next = random(2104);
  // ASCII strings to sign as every client's are, and some with Latin-1, wider and surrogate characters,
  // which the pads hand to computeSignature.
  const alphabet = ['A', 'z', '0', '/', '\n', ' ', '\u0000', '\u007f', 'é', '\u00ff', '€', '\ud83d', '😀'];
  for (let i = 0; i < 2000; i++) {
    // Keys of a signing key's 32 bytes mostly; also empty, a full block, and longer than a block.
    const length = next() < 0.7 ? 32 : ([0, 1, 63, 64, 65, 200][Math.floor(next() * 6)] ?? 32);
    const key = Buffer.from(Array.from({ length }, () => Math.floor(next() * 256)));
    let stringToSign = '';
    const n = Math.floor(next() * 150);
    for (let j = 0; j < n; j++) {
      stringToSign +=
        next() < 0.95
          ? String.fromCharCode(0x20 + Math.floor(next() * 0x5f))
          : (alphabet[Math.floor(next() * alphabet.length)] ?? '');
    }
    assert.equal(
      signatureWithPads(hmacPads(key), stringToSign),
      createHmac('sha256', key).update(stringToSign, 'utf8').digest('hex'),
      JSON.stringify({ length, stringToSign }),
    );
  }
});

test('the signing-key cache signs with the pads of the key it handed out, as computeSignature does', () => {
  const cache = new SigningKeyCache();
  const key = cache.get('wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY', '20150830', 'us-east-1', 'iam');
  const sts = buildStringToSign('20150830T123600Z', '20150830/us-east-1/iam/aws4_request', CREQ);
  assert.equal(cache.signature(key, sts), computeSignature(key, sts));
  // Again, from the kept pads; and a string to sign with a non-ASCII scope.
  assert.equal(cache.signature(key, sts), computeSignature(key, sts));
  assert.equal(cache.signature(key, `${sts}é`), computeSignature(key, `${sts}é`));
});
