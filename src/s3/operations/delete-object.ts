import { baseHeaders, objectArn, requireKey, type S3Operation } from '../operation.js';

/**
 * DeleteObject (`DELETE /bucket/key`): s3:DeleteObject; idempotent, 204 whether or not the key existed
 * (S3 API Reference, DeleteObject). The blob goes once the row is gone; if that fails, the start-up sweep
 * removes it.
 */
export const deleteObject: S3Operation = {
  name: 'DeleteObject',
  bucket: 'existing',
  authorize(req) {
    const { bucket, key } = requireKey(req);
    return [{ action: 's3:DeleteObject', resource: objectArn(bucket, key) }];
  },
  async handle(req, ctx) {
    const { bucket, key } = requireKey(req);
    const deleted = await ctx.store.objects.delete(bucket, key);
    if (deleted !== undefined) await ctx.blobs?.remove(deleted.blobId).catch(() => undefined);
    return { status: 204, headers: baseHeaders(ctx) };
  },
};
