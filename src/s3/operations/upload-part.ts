import { isStoreError } from '../../store/errors.js';
import type { UploadPart } from '../../store/uploads.js';
import { BlobStore } from '../blob-store.js';
import { checksumHeaders } from '../checksum-response.js';
import { s3Error } from '../errors.js';
import { refuseChunkedTransfer } from '../transfer-encoding.js';
import { loadUpload, MAX_PART_BYTES, noSuchUpload, readPartNumber } from '../multipart.js';
import { blobsNotConfigured } from '../object-read.js';
import { baseHeaders, header, objectArn, requireKey, type S3Operation } from '../operation.js';
import { uploadIntegrity } from '../upload-integrity.js';

/**
 * UploadPart (`PUT /bucket/key?partNumber=N&uploadId=ID`): s3:PutObject (iam-policy.md §5.3). The body
 * streams into a blob file of its own exactly as PutObject's does (aws-chunked decoding, Content-MD5 and
 * flexible checksums checked before the part is recorded); a part uploaded again replaces the earlier one,
 * whose blob is then deleted. At most 5 GiB.
 */
export const uploadPart: S3Operation = {
  name: 'UploadPart',
  bucket: 'existing',
  authorize(req) {
    const { bucket, key } = requireKey(req);
    return [{ action: 's3:PutObject', resource: objectArn(bucket, key) }];
  },
  async handle(req, ctx) {
    const { bucket, key } = requireKey(req);
    const blobs = ctx.blobs;
    if (blobs === undefined) throw blobsNotConfigured();
    const partNumber = readPartNumber(req);
    const upload = await loadUpload(req, ctx);
    const payload = req.payload();
    if (payload.chunked === undefined) refuseChunkedTransfer(req);
    const length = payload.chunked?.decodedLength ?? partLength(header(req, 'content-length'));
    checkPartSize(length);
    const integrity = uploadIntegrity(req, payload);
    const blobId = BlobStore.blobId(bucket, key, `${upload.uploadId}/${blobs.newVersionId()}`);
    let checksums: Record<string, string> = {};
    const written = await blobs.write(blobId, integrity.tapped(payload.stream), {
      maxBytes: length,
      tooLarge: () => s3Error('IncompleteBody', 'The request body is longer than its Content-Length'),
      check: (w) => {
        if (w.size !== length) {
          // (S3 API Reference, error codes: IncompleteBody)
          throw s3Error(
            'IncompleteBody',
            'You did not provide the number of bytes specified by the Content-Length HTTP header',
          );
        }
        checksums = integrity.verify(w.md5);
      },
    });
    const part: UploadPart = {
      uploadId: upload.uploadId,
      partNumber,
      size: written.size,
      etag: `"${written.md5.toString('hex')}"`,
      checksums,
      lastModified: ctx.clock.now(),
      blobId,
    };
    let replaced: UploadPart | undefined;
    try {
      replaced = await ctx.store.uploads.putPart(part);
    } catch (error) {
      await blobs.remove(blobId).catch(() => undefined);
      // Aborted or completed while the part streamed.
      if (isStoreError(error, 'notFound')) throw noSuchUpload(upload.uploadId);
      throw error;
    }
    if (replaced !== undefined) await blobs.remove(replaced.blobId).catch(() => undefined);
    // A part's checksum is of its bytes alone: no x-amz-checksum-type.
    const partChecksums = Object.entries(checksumHeaders(checksums)).filter(
      ([name]) => name !== 'x-amz-checksum-type',
    );
    const headers = { ...baseHeaders(ctx), ETag: part.etag, ...Object.fromEntries(partChecksums) };
    return { status: 200, headers };
  },
};

/** Content-Length is required (MissingContentLength). */
function partLength(value: string | undefined): number {
  if (value === undefined || !/^\d{1,16}$/.test(value)) {
    // (S3 API Reference, error codes: MissingContentLength)
    throw s3Error('MissingContentLength', 'You must provide the Content-Length HTTP header.');
  }
  return Number(value);
}

/** A part is at most 5 GiB (EntityTooLarge, as a single PUT over its limit). */
function checkPartSize(length: number): void {
  if (length > MAX_PART_BYTES) {
    throw s3Error('EntityTooLarge', 'Your proposed upload exceeds the maximum allowed size', {
      ProposedSize: String(length),
      MaxSizeAllowed: String(MAX_PART_BYTES),
    });
  }
}
