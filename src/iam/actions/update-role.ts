import { integer, string, structure } from '../../protocol/shape.js';
import { isStoreError } from '../../store/errors.js';
import { noSuchRole } from '../errors.js';
import type { QueryAction } from '../query-action.js';
import { roleNeed } from '../authorization-needs.js';
import { callerAccount, roleNameType } from '../wire.js';

const input = structure({
  RoleName: roleNameType(),
  Description: string({ max: 1000, pattern: '[\\u0009\\u000A\\u000D\\u0020-\\u007E\\u00A1-\\u00FF]*' }),
  MaxSessionDuration: integer({ min: 3600, max: 43200 }),
});
const output = structure({});

/**
 * IAM UpdateRole: changes the description and the maximum session duration (seconds, 3600..43200);
 * a member left out keeps its value.
 */
export const updateRole: QueryAction<typeof input, typeof output> = {
  name: 'UpdateRole',
  input,
  output,
  authentication: 'sigv4',
  authorize: (i, ctx) => roleNeed(ctx, 'iam:UpdateRole', i.RoleName),
  handle: async (i, ctx) => {
    try {
      await ctx.store.roles.update(callerAccount(ctx).accountId, i.RoleName, {
        ...(i.Description !== undefined ? { description: i.Description } : {}),
        ...(i.MaxSessionDuration !== undefined ? { maxSessionDuration: i.MaxSessionDuration } : {}),
      });
      return {};
    } catch (e) {
      if (isStoreError(e, 'notFound')) throw noSuchRole(i.RoleName);
      throw e;
    }
  },
};
