import { integer, string, structure } from '../../protocol/shape.js';
import { isStoreError } from '../../store/errors.js';
import { DEFAULT_MAX_SESSION_DURATION } from '../../store/roles.js';
import { checkPolicyDocument, iamError, noSuchBoundary } from '../errors.js';
import type { QueryAction } from '../query-action.js';
import { boundaryContext, requestTagContext } from '../request-context.js';
import { checkRequestTags } from '../tags.js';
import {
  optionalArnType,
  callerAccount,
  pathType,
  policyDocumentType,
  roleArn,
  roleNameType,
  roleShape,
  roleToWire,
  tagListType,
  tagsFromWire,
} from '../wire.js';

const input = structure({
  Path: pathType(),
  RoleName: roleNameType(),
  AssumeRolePolicyDocument: policyDocumentType(),
  Description: string({ max: 1000, pattern: '[\\u0009\\u000A\\u000D\\u0020-\\u007E\\u00A1-\\u00FF]*' }),
  MaxSessionDuration: integer({ min: 3600, max: 43200 }),
  PermissionsBoundary: optionalArnType(),
  Tags: tagListType(),
});

const output = structure({ Role: roleShape });

/**
 * IAM CreateRole: a role with its trust policy (validated as a trust policy, IAM's
 * `MalformedPolicyDocument` on error), `AROA...` id, ARN `arn:aws:iam::ACCOUNT:role/PATH/NAME`.
 */
export const createRole: QueryAction<typeof input, typeof output> = {
  name: 'CreateRole',
  input,
  output,
  authentication: 'sigv4',
  authorize: (i, ctx) => {
    const context = [...requestTagContext(tagsFromWire(i.Tags)), ...boundaryContext(i.PermissionsBoundary)];
    return [
      {
        action: 'iam:CreateRole',
        resource: roleArn(ctx, i.Path ?? '/', i.RoleName),
        ...(context.length > 0 ? { context: new Map(context) } : {}),
      },
    ];
  },
  handle: async (i, ctx) => {
    const { accountId } = callerAccount(ctx);
    checkPolicyDocument(i.AssumeRolePolicyDocument, 'trust');
    const tags = tagsFromWire(i.Tags);
    checkRequestTags(tags);
    const path = i.Path ?? '/';
    if (i.PermissionsBoundary !== undefined) {
      const boundary = await ctx.store.managedPolicies.get(accountId, i.PermissionsBoundary);
      if (boundary === undefined) throw noSuchBoundary(i.PermissionsBoundary);
    }
    try {
      const role = await ctx.store.roles.create({
        accountId,
        name: i.RoleName,
        id: ctx.ids.uniqueId('AROA'),
        path,
        arn: roleArn(ctx, path, i.RoleName),
        trustPolicy: i.AssumeRolePolicyDocument,
        ...(i.Description !== undefined ? { description: i.Description } : {}),
        maxSessionDuration: i.MaxSessionDuration ?? DEFAULT_MAX_SESSION_DURATION,
        ...(i.PermissionsBoundary !== undefined ? { permissionsBoundaryArn: i.PermissionsBoundary } : {}),
        tags,
        createdAt: ctx.clock.now(),
      });
      return { Role: roleToWire(role) };
    } catch (e) {
      if (isStoreError(e, 'alreadyExists')) {
        throw iamError('EntityAlreadyExists', `Role with name ${i.RoleName} already exists.`);
      }
      throw e;
    }
  },
};
