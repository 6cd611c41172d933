import { loadUpload, noSuchUpload } from '../multipart.js';
import { blobsNotConfigured } from '../object-read.js';
import { baseHeaders, objectArn, requireKey, type S3Operation } from '../operation.js';

/**
 * AbortMultipartUpload (`DELETE /bucket/key?uploadId=ID`): s3:AbortMultipartUpload (iam-policy.md §5.3).
 * Removes the upload and its parts, then deletes the part blobs; 204. An unknown upload is NoSuchUpload.
 */
export const abortMultipartUpload: S3Operation = {
  name: 'AbortMultipartUpload',
  bucket: 'existing',
  authorize(req) {
    const { bucket, key } = requireKey(req);
    return [{ action: 's3:AbortMultipartUpload', resource: objectArn(bucket, key) }];
  },
  async handle(req, ctx) {
    const { bucket, key } = requireKey(req);
    const blobs = ctx.blobs;
    if (blobs === undefined) throw blobsNotConfigured();
    const upload = await loadUpload(req, ctx);
    const parts = await ctx.store.uploads.delete(bucket, key, upload.uploadId);
    if (parts === undefined) throw noSuchUpload(upload.uploadId);
    for (const p of parts) await blobs.remove(p.blobId).catch(() => undefined);
    return { status: 204, headers: baseHeaders(ctx) };
  },
};
