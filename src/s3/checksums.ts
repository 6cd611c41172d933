import { createHash, type Hash } from 'node:crypto';
import * as zlib from 'node:zlib';
import { crc32c } from './crc32c.js';
import { CRC64_START, crc64nvme, crc64nvmeBytes, type Crc64State } from './crc64nvme.js';

/**
 * S3's flexible checksums (S3 User Guide, "Checking object integrity"): the algorithms a client may name in
 * `x-amz-sdk-checksum-algorithm` / `x-amz-checksum-algorithm`, each sent as `x-amz-checksum-<lower-case
 * name>` holding the base64 of the big-endian digest. MD5 is apart: `Content-MD5` (base64) and the ETag
 * (hex).
 */
export type ChecksumAlgorithm = 'CRC32' | 'CRC32C' | 'CRC64NVME' | 'SHA1' | 'SHA256';

export const CHECKSUM_ALGORITHMS: readonly ChecksumAlgorithm[] = [
  'CRC32',
  'CRC32C',
  'CRC64NVME',
  'SHA1',
  'SHA256',
];

/** The size in bytes of each algorithm's digest (what a valid base64 header value decodes to). */
export const DIGEST_BYTES: Readonly<Record<ChecksumAlgorithm, number>> = {
  CRC32: 4,
  CRC32C: 4,
  CRC64NVME: 8,
  SHA1: 20,
  SHA256: 32,
};

/** `x-amz-checksum-crc32` and so on. */
export function checksumHeaderName(algorithm: ChecksumAlgorithm): string {
  return `x-amz-checksum-${algorithm.toLowerCase()}`;
}

/** A running checksum: feed the bytes in order, then read S3's base64 form once. */
export interface Checksummer {
  readonly algorithm: ChecksumAlgorithm;
  update(data: Uint8Array): void;
  /** Base64 of the digest, as S3 sends and expects it. Call once. */
  digest(): string;
}

/** The CRC32 of zlib is missing (Node before 20.15): a deployment error, never the client's. */
export class ChecksumUnavailableError extends Error {
  override readonly name = 'ChecksumUnavailableError';
  constructor(readonly algorithm: ChecksumAlgorithm) {
    super(
      `${algorithm} needs zlib.crc32, which this Node.js (${process.version}) does not have (Node >= 20.15 does)`,
    );
  }
}

export function createChecksummer(algorithm: ChecksumAlgorithm): Checksummer {
  switch (algorithm) {
    case 'CRC32':
      return crc32Checksummer();
    case 'CRC32C':
      return new Crc32cChecksummer();
    case 'CRC64NVME':
      return new Crc64Checksummer();
    case 'SHA1':
      return new HashChecksummer(algorithm, createHash('sha1'));
    case 'SHA256':
      return new HashChecksummer(algorithm, createHash('sha256'));
  }
}

/** The checksum of bytes already in memory. */
export function checksumOf(algorithm: ChecksumAlgorithm, data: Uint8Array): string {
  const checksummer = createChecksummer(algorithm);
  checksummer.update(data);
  return checksummer.digest();
}

/** MD5 for `Content-MD5` and the ETag, fed once, read both ways. */
export class Md5 {
  readonly #hash = createHash('md5');
  #digest: Buffer | undefined;
  update(data: Uint8Array): void {
    this.#hash.update(data);
  }
  /** The raw 16 bytes; later calls return the same. */
  bytes(): Buffer {
    this.#digest ??= this.#hash.digest();
    return this.#digest;
  }
  /** Base64, the form of `Content-MD5`. */
  base64(): string {
    return this.bytes().toString('base64');
  }
  /** Lower-case hex, the form of a single-part ETag (without its quotes). */
  hex(): string {
    return this.bytes().toString('hex');
  }
}

type Crc32 = (data: Uint8Array, value?: number) => number;

function crc32Checksummer(): Checksummer {
  const crc32 = (zlib as { readonly crc32?: Crc32 }).crc32;
  if (typeof crc32 !== 'function') throw new ChecksumUnavailableError('CRC32');
  let value = 0;
  return {
    algorithm: 'CRC32',
    update(data: Uint8Array): void {
      value = crc32(data, value);
    },
    digest(): string {
      return uint32Base64(value);
    },
  };
}

class Crc32cChecksummer implements Checksummer {
  readonly algorithm = 'CRC32C';
  #value = 0;
  update(data: Uint8Array): void {
    this.#value = crc32c(data, this.#value);
  }
  digest(): string {
    return uint32Base64(this.#value);
  }
}

class Crc64Checksummer implements Checksummer {
  readonly algorithm = 'CRC64NVME';
  #state: Crc64State = CRC64_START;
  update(data: Uint8Array): void {
    this.#state = crc64nvme(data, this.#state);
  }
  digest(): string {
    return crc64nvmeBytes(this.#state).toString('base64');
  }
}

class HashChecksummer implements Checksummer {
  readonly #hash: Hash;
  constructor(
    readonly algorithm: ChecksumAlgorithm,
    hash: Hash,
  ) {
    this.#hash = hash;
  }
  update(data: Uint8Array): void {
    this.#hash.update(data);
  }
  digest(): string {
    return this.#hash.digest('base64');
  }
}

function uint32Base64(value: number): string {
  const out = Buffer.alloc(4);
  out.writeUInt32BE(value >>> 0, 0);
  return out.toString('base64');
}
