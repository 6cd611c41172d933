import type { S3Object } from '../../src/store/objects.js';

/** The object row the store benchmarks put: bucket `b`, no metadata, checksums or tags. */
export function benchObject(key: string, blobId: string, size: number): S3Object {
  return { bucket: 'b', key, size, etag: '"e"', metadata: [], checksums: {}, lastModified: 0, blobId };
}
