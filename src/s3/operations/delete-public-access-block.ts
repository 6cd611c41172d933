import { requireOwnerAccount } from '../bucket-policy.js';
import { baseHeaders, bucketArn, requireBucket, type S3Operation } from '../operation.js';

/**
 * DeletePublicAccessBlock (`DELETE /bucket?publicAccessBlock`): s3:PutBucketPublicAccessBlock, as S3
 * authorizes it (S3 API Reference, DeletePublicAccessBlock, "Permissions"); 204 whether or not settings
 * were there.
 */
export const deletePublicAccessBlock: S3Operation = {
  name: 'DeletePublicAccessBlock',
  bucket: 'existing',
  authorize: (req) => [{ action: 's3:PutBucketPublicAccessBlock', resource: bucketArn(requireBucket(req)) }],
  async handle(req, ctx) {
    requireOwnerAccount(ctx);
    await ctx.store.buckets.setPublicAccessBlock(requireBucket(req), undefined);
    return { status: 204, headers: baseHeaders(ctx) };
  },
};
