import { string, structure } from '../../protocol/shape.js';
import { iamError, noSuchRole } from '../errors.js';
import type { QueryAction } from '../query-action.js';
import { roleNeed } from '../authorization-needs.js';
import { callerAccount, encodeDocument, policyNameType, roleNameType } from '../wire.js';

const input = structure({ RoleName: roleNameType(), PolicyName: policyNameType() });
const output = structure({
  RoleName: string({ required: true }),
  PolicyName: string({ required: true }),
  PolicyDocument: string({ required: true }),
});

/** IAM GetRolePolicy: an inline policy, its document percent-encoded as AWS sends it. */
export const getRolePolicy: QueryAction<typeof input, typeof output> = {
  name: 'GetRolePolicy',
  input,
  output,
  authentication: 'sigv4',
  authorize: (i, ctx) => roleNeed(ctx, 'iam:GetRolePolicy', i.RoleName),
  handle: async (i, ctx) => {
    const accountId = callerAccount(ctx).accountId;
    const role = await ctx.store.roles.get(accountId, i.RoleName);
    if (role === undefined) throw noSuchRole(i.RoleName);
    const policy = await ctx.store.roles.getPolicy(accountId, i.RoleName, i.PolicyName);
    if (policy === undefined) {
      throw iamError('NoSuchEntity', `The role policy with name ${i.PolicyName} cannot be found.`);
    }
    return { RoleName: role.name, PolicyName: policy.name, PolicyDocument: encodeDocument(policy.document) };
  },
};
