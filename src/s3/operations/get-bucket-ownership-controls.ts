import { element, textElement } from '../../protocol/xml.js';
import { baseHeaders, bucketArn, requireBucket, type S3Operation } from '../operation.js';
import { S3_NAMESPACE, s3Xml } from '../xml.js';

/** The one Object Ownership setting of every openirsa bucket (s3/acl.ts). */
export const OBJECT_OWNERSHIP = 'BucketOwnerEnforced';

/**
 * GetBucketOwnershipControls (`GET /bucket?ownershipControls`): s3:GetBucketOwnershipControls. Every
 * bucket is `BucketOwnerEnforced`, S3's default for new buckets since April 2023 (ACLs disabled).
 */
export const getBucketOwnershipControls: S3Operation = {
  name: 'GetBucketOwnershipControls',
  bucket: 'existing',
  authorize: (req) => [{ action: 's3:GetBucketOwnershipControls', resource: bucketArn(requireBucket(req)) }],
  handle(_req, ctx) {
    const body = s3Xml(
      element('OwnershipControls', [element('Rule', [textElement('ObjectOwnership', OBJECT_OWNERSHIP)])], {
        xmlns: S3_NAMESPACE,
      }),
    );
    return Promise.resolve({
      status: 200,
      headers: { ...baseHeaders(ctx), 'Content-Type': 'application/xml' },
      body,
    });
  },
};
