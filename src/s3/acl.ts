import { element, textElement, type XmlNode } from '../protocol/xml.js';
import { notImplemented } from '../shared/aws-error.js';
import type { Bucket } from '../store/buckets.js';
import type { XmlElement } from '../protocol/xml-parse.js';
import { s3Error } from './errors.js';
import { header, type S3Request } from './operation.js';
import { canonicalUserId, ownerXml } from './owner.js';
import { S3_NAMESPACE, s3Xml } from './xml.js';

/**
 * ACLs as S3 has them for every bucket created since April 2023: Object Ownership `BucketOwnerEnforced`,
 * ACLs disabled (S3 User Guide, "Controlling ownership of objects and disabling ACLs for your bucket").
 * Reading an ACL still works and answers the bucket owner with FULL_CONTROL; setting one is accepted only
 * when it grants nothing but that (canned `private`, `bucket-owner-full-control` on objects, a grant or
 * an AccessControlPolicy body giving the owner FULL_CONTROL); any other ACL is 400
 * AccessControlListNotSupported "The bucket does not allow ACLs" (the same guide: "Requests to set ACLs
 * or update ACLs fail and return the 400 error code AccessControlListNotSupported"), and on CreateBucket
 * 400 InvalidBucketAclWithObjectOwnership.
 * ⚠ `private` on an object (the guide names only `bucket-owner-full-control`) is accepted: with the bucket
 * owner owning every object it grants the same.
 */
export const ACLS_DISABLED_MESSAGE = 'The bucket does not allow ACLs';

/** The grant headers of S3's ACL API (PutObject, CreateBucket, Put*Acl, ...). */
export const GRANT_HEADERS = [
  'x-amz-grant-read',
  'x-amz-grant-write',
  'x-amz-grant-read-acp',
  'x-amz-grant-write-acp',
  'x-amz-grant-full-control',
] as const;

/** What an ACL is set on: canned ACLs differ (`bucket-owner-full-control` is an object ACL). */
export type AclTarget = 'bucket' | 'object';

const CANNED_ALLOWED: Readonly<Record<AclTarget, readonly string[]>> = {
  bucket: ['private'],
  object: ['private', 'bucket-owner-full-control'],
};

export function aclNotSupported() {
  return s3Error('AccessControlListNotSupported', ACLS_DISABLED_MESSAGE);
}

/**
 * CreateBucket's own answer to an ACL the new bucket cannot have (answered by AWS since April 2023:
 * awslabs/game-analytics-pipeline#8, aws-cloudformation/cloudformation-coverage-roadmap#1606).
 */
export function bucketAclWithObjectOwnership() {
  return s3Error(
    'InvalidBucketAclWithObjectOwnership',
    "Bucket cannot have ACLs set with ObjectOwnership's BucketOwnerEnforced setting",
  );
}

/** Whether the request sets an ACL with headers (`x-amz-acl`, `x-amz-grant-*`). */
export function hasAclHeaders(req: S3Request): boolean {
  return Object.keys(req.headers).some((h) => h === 'x-amz-acl' || h.startsWith('x-amz-grant-'));
}

/** `s3:x-amz-acl` and `s3:x-amz-grant-*` for the headers present (iam-policy.md §5.2). */
export function aclContext(req: S3Request): Map<string, string> {
  const context = new Map<string, string>();
  for (const name of ['x-amz-acl', ...GRANT_HEADERS]) {
    const value = header(req, name);
    if (value !== undefined) context.set(`s3:${name}`, value);
  }
  return context;
}

/**
 * Refuses ACL headers that grant more than the bucket owner's FULL_CONTROL. `ownerAccount` is the
 * account of the bucket (the owner of every object in it).
 */
export function checkAclHeaders(
  req: S3Request,
  target: AclTarget,
  ownerAccount: string,
  refusal: () => Error = aclNotSupported,
): void {
  const canned = header(req, 'x-amz-acl');
  if (canned !== undefined && !CANNED_ALLOWED[target].includes(canned.trim())) throw refusal();
  for (const name of Object.keys(req.headers)) {
    if (!name.startsWith('x-amz-grant-')) continue;
    if (name !== 'x-amz-grant-full-control') throw refusal();
    const grantees = (header(req, name) ?? '').split(',').map((g) => g.trim());
    if (!grantees.every((g) => isOwnerGrantee(g, ownerAccount))) throw refusal();
  }
}

/** `id="<canonical id>"` (quotes optional) naming the owner. */
function isOwnerGrantee(grantee: string, ownerAccount: string): boolean {
  const m = /^id\s*=\s*"?([0-9a-fA-F]{64})"?$/.exec(grantee);
  return m !== null && m[1]?.toLowerCase() === canonicalUserId(ownerAccount);
}

/** The ACL headers of a write into an existing bucket (PutObject, CopyObject, CreateMultipartUpload). */
export function checkObjectWriteAcl(req: S3Request, bucket: Bucket | undefined): void {
  // INVARIANT: these operations run on an existing bucket (`bucket: 'existing'`), handed to them.
  if (hasAclHeaders(req)) checkAclHeaders(req, 'object', bucket?.accountId ?? '');
}

/**
 * CreateBucket's `x-amz-object-ownership`: `BucketOwnerEnforced` (the default) is what every openirsa
 * bucket has; `BucketOwnerPreferred` and `ObjectWriter` turn ACLs on, which is not implemented (501).
 */
export function checkObjectOwnershipHeader(req: S3Request): void {
  const value = header(req, 'x-amz-object-ownership');
  if (value === undefined || value === 'BucketOwnerEnforced') return;
  throw notImplemented(
    'S3',
    `CreateBucket with x-amz-object-ownership \`${value.slice(0, 32)}\` (ACLs enabled)`,
  );
}

/**
 * Refuses an AccessControlPolicy body unless every grant gives the owner FULL_CONTROL (and there is at
 * least one: an empty list would take the owner's access away, which S3 does not do with ACLs disabled).
 */
export function checkAclBody(root: XmlElement, ownerAccount: string): void {
  const list = root.children.find((c) => c.localName === 'AccessControlList');
  const grants = list?.children.filter((c) => c.localName === 'Grant') ?? [];
  if (grants.length === 0) throw aclNotSupported();
  for (const grant of grants) {
    const grantee = grant.children.find((c) => c.localName === 'Grantee');
    const id = grantee?.children
      .find((c) => c.localName === 'ID')
      ?.text.trim()
      .toLowerCase();
    const permission = grant.children.find((c) => c.localName === 'Permission')?.text.trim();
    const type = [...(grantee?.attributes ?? new Map<string, string>())].find(([k]) =>
      k.endsWith(':type'),
    )?.[1];
    if (type !== 'CanonicalUser' || id !== canonicalUserId(ownerAccount) || permission !== 'FULL_CONTROL') {
      throw aclNotSupported();
    }
  }
}

/** GetBucketAcl's and GetObjectAcl's answer: the owner, and one grant of FULL_CONTROL to it. */
export function aclPolicyXml(ownerAccount: string): string {
  const grantee: XmlNode = element(
    'Grantee',
    [textElement('ID', canonicalUserId(ownerAccount)), textElement('DisplayName', ownerAccount)],
    { 'xmlns:xsi': 'http://www.w3.org/2001/XMLSchema-instance', 'xsi:type': 'CanonicalUser' },
  );
  return s3Xml(
    element(
      'AccessControlPolicy',
      [
        ownerXml(ownerAccount),
        element('AccessControlList', [
          element('Grant', [grantee, textElement('Permission', 'FULL_CONTROL')]),
        ]),
      ],
      { xmlns: S3_NAMESPACE },
    ),
  );
}
