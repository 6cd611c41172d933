import { string, structure } from '../../protocol/shape.js';
import { isStoreError } from '../../store/errors.js';
import { noSuchRole } from '../errors.js';
import type { QueryAction } from '../query-action.js';
import { roleNeed } from '../authorization-needs.js';
import { callerAccount, roleNameType, roleShape, roleToWire } from '../wire.js';

const input = structure({
  RoleName: roleNameType(),
  Description: string({
    required: true,
    max: 1000,
    pattern: '[\\u0009\\u000A\\u000D\\u0020-\\u007E\\u00A1-\\u00FF]*',
  }),
});
const output = structure({ Role: roleShape });

/** IAM UpdateRoleDescription: replaces the description and answers the role as it now is. */
export const updateRoleDescription: QueryAction<typeof input, typeof output> = {
  name: 'UpdateRoleDescription',
  input,
  output,
  authentication: 'sigv4',
  authorize: (i, ctx) => roleNeed(ctx, 'iam:UpdateRoleDescription', i.RoleName),
  handle: async (i, ctx) => {
    try {
      const role = await ctx.store.roles.update(callerAccount(ctx).accountId, i.RoleName, {
        description: i.Description,
      });
      return { Role: roleToWire(role) };
    } catch (e) {
      if (isStoreError(e, 'notFound')) throw noSuchRole(i.RoleName);
      throw e;
    }
  },
};
