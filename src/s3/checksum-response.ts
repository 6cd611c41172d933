import { CHECKSUM_ALGORITHMS, checksumHeaderName } from './checksums.js';

/**
 * The `x-amz-checksum-*` response headers of stored checksums: PutObject answers them, and GetObject and
 * HeadObject do when asked with `x-amz-checksum-mode: ENABLED` (S3 API Reference, GetObject,
 * "ChecksumMode"). `x-amz-checksum-type` says how the checksum was formed: `FULL_OBJECT` for a single PUT,
 * `COMPOSITE` for a checksum of part checksums (`...-N`).
 */
export function checksumHeaders(checksums: Readonly<Record<string, string>>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const algorithm of CHECKSUM_ALGORITHMS) {
    const value = checksums[algorithm];
    if (value === undefined) continue;
    out[checksumHeaderName(algorithm)] = value;
    out['x-amz-checksum-type'] = /-\d+$/.test(value) ? 'COMPOSITE' : 'FULL_OBJECT';
  }
  return out;
}
