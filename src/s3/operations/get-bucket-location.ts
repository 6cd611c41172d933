import { baseHeaders, bucketArn, requireBucket, type S3Operation } from '../operation.js';
import { S3_NAMESPACE, s3Xml } from '../xml.js';

/**
 * GetBucketLocation (`GET /bucket?location`): s3:GetBucketLocation. us-east-1 is an empty constraint
 * (S3 API Reference, GetBucketLocation: "Buckets in Region us-east-1 have a LocationConstraint of null").
 */
export const getBucketLocation: S3Operation = {
  name: 'GetBucketLocation',
  bucket: 'existing',
  authorize: (req) => [{ action: 's3:GetBucketLocation', resource: bucketArn(requireBucket(req)) }],
  handle(_req, ctx) {
    const region = ctx.bucket?.region ?? ctx.region;
    const body = s3Xml({
      name: 'LocationConstraint',
      attributes: { xmlns: S3_NAMESPACE },
      text: region === 'us-east-1' ? '' : region,
    });
    return Promise.resolve({
      status: 200,
      headers: { ...baseHeaders(ctx), 'Content-Type': 'application/xml' },
      body,
    });
  },
};
