import { aclContext, checkAclBody, checkAclHeaders, hasAclHeaders } from '../acl.js';
import { baseHeaders, bucketArn, requireBucket, type S3Operation } from '../operation.js';
import { readXmlBody } from '../xml-body.js';

/**
 * PutBucketAcl (`PUT /bucket?acl`): s3:PutBucketAcl with `s3:x-amz-acl` / `s3:x-amz-grant-*`
 * (iam-policy.md §5.2, §5.3). ACLs are disabled (BucketOwnerEnforced, s3/acl.ts): an ACL (headers, or an
 * AccessControlPolicy body) that grants only the owner FULL_CONTROL is accepted and changes nothing;
 * any other is AccessControlListNotSupported.
 */
export const putBucketAcl: S3Operation = {
  name: 'PutBucketAcl',
  bucket: 'existing',
  authorize: (req) => [
    { action: 's3:PutBucketAcl', resource: bucketArn(requireBucket(req)), context: aclContext(req) },
  ],
  async handle(req, ctx) {
    // INVARIANT: `bucket: 'existing'` operations are handed the bucket they were authorized on.
    const owner = ctx.bucket?.accountId ?? '';
    if (hasAclHeaders(req)) checkAclHeaders(req, 'bucket', owner);
    else checkAclBody(await readXmlBody(req, 'AccessControlPolicy', { maxBytes: 64 * 1024 }), owner);
    return { status: 200, headers: baseHeaders(ctx) };
  },
};
