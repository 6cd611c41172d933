import { checkBucketPolicy, MAX_BUCKET_POLICY_BYTES, requireOwnerAccount } from '../bucket-policy.js';
import { s3Error } from '../errors.js';
import { baseHeaders, bucketArn, requireBucket, type S3Operation } from '../operation.js';
import { readSmallPayload } from '../payload.js';
import { isPublicPolicy, publicPolicyBlocked } from '../public-policy.js';

/** PutBucketPolicy (`PUT /bucket?policy`): s3:PutBucketPolicy; the document is validated first. */
export const putBucketPolicy: S3Operation = {
  name: 'PutBucketPolicy',
  bucket: 'existing',
  authorize: (req) => [
    { action: 's3:PutBucketPolicy', resource: bucketArn(requireBucket(req)), ownerRootAlwaysAllowed: true },
  ],
  async handle(req, ctx) {
    requireOwnerAccount(ctx);
    const body = await readSmallPayload(req.body(), MAX_BUCKET_POLICY_BYTES, () =>
      // ⚠ S3's wording for an oversized bucket policy is unconfirmed (policy/validate.ts says the same).
      s3Error('MalformedPolicy', 'Policies must be less than 20 KB'),
    );
    const text = body.toString('utf8');
    checkBucketPolicy(text);
    if (ctx.bucket?.publicAccessBlock?.blockPublicPolicy === true && isPublicPolicy(text)) {
      throw publicPolicyBlocked(ctx.caller, requireBucket(req));
    }
    await ctx.store.buckets.setPolicy(requireBucket(req), text);
    return { status: 204, headers: baseHeaders(ctx) };
  },
};
