import { structure } from '../../protocol/shape.js';
import { isStoreError } from '../../store/errors.js';
import { checkPolicyDocument, noSuchRole } from '../errors.js';
import type { QueryAction } from '../query-action.js';
import { roleNeed } from '../authorization-needs.js';
import { callerAccount, policyDocumentType, policyNameType, roleNameType } from '../wire.js';

const input = structure({
  RoleName: roleNameType(),
  PolicyName: policyNameType(),
  PolicyDocument: policyDocumentType(),
});
const output = structure({});

/** IAM PutRolePolicy: creates or replaces an inline policy, validated as an identity policy. */
export const putRolePolicy: QueryAction<typeof input, typeof output> = {
  name: 'PutRolePolicy',
  input,
  output,
  authentication: 'sigv4',
  authorize: (i, ctx) => roleNeed(ctx, 'iam:PutRolePolicy', i.RoleName),
  handle: async (i, ctx) => {
    checkPolicyDocument(i.PolicyDocument, 'identity');
    try {
      await ctx.store.roles.putPolicy(callerAccount(ctx).accountId, i.RoleName, {
        name: i.PolicyName,
        document: i.PolicyDocument,
      });
      return {};
    } catch (e) {
      if (isStoreError(e, 'notFound')) throw noSuchRole(i.RoleName);
      throw e;
    }
  },
};
