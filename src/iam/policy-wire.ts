import { boolean, integer, list, string, structure, timestamp, type ValueOf } from '../protocol/shape.js';
import type { ManagedPolicy, PolicyVersion } from '../store/managed-policies.js';
import type { AwsError } from '../shared/aws-error.js';
import { iamError } from './errors.js';
import { encodeDocument, tagShape, tagToWire } from './wire.js';

/** IAM's `Policy` structure, members in the model's order. */
export const policyShape = structure(
  {
    PolicyName: string(),
    PolicyId: string(),
    Arn: string(),
    Path: string(),
    DefaultVersionId: string(),
    AttachmentCount: integer(),
    PermissionsBoundaryUsageCount: integer(),
    IsAttachable: boolean(),
    Description: string(),
    CreateDate: timestamp(),
    UpdateDate: timestamp(),
    Tags: list(tagShape),
  },
  { required: true },
);

export function policyToWire(p: ManagedPolicy): ValueOf<typeof policyShape> {
  return {
    PolicyName: p.name,
    PolicyId: p.id,
    Arn: p.arn,
    Path: p.path,
    DefaultVersionId: p.defaultVersionId,
    AttachmentCount: p.attachmentCount,
    PermissionsBoundaryUsageCount: p.permissionsBoundaryUsageCount,
    IsAttachable: true,
    ...(p.description !== undefined ? { Description: p.description } : {}),
    CreateDate: p.createdAt,
    UpdateDate: p.updatedAt,
    ...(p.tags.length > 0 ? { Tags: p.tags.map(tagToWire) } : {}),
  };
}

/** IAM's `policyVersionIdType` (botocore iam model). */
export const versionIdType = () => string({ required: true, pattern: 'v[1-9][0-9]*(\\.[A-Za-z0-9-]*)?' });

/** IAM's `PolicyVersion` structure, members in the model's order. */
export const policyVersionShape = structure({
  Document: string(),
  VersionId: string(),
  IsDefaultVersion: boolean(),
  CreateDate: timestamp(),
});

/**
 * A version as IAM sends it: with its document percent-encoded (GetPolicyVersion), or without it
 * (CreatePolicyVersion, ListPolicyVersions: AWS leaves `Document` out of those answers).
 */
export function policyVersionToWire(
  v: PolicyVersion,
  options: { document: boolean },
): ValueOf<typeof policyVersionShape> {
  return {
    ...(options.document ? { Document: encodeDocument(v.document) } : {}),
    VersionId: v.versionId,
    IsDefaultVersion: v.isDefault,
    CreateDate: v.createdAt,
  };
}

/** At most five versions per managed policy (IAM User Guide, "Versioning IAM policies"). */
export const MAX_POLICY_VERSIONS = 5;

/** `NoSuchEntity` for a version of an existing policy. ⚠ wording unconfirmed (as in GetPolicyVersion). */
export function noSuchPolicyVersion(arn: string, versionId: string): AwsError {
  return iamError('NoSuchEntity', `Policy ${arn} version ${versionId} does not exist.`);
}

/** What ListAttachedRolePolicies and ListAttachedUserPolicies answer. */
export const attachedPoliciesOutput = structure({
  AttachedPolicies: list(structure({ PolicyName: string(), PolicyArn: string() }), { required: true }),
  IsTruncated: boolean(),
  Marker: string(),
});

/**
 * `AttachedPolicies` of a page of attached policies: those under `pathPrefix` (default `/`), a filter
 * on the policies' paths, which their ARNs carry after `policy`.
 */
export function attachedPoliciesUnder(
  items: readonly { readonly name: string; readonly arn: string }[],
  pathPrefix: string | undefined,
): { PolicyName: string; PolicyArn: string }[] {
  const prefix = pathPrefix ?? '/';
  return items
    .filter((p) => (p.arn.split(':policy')[1] ?? '/').startsWith(prefix))
    .map((p) => ({ PolicyName: p.name, PolicyArn: p.arn }));
}
