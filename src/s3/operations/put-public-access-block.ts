import { requireOwnerAccount } from '../bucket-policy.js';
import { baseHeaders, bucketArn, requireBucket, type S3Operation } from '../operation.js';
import { readPublicAccessBlock } from '../public-access-block.js';
import { readXmlBody } from '../xml-body.js';

/**
 * PutPublicAccessBlock (`PUT /bucket?publicAccessBlock`): s3:PutBucketPublicAccessBlock; the body needs
 * Content-MD5 or a flexible checksum (httpChecksumRequired in S3's model). The settings are enforced:
 * BlockPublicPolicy by PutBucketPolicy, RestrictPublicBuckets by the authorizer (s3/authorization.ts).
 */
export const putPublicAccessBlock: S3Operation = {
  name: 'PutPublicAccessBlock',
  bucket: 'existing',
  authorize: (req) => [{ action: 's3:PutBucketPublicAccessBlock', resource: bucketArn(requireBucket(req)) }],
  async handle(req, ctx) {
    requireOwnerAccount(ctx);
    const root = await readXmlBody(req, 'PublicAccessBlockConfiguration', {
      maxBytes: 4096,
      integrityRequired: true,
    });
    await ctx.store.buckets.setPublicAccessBlock(requireBucket(req), readPublicAccessBlock(root));
    return { status: 200, headers: baseHeaders(ctx) };
  },
};
