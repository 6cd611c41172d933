import { integer, list, string, structure, timestamp, type ValueOf } from '../protocol/shape.js';
import type { Role } from '../store/roles.js';
import type { Tag } from '../store/types.js';
import { AwsError } from '../shared/aws-error.js';
import type { ActionContext } from './query-action.js';

/**
 * Wire shapes IAM actions share, with the model's constraints (botocore `iam/2010-05-08/service-2.json`),
 * and the conversions between the wire (AWS member names) and the store's domain model.
 */
export const roleNameType = () => string({ required: true, min: 1, max: 64, pattern: '[\\w+=,.@-]+' });
export const policyNameType = () => string({ required: true, min: 1, max: 128, pattern: '[\\w+=,.@-]+' });
export const policyDocumentType = () =>
  string({ required: true, min: 1, max: 131072, pattern: '[\\u0009\\u000A\\u000D\\u0020-\\u00FF]+' });
export const pathType = () =>
  string({ min: 1, max: 512, pattern: '(\\u002F)|(\\u002F[\\u0021-\\u007E]+\\u002F)' });
export const pathPrefixType = () => string({ min: 1, max: 512, pattern: '\\u002F[\\u0021-\\u007F]*' });
export const markerType = () => string({ min: 1, max: 320, pattern: '[\\u0020-\\u00FF]+' });
export const maxItemsType = () => integer({ min: 1, max: 1000 });
export const arnType = () => string({ required: true, min: 20, max: 2048 });
export const optionalArnType = () => string({ min: 20, max: 2048 });

export const tagShape = structure({
  Key: string({ required: true, min: 1, max: 128, pattern: '[\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]+' }),
  Value: string({ required: true, min: 0, max: 256, pattern: '[\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]*' }),
});
export const tagListType = () => list(tagShape, { max: 50 });

/** IAM's `Role` structure, members in the model's order. */
export const roleShape = structure(
  {
    Path: string({ required: true }),
    RoleName: string({ required: true }),
    RoleId: string({ required: true }),
    Arn: string({ required: true }),
    CreateDate: timestamp({ required: true }),
    AssumeRolePolicyDocument: string(),
    Description: string(),
    MaxSessionDuration: integer(),
    PermissionsBoundary: structure({ PermissionsBoundaryType: string(), PermissionsBoundaryArn: string() }),
    Tags: list(tagShape),
  },
  { required: true },
);

export type WireRole = ValueOf<typeof roleShape>;
export type WireTag = ValueOf<typeof tagShape>;

/**
 * Policy documents in IAM responses are percent-encoded JSON (IAM API Reference, GetRolePolicy:
 * "The policy document returned in this structure is URL-encoded compliant with RFC 3986").
 */
export function encodeDocument(document: string): string {
  return encodeURIComponent(document).replace(
    /[!'()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}

export function roleToWire(role: Role, options: { tags: boolean } = { tags: true }): WireRole {
  return {
    Path: role.path,
    RoleName: role.name,
    RoleId: role.id,
    Arn: role.arn,
    CreateDate: role.createdAt,
    AssumeRolePolicyDocument: encodeDocument(role.trustPolicy),
    ...(role.description !== undefined ? { Description: role.description } : {}),
    MaxSessionDuration: role.maxSessionDuration,
    ...(role.permissionsBoundaryArn !== undefined
      ? {
          PermissionsBoundary: {
            PermissionsBoundaryType: 'PermissionsBoundaryPolicy',
            PermissionsBoundaryArn: role.permissionsBoundaryArn,
          },
        }
      : {}),
    ...(options.tags && role.tags.length > 0 ? { Tags: role.tags.map(tagToWire) } : {}),
  };
}

export function tagToWire(tag: Tag): WireTag {
  return { Key: tag.key, Value: tag.value };
}

export function tagsFromWire(tags: readonly WireTag[] | undefined): Tag[] {
  return (tags ?? []).map((t) => ({ key: t.Key, value: t.Value }));
}

/** The account and partition an IAM call acts in: the caller's own. */
export function callerAccount(ctx: ActionContext): { accountId: string; partition: string } {
  const caller = ctx.caller;
  if (caller.kind === 'anonymous') {
    // INVARIANT: unreachable, IAM actions are `sigv4`; the pipeline authenticates first.
    throw new AwsError('MissingAuthenticationToken', 403, 'Request is missing Authentication Token');
  }
  return { accountId: caller.accountId, partition: caller.partition };
}

/** `arn:PARTITION:iam::ACCOUNT:role/PATH/NAME` (the path starts and ends with `/`). */
export function roleArn(ctx: ActionContext, path: string, name: string): string {
  const { accountId, partition } = callerAccount(ctx);
  return `arn:${partition}:iam::${accountId}:role${path}${name}`;
}

/** `arn:PARTITION:iam::ACCOUNT:policy/PATH/NAME` */
export function policyArn(ctx: ActionContext, path: string, name: string): string {
  const { accountId, partition } = callerAccount(ctx);
  return `arn:${partition}:iam::${accountId}:policy${path}${name}`;
}

/**
 * The root-path ARN of a role name. Role actions authorize on the stored role's real ARN instead
 * (`roleNeed` in authorization-needs.ts); this is its fallback for a role that does not exist.
 */
export function roleResource(ctx: ActionContext, name: string): string {
  return roleArn(ctx, '/', name);
}
