import { aclContext, checkAclBody, checkAclHeaders, hasAclHeaders } from '../acl.js';
import { noSuchKey } from '../errors.js';
import { baseHeaders, objectArn, requireKey, type S3Operation } from '../operation.js';
import { readXmlBody } from '../xml-body.js';

/**
 * PutObjectAcl (`PUT /bucket/key?acl`): s3:PutObjectAcl with `s3:x-amz-acl` / `s3:x-amz-grant-*`
 * (iam-policy.md §5.2, §5.3). ACLs are disabled (BucketOwnerEnforced, s3/acl.ts): `private`,
 * `bucket-owner-full-control`, or a grant/body giving only the bucket owner FULL_CONTROL is accepted and
 * changes nothing; any other ACL is AccessControlListNotSupported. A missing object is NoSuchKey.
 * ⚠ s3:ExistingObjectTag/<key> (SAR lists it for PutObjectAcl) is not set.
 */
export const putObjectAcl: S3Operation = {
  name: 'PutObjectAcl',
  bucket: 'existing',
  authorize(req) {
    const { bucket, key } = requireKey(req);
    return [{ action: 's3:PutObjectAcl', resource: objectArn(bucket, key), context: aclContext(req) }];
  },
  async handle(req, ctx) {
    const { bucket, key } = requireKey(req);
    // INVARIANT: `bucket: 'existing'` operations are handed the bucket they were authorized on.
    const owner = ctx.bucket?.accountId ?? '';
    if (hasAclHeaders(req)) checkAclHeaders(req, 'object', owner);
    else checkAclBody(await readXmlBody(req, 'AccessControlPolicy', { maxBytes: 64 * 1024 }), owner);
    if ((await ctx.store.objects.get(bucket, key)) === undefined) throw noSuchKey(key);
    return { status: 200, headers: baseHeaders(ctx) };
  },
};
