import assert from 'node:assert/strict';
import { test } from 'node:test';
import { AwsError } from '../shared/aws-error.js';
import {
  checkChecksum,
  checkContentMd5,
  isBase64Digest,
  readContentMd5,
  readDeclaredChecksum,
  trailerChecksumValue,
} from './checksum-headers.js';

function rejects(run: () => unknown, code: string, message: string): void {
  assert.throws(run, (error: unknown) => {
    assert.ok(error instanceof AwsError);
    assert.equal(error.code, code);
    assert.equal(error.status, 400);
    assert.equal(error.message, message);
    return true;
  });
}

test('the JS SDK PutObject headers (docs/raw-requests.md §1.6) declare a CRC32 in a header', () => {
  const declared = readDeclaredChecksum({
    'x-amz-sdk-checksum-algorithm': 'CRC32',
    'x-amz-checksum-crc32': 'NhCmhg==',
  });
  assert.deepEqual(declared, { algorithm: 'CRC32', in: 'header', value: 'NhCmhg==' });
});

test('the JS SDK stream headers (§1.14) declare a CRC32 in the trailer', () => {
  const declared = readDeclaredChecksum({ 'x-amz-sdk-checksum-algorithm': 'CRC32' }, [
    'x-amz-checksum-crc32',
  ]);
  assert.deepEqual(declared, { algorithm: 'CRC32', in: 'trailer' });
  assert.ok(declared);
  assert.equal(trailerChecksumValue(declared, new Map([['x-amz-checksum-crc32', 'DUoRhQ==']])), 'DUoRhQ==');
  rejects(
    () => trailerChecksumValue(declared, new Map([['x-amz-checksum-crc32', 'DUoRhQ']])),
    'InvalidRequest',
    'Value for x-amz-checksum-crc32 header is invalid.',
  );
});

test('no checksum declared is no checksum', () => {
  assert.equal(
    readDeclaredChecksum({ 'content-type': 'text/plain', 'x-amz-checksum-mode': 'ENABLED' }),
    undefined,
  );
});

test('a checksum value that is not base64 of the digest size fails InvalidRequest', () => {
  for (const [name, value] of [
    ['x-amz-checksum-crc32', 'NhCmhg'],
    ['x-amz-checksum-crc32', 'NhCmhgAA'],
    ['x-amz-checksum-crc32c', '!!!!!!=='],
    ['x-amz-checksum-sha256', 'NhCmhg=='],
    ['x-amz-checksum-crc64nvme', 'NhCmhg=='],
    ['x-amz-checksum-sha1', ''],
  ] as const) {
    rejects(
      () => readDeclaredChecksum({ [name]: value }),
      'InvalidRequest',
      `Value for ${name} header is invalid.`,
    );
  }
});

test('two checksums fail InvalidRequest', () => {
  const message = 'Expecting a single x-amz-checksum- header. Multiple checksum Types are not allowed.';
  rejects(
    () => readDeclaredChecksum({ 'x-amz-checksum-crc32': 'NhCmhg==', 'x-amz-checksum-crc32c': 'AAAAAA==' }),
    'InvalidRequest',
    message,
  );
  rejects(
    () => readDeclaredChecksum({ 'x-amz-checksum-crc32': 'NhCmhg==' }, ['x-amz-checksum-crc32']),
    'InvalidRequest',
    message,
  );
  rejects(
    () => readDeclaredChecksum({ 'x-amz-checksum-crc32': ['NhCmhg==', 'NhCmhg=='] }),
    'InvalidRequest',
    message,
  );
});

test('x-amz-sdk-checksum-algorithm must name the checksum that was sent', () => {
  const message =
    'x-amz-sdk-checksum-algorithm specified, but no corresponding x-amz-checksum-* or x-amz-trailer headers were found.';
  rejects(() => readDeclaredChecksum({ 'x-amz-sdk-checksum-algorithm': 'CRC32' }), 'InvalidRequest', message);
  rejects(
    () =>
      readDeclaredChecksum({ 'x-amz-sdk-checksum-algorithm': 'SHA256', 'x-amz-checksum-crc32': 'NhCmhg==' }),
    'InvalidRequest',
    message,
  );
  rejects(
    () => readDeclaredChecksum({ 'x-amz-sdk-checksum-algorithm': 'MD5', 'x-amz-checksum-crc32': 'NhCmhg==' }),
    'InvalidRequest',
    'Value for x-amz-sdk-checksum-algorithm header is invalid.',
  );
});

test('a checksum that differs from the computed one fails BadDigest', () => {
  checkChecksum('CRC32', 'NhCmhg==', 'NhCmhg==');
  rejects(
    () => checkChecksum('CRC32', 'NhCmhg==', 'DUoRhQ=='),
    'BadDigest',
    'The CRC32 you specified did not match the calculated checksum.',
  );
  rejects(
    () => checkChecksum('SHA256', 'a', 'b'),
    'BadDigest',
    'The SHA256 you specified did not match the calculated checksum.',
  );
});

test('Content-MD5: boto3 form accepted, malformed InvalidDigest, different BadDigest', () => {
  assert.equal(readContentMd5({ 'content-md5': 'XUFAKrxLKna5cZ2REBfFkg==' }), 'XUFAKrxLKna5cZ2REBfFkg==');
  assert.equal(readContentMd5({}), undefined);
  for (const bad of [
    '',
    'XUFAKrxLKna5cZ2REBfFkg',
    'XUFAKrxLKna5cZ2REBfFkg==AA',
    '5d41402abc4b2a76b9719d911017c592',
  ]) {
    rejects(
      () => readContentMd5({ 'content-md5': bad }),
      'InvalidDigest',
      'The Content-MD5 you specified is not valid.',
    );
  }
  checkContentMd5('XUFAKrxLKna5cZ2REBfFkg==', 'XUFAKrxLKna5cZ2REBfFkg==');
  rejects(
    () => checkContentMd5('XUFAKrxLKna5cZ2REBfFkg==', 'sZRqySSS0jR8YjW00mERhA=='),
    'BadDigest',
    'The Content-MD5 you specified did not match what we received.',
  );
});

test('base64 digests must be canonical: right length, right padding, no stray bits', () => {
  assert.equal(isBase64Digest('NhCmhg==', 4), true);
  assert.equal(isBase64Digest('NhCmhh==', 4), false);
  assert.equal(isBase64Digest('NhCmhg=', 4), false);
  assert.equal(isBase64Digest('AAAAAAAAAAA=', 8), true);
});

test('headers as req.headersDistinct gives them (one-element lists) read as single values', () => {
  const declared = readDeclaredChecksum({
    'x-amz-sdk-checksum-algorithm': ['CRC32'],
    'x-amz-checksum-crc32': ['NhCmhg=='],
  });
  assert.deepEqual(declared, { algorithm: 'CRC32', in: 'header', value: 'NhCmhg==' });
  assert.equal(readContentMd5({ 'content-md5': ['XUFAKrxLKna5cZ2REBfFkg=='] }), 'XUFAKrxLKna5cZ2REBfFkg==');
});
