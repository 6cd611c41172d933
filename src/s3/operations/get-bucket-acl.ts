import { aclPolicyXml } from '../acl.js';
import { baseHeaders, bucketArn, requireBucket, type S3Operation } from '../operation.js';

/**
 * GetBucketAcl (`GET /bucket?acl`): s3:GetBucketAcl (iam-policy.md §5.3). ACLs are disabled
 * (BucketOwnerEnforced, s3/acl.ts): the answer is always the bucket owner with FULL_CONTROL.
 */
export const getBucketAcl: S3Operation = {
  name: 'GetBucketAcl',
  bucket: 'existing',
  authorize: (req) => [{ action: 's3:GetBucketAcl', resource: bucketArn(requireBucket(req)) }],
  handle(_req, ctx) {
    // INVARIANT: `bucket: 'existing'` operations are handed the bucket they were authorized on.
    const owner = ctx.bucket?.accountId ?? '';
    return Promise.resolve({
      status: 200,
      headers: { ...baseHeaders(ctx), 'Content-Type': 'application/xml' },
      body: aclPolicyXml(owner),
    });
  },
};
