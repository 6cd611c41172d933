import assert from 'node:assert/strict';
import { test } from 'node:test';
import { deriveSigningKey } from './signing-key.js';

test('the signing key of the AWS documentation example (kDate → kRegion → kService → kSigning)', () => {
  // AWS General Reference, "Examples of how to derive a signing key for Signature Version 4".
  const key = deriveSigningKey('wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY', '20120215', 'us-east-1', 'iam');
  assert.equal(key.toString('hex'), 'f4780e2d9f65fa895f9c67b32ce1baf0b0d8a43505a000a1a9e090d414db404d');
});

test('each scope part changes the key, an empty region included', () => {
  const base = deriveSigningKey('secret', '20261204', 'us-east-1', 'sts').toString('hex');
  assert.notEqual(deriveSigningKey('secret', '20261205', 'us-east-1', 'sts').toString('hex'), base);
  assert.notEqual(deriveSigningKey('secret', '20261204', '', 'sts').toString('hex'), base);
  assert.notEqual(deriveSigningKey('secret', '20261204', 'us-east-1', 'iam').toString('hex'), base);
  assert.notEqual(deriveSigningKey('secreT', '20261204', 'us-east-1', 'sts').toString('hex'), base);
});
