import { checkVersionId } from '../object-read.js';
import { baseHeaders, objectArn, requireKey, type S3Operation } from '../operation.js';

/**
 * DeleteObject (`DELETE /bucket/key`): s3:DeleteObject (s3:DeleteObjectVersion with `versionId`); idempotent, 204 whether or not the key existed
 * (S3 API Reference, DeleteObject). The blob goes once the row is gone; if that fails, the start-up sweep
 * removes it.
 */
export const deleteObject: S3Operation = {
  name: 'DeleteObject',
  bucket: 'existing',
  authorize(req) {
    const { bucket, key } = requireKey(req);
    const action = req.query.has('versionId') ? 's3:DeleteObjectVersion' : 's3:DeleteObject';
    return [{ action, resource: objectArn(bucket, key) }];
  },
  async handle(req, ctx) {
    const { bucket, key } = requireKey(req);
    checkVersionId(req);
    const deleted = await ctx.store.objects.delete(bucket, key);
    if (deleted !== undefined) await ctx.blobs?.release(deleted).catch(() => undefined);
    return { status: 204, headers: baseHeaders(ctx) };
  },
};
