import { requireOwnerAccount } from '../bucket-policy.js';
import { s3Error } from '../errors.js';
import { baseHeaders, bucketArn, requireBucket, type S3Operation } from '../operation.js';
import { publicAccessBlockXml } from '../public-access-block.js';

/** GetPublicAccessBlock (`GET /bucket?publicAccessBlock`): s3:GetBucketPublicAccessBlock (iam-policy.md §5.3). */
export const getPublicAccessBlock: S3Operation = {
  name: 'GetPublicAccessBlock',
  bucket: 'existing',
  authorize: (req) => [{ action: 's3:GetBucketPublicAccessBlock', resource: bucketArn(requireBucket(req)) }],
  handle(_req, ctx) {
    requireOwnerAccount(ctx);
    const settings = ctx.bucket?.publicAccessBlock;
    if (settings === undefined) {
      // ⚠ S3's wording for a bucket without settings, as SDK issues quote it.
      throw s3Error(
        'NoSuchPublicAccessBlockConfiguration',
        'The public access block configuration was not found',
        {
          BucketName: requireBucket(_req),
        },
      );
    }
    return Promise.resolve({
      status: 200,
      headers: { ...baseHeaders(ctx), 'Content-Type': 'application/xml' },
      body: publicAccessBlockXml(settings),
    });
  },
};
