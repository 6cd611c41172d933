import { requireOwnerAccount } from '../bucket-policy.js';
import { baseHeaders, bucketArn, requireBucket, type S3Operation } from '../operation.js';

/** DeleteBucketPolicy (`DELETE /bucket?policy`): s3:DeleteBucketPolicy; 204 with or without a policy. */
export const deleteBucketPolicy: S3Operation = {
  name: 'DeleteBucketPolicy',
  bucket: 'existing',
  authorize: (req) => [{ action: 's3:DeleteBucketPolicy', resource: bucketArn(requireBucket(req)) }],
  async handle(req, ctx) {
    requireOwnerAccount(ctx);
    await ctx.store.buckets.setPolicy(requireBucket(req), undefined);
    return { status: 204, headers: baseHeaders(ctx) };
  },
};
