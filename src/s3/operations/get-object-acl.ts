import { aclPolicyXml } from '../acl.js';
import { noSuchKey } from '../errors.js';
import { baseHeaders, objectArn, requireKey, type S3Operation } from '../operation.js';

/**
 * GetObjectAcl (`GET /bucket/key?acl`): s3:GetObjectAcl (iam-policy.md §5.3). ACLs are disabled
 * (BucketOwnerEnforced, s3/acl.ts): the bucket owner owns every object, with FULL_CONTROL. A missing
 * object is NoSuchKey. `versionId` (s3:GetObjectVersionAcl) needs versioning, which is not implemented.
 */
export const getObjectAcl: S3Operation = {
  name: 'GetObjectAcl',
  bucket: 'existing',
  authorize(req) {
    const { bucket, key } = requireKey(req);
    return [{ action: 's3:GetObjectAcl', resource: objectArn(bucket, key) }];
  },
  async handle(req, ctx) {
    const { bucket, key } = requireKey(req);
    if ((await ctx.store.objects.get(bucket, key)) === undefined) throw noSuchKey(key);
    // INVARIANT: `bucket: 'existing'` operations are handed the bucket they were authorized on.
    const owner = ctx.bucket?.accountId ?? '';
    return {
      status: 200,
      headers: { ...baseHeaders(ctx), 'Content-Type': 'application/xml' },
      body: aclPolicyXml(owner),
    };
  },
};
