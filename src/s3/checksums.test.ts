import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { CHECKSUM_ALGORITHMS, Md5, checksumHeaderName, checksumOf, createChecksummer } from './checksums.js';
import { crc32c } from './crc32c.js';
import { crc64nvme, crc64nvmeBytes } from './crc64nvme.js';

const CHECK = Buffer.from('123456789');

/** One bit at a time, straight from the definition of a reflected CRC: the slow reference. */
function slowCrc32(data: Uint8Array, polynomial: number): number {
  let crc = 0xffffffff;
  for (const byte of data) {
    crc ^= byte;
    for (let bit = 0; bit < 8; bit++) crc = crc & 1 ? (crc >>> 1) ^ polynomial : crc >>> 1;
  }
  return ~crc >>> 0;
}

function slowCrc64nvme(data: Uint8Array): bigint {
  const mask = (1n << 64n) - 1n;
  let crc = mask;
  for (const byte of data) {
    crc ^= BigInt(byte);
    for (let bit = 0; bit < 8; bit++) crc = crc & 1n ? (crc >> 1n) ^ 0x9a6c9329ac4bc9b5n : crc >> 1n;
  }
  return crc ^ mask;
}

function hexBase64(hex: string): string {
  return Buffer.from(hex, 'hex').toString('base64');
}

test('check values of the CRC catalogue for "123456789"', () => {
  assert.equal(crc32c(CHECK), 0xe3069283);
  assert.equal(crc64nvmeBytes(crc64nvme(CHECK)).toString('hex'), 'ae8b14860a799888');
  assert.equal(checksumOf('CRC32', CHECK), hexBase64('cbf43926'));
  assert.equal(checksumOf('CRC32C', CHECK), hexBase64('e3069283'));
  assert.equal(checksumOf('CRC64NVME', CHECK), hexBase64('ae8b14860a799888'));
});

test('the CRC32 values the JS SDK sent (docs/raw-requests.md §1.6, §1.10, §1.14)', () => {
  assert.equal(checksumOf('CRC32', Buffer.from('hello')), 'NhCmhg==');
  assert.equal(checksumOf('CRC32', Buffer.from('a')), '6Le+Qw==');
  assert.equal(checksumOf('CRC32', Buffer.from('hello world')), 'DUoRhQ==');
});

test('SHA-1 and SHA-256 in base64 (FIPS 180 "abc" vectors) and of nothing', () => {
  assert.equal(checksumOf('SHA1', Buffer.from('abc')), hexBase64('a9993e364706816aba3e25717850c26c9cd0d89d'));
  assert.equal(
    checksumOf('SHA256', Buffer.from('abc')),
    hexBase64('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad'),
  );
  assert.equal(checksumOf('CRC32', Buffer.alloc(0)), 'AAAAAA==');
  assert.equal(checksumOf('CRC32C', Buffer.alloc(0)), 'AAAAAA==');
  assert.equal(checksumOf('CRC64NVME', Buffer.alloc(0)), 'AAAAAAAAAAA=');
});

test('MD5 as Content-MD5 and as ETag (boto3 sent XUFAKrxLKna5cZ2REBfFkg== for "hello", §2.6)', () => {
  const md5 = new Md5();
  md5.update(Buffer.from('hel'));
  md5.update(Buffer.from('lo'));
  assert.equal(md5.base64(), 'XUFAKrxLKna5cZ2REBfFkg==');
  assert.equal(md5.hex(), '5d41402abc4b2a76b9719d911017c592');
});

test('header names are x-amz-checksum-<lower-case algorithm>', () => {
  assert.deepEqual(CHECKSUM_ALGORITHMS.map(checksumHeaderName), [
    'x-amz-checksum-crc32',
    'x-amz-checksum-crc32c',
    'x-amz-checksum-crc64nvme',
    'x-amz-checksum-sha1',
    'x-amz-checksum-sha256',
  ]);
});

test('CRC32C and CRC64/NVME equal the bit-by-bit reference on any input', () => {
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 300 }), (data) => {
      assert.equal(crc32c(data), slowCrc32(data, 0x82f63b78));
      const bytes = crc64nvmeBytes(crc64nvme(data));
      assert.equal(bytes.readBigUInt64BE(0), slowCrc64nvme(data));
    }),
    { numRuns: 300 },
  );
});

test('every checksum is the same however the input is split', () => {
  fc.assert(
    fc.property(
      fc.uint8Array({ maxLength: 200 }),
      fc.uniqueArray(fc.integer({ min: 0, max: 200 }), { maxLength: 6 }),
      (data, cuts) => {
        for (const algorithm of CHECKSUM_ALGORITHMS) {
          const checksummer = createChecksummer(algorithm);
          let from = 0;
          for (const cut of [...cuts.filter((c) => c <= data.length)].sort((a, b) => a - b)) {
            checksummer.update(data.subarray(from, cut));
            from = cut;
          }
          checksummer.update(data.subarray(from));
          assert.equal(checksummer.digest(), checksumOf(algorithm, data), algorithm);
        }
      },
    ),
    { numRuns: 100 },
  );
});
