import { noSuchKey } from '../errors.js';
import { baseHeaders, requireKey, type S3Operation } from '../operation.js';
import { authorizedObject } from '../tagged-object.js';

/**
 * DeleteObjectTagging (`DELETE /bucket/key?tagging`): s3:DeleteObjectTagging with
 * `s3:ExistingObjectTag/<key>` (iam-policy.md §5.3); 204.
 */
export const deleteObjectTagging: S3Operation = {
  name: 'DeleteObjectTagging',
  bucket: 'existing',
  authorize: () => [],
  async handle(req, ctx) {
    const { bucket, key } = requireKey(req);
    const object = await authorizedObject(req, ctx, 's3:DeleteObjectTagging');
    if (!(await ctx.store.objects.setTags(bucket, key, object.blobId, []))) throw noSuchKey(key);
    return { status: 204, headers: baseHeaders(ctx) };
  },
};
