import { structure } from '../../protocol/shape.js';
import { isStoreError } from '../../store/errors.js';
import { checkPolicyDocument, noSuchRole } from '../errors.js';
import type { QueryAction } from '../query-action.js';
import { roleNeed } from '../authorization-needs.js';
import { callerAccount, policyDocumentType, roleNameType } from '../wire.js';

const input = structure({ RoleName: roleNameType(), PolicyDocument: policyDocumentType() });
const output = structure({});

/** IAM UpdateAssumeRolePolicy: replaces the role's trust policy, validated as a trust policy. */
export const updateAssumeRolePolicy: QueryAction<typeof input, typeof output> = {
  name: 'UpdateAssumeRolePolicy',
  input,
  output,
  authentication: 'sigv4',
  authorize: (i, ctx) => roleNeed(ctx, 'iam:UpdateAssumeRolePolicy', i.RoleName),
  handle: async (i, ctx) => {
    checkPolicyDocument(i.PolicyDocument, 'trust');
    try {
      await ctx.store.roles.update(callerAccount(ctx).accountId, i.RoleName, {
        trustPolicy: i.PolicyDocument,
      });
      return {};
    } catch (e) {
      if (isStoreError(e, 'notFound')) throw noSuchRole(i.RoleName);
      throw e;
    }
  },
};
