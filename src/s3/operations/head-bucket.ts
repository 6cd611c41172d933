import { baseHeaders, bucketArn, requireBucket, type S3Operation } from '../operation.js';

/** HeadBucket (`HEAD /bucket`): s3:ListBucket on the bucket (S3 API Reference, HeadBucket). */
export const headBucket: S3Operation = {
  name: 'HeadBucket',
  bucket: 'existing',
  authorize: (req) => [{ action: 's3:ListBucket', resource: bucketArn(requireBucket(req)) }],
  handle: (_req, ctx) =>
    Promise.resolve({
      status: 200,
      headers: { ...baseHeaders(ctx), 'x-amz-bucket-region': ctx.bucket?.region ?? ctx.region },
    }),
};
