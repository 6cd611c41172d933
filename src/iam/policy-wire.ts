import { boolean, integer, list, string, structure, timestamp, type ValueOf } from '../protocol/shape.js';
import type { ManagedPolicy } from '../store/managed-policies.js';
import { tagShape, tagToWire } from './wire.js';

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
