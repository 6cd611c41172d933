import { requireOwnerAccount } from '../bucket-policy.js';
import { s3Error } from '../errors.js';
import { baseHeaders, bucketArn, requireBucket, type S3Operation } from '../operation.js';

/** GetBucketPolicy (`GET /bucket?policy`): s3:GetBucketPolicy; the document as it was stored. */
export const getBucketPolicy: S3Operation = {
  name: 'GetBucketPolicy',
  bucket: 'existing',
  authorize: (req) => [{ action: 's3:GetBucketPolicy', resource: bucketArn(requireBucket(req)) }],
  handle(req, ctx) {
    requireOwnerAccount(ctx);
    const policy = ctx.bucket?.policy;
    if (policy === undefined) {
      // (S3 API Reference, error codes: NoSuchBucketPolicy)
      throw s3Error('NoSuchBucketPolicy', 'The bucket policy does not exist', {
        BucketName: requireBucket(req),
      });
    }
    return Promise.resolve({
      status: 200,
      headers: { ...baseHeaders(ctx), 'Content-Type': 'application/json' },
      body: policy,
    });
  },
};
