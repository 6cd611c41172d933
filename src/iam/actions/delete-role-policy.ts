import { structure } from '../../protocol/shape.js';
import { isStoreError } from '../../store/errors.js';
import { iamError, noSuchRole } from '../errors.js';
import type { QueryAction } from '../query-action.js';
import { roleNeed } from '../authorization-needs.js';
import { callerAccount, policyNameType, roleNameType } from '../wire.js';

const input = structure({ RoleName: roleNameType(), PolicyName: policyNameType() });
const output = structure({});

/** IAM DeleteRolePolicy: removes an inline policy. */
export const deleteRolePolicy: QueryAction<typeof input, typeof output> = {
  name: 'DeleteRolePolicy',
  input,
  output,
  authentication: 'sigv4',
  authorize: (i, ctx) => roleNeed(ctx, 'iam:DeleteRolePolicy', i.RoleName),
  handle: async (i, ctx) => {
    try {
      await ctx.store.roles.deletePolicy(callerAccount(ctx).accountId, i.RoleName, i.PolicyName);
      return {};
    } catch (e) {
      if (isStoreError(e, 'notFound')) {
        if (e.entity === 'inlinePolicy') {
          throw iamError('NoSuchEntity', `The role policy with name ${i.PolicyName} cannot be found.`);
        }
        throw noSuchRole(i.RoleName);
      }
      throw e;
    }
  },
};
