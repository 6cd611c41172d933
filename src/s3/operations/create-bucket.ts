import { isStoreError } from '../../store/errors.js';
import {
  aclContext,
  bucketAclWithObjectOwnership,
  checkAclHeaders,
  checkObjectOwnershipHeader,
  hasAclHeaders,
} from '../acl.js';
import { isValidBucketName } from '../bucket-name.js';
import { invalidBucketName, s3Error } from '../errors.js';
import {
  baseHeaders,
  bucketArn,
  header,
  requireBucket,
  type S3AuthorizationNeed,
  type S3Operation,
} from '../operation.js';
import { readSmallPayload } from '../payload.js';

/** The largest CreateBucketConfiguration body read (a few hundred bytes in practice). */
const MAX_CONFIGURATION_BYTES = 64 * 1024;

/** ⚠ S3's MalformedXML wording (S3 API Reference, error codes). */
const MALFORMED_XML_MESSAGE =
  'The XML you provided was not well-formed or did not validate against our published schema';

/**
 * CreateBucket (`PUT /bucket`): s3:CreateBucket on the bucket, plus s3:PutBucketAcl when ACL headers
 * come with it and s3:PutBucketOwnershipControls for `x-amz-object-ownership` (iam-policy.md §5.3).
 * Bucket names are global: a name another account holds is BucketAlreadyExists; one the caller's account
 * holds is BucketAlreadyOwnedByYou, except in us-east-1, where S3 answers 200 for legacy compatibility
 * (S3 API Reference, CreateBucket, "BucketAlreadyOwnedByYou").
 */
export const createBucket: S3Operation = {
  name: 'CreateBucket',
  bucket: 'any',
  authorize(req) {
    const arn = bucketArn(requireBucket(req));
    // s3:x-amz-acl / s3:x-amz-grant-* on both (iam-policy.md §5.2: "CreateBucket").
    const context = aclContext(req);
    const needs: S3AuthorizationNeed[] = [{ action: 's3:CreateBucket', resource: arn, context }];
    if (hasAclHeaders(req)) needs.push({ action: 's3:PutBucketAcl', resource: arn, context });
    if (header(req, 'x-amz-object-ownership') !== undefined) {
      needs.push({ action: 's3:PutBucketOwnershipControls', resource: arn });
    }
    return needs;
  },
  async handle(req, ctx) {
    const name = requireBucket(req);
    if (!isValidBucketName(name)) throw invalidBucketName(name);
    if (ctx.caller.kind === 'anonymous') throw s3Error('AccessDenied', 'Access Denied');
    const accountId = ctx.caller.accountId;
    // ACLs disabled (s3/acl.ts): only an ACL granting the new bucket's owner FULL_CONTROL is accepted.
    if (hasAclHeaders(req)) checkAclHeaders(req, 'bucket', accountId, bucketAclWithObjectOwnership);
    checkObjectOwnershipHeader(req);
    const body = await readSmallPayload(req.body(), MAX_CONFIGURATION_BYTES, () =>
      s3Error('MalformedXML', MALFORMED_XML_MESSAGE),
    );
    checkLocation(locationConstraint(body), ctx.region);
    const headers = { ...baseHeaders(ctx), Location: `/${name}` };
    const existing = ctx.bucket;
    if (existing !== undefined) return alreadyThere(existing.accountId, accountId, name, ctx.region, headers);
    try {
      await ctx.store.buckets.create({ name, accountId, region: ctx.region, createdAt: ctx.clock.now() });
    } catch (error) {
      // Another request created it meanwhile.
      if (!isStoreError(error, 'alreadyExists')) throw error;
      const now = await ctx.store.buckets.get(name);
      return alreadyThere(now?.accountId ?? '', accountId, name, ctx.region, headers);
    }
    return { status: 200, headers };
  },
};

function alreadyThere(
  owner: string,
  caller: string,
  name: string,
  region: string,
  headers: Record<string, string>,
) {
  if (owner !== caller) {
    // (S3 API Reference, error codes: BucketAlreadyExists)
    throw s3Error(
      'BucketAlreadyExists',
      'The requested bucket name is not available. The bucket namespace is shared by all users of the system. Please select a different name and try again.',
      { BucketName: name },
    );
  }
  if (region === 'us-east-1') return { status: 200, headers };
  // (S3 API Reference, error codes: BucketAlreadyOwnedByYou)
  throw s3Error(
    'BucketAlreadyOwnedByYou',
    'Your previous request to create the named bucket succeeded and you already own it.',
    { BucketName: name },
  );
}

/**
 * The `LocationConstraint` of a CreateBucketConfiguration body, `''` when there is none. A small,
 * strict reader of exactly this document until the XML request parser (protocol/xml-parse.ts) is merged:
 * anything else is MalformedXML.
 */
export function locationConstraint(body: Buffer): string {
  const text = body.toString('utf8').trim();
  if (text === '') return '';
  const match =
    /^(?:<\?xml[^>]*\?>\s*)?<CreateBucketConfiguration(?:\s+xmlns="[^"]*")?\s*(?:\/>|>\s*(?:<LocationConstraint>([a-z0-9-]{0,64})<\/LocationConstraint>\s*|<LocationConstraint\s*\/>\s*)?<\/CreateBucketConfiguration>)$/.exec(
      text,
    );
  if (match === null) throw s3Error('MalformedXML', MALFORMED_XML_MESSAGE);
  return match[1] ?? '';
}

/**
 * A bucket is created in the region of the endpoint: a constraint naming another region is refused, as is
 * a missing one outside us-east-1 (⚠ S3's wording as quoted in public issues, e.g. boto/boto3#4400).
 */
function checkLocation(constraint: string, region: string): void {
  if (constraint === '' && region === 'us-east-1') return;
  if (constraint === region && region !== 'us-east-1') return;
  if (constraint === 'us-east-1') {
    throw s3Error('InvalidLocationConstraint', 'The specified location-constraint is not valid', {
      LocationConstraint: constraint,
    });
  }
  const which = constraint === '' ? 'unspecified' : constraint;
  throw s3Error(
    'IllegalLocationConstraintException',
    `The ${which} location constraint is incompatible for the region specific endpoint this request was sent to.`,
  );
}
