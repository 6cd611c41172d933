import { structure } from '../../protocol/shape.js';
import { isStoreError } from '../../store/errors.js';
import { iamError, noSuchRole } from '../errors.js';
import type { QueryAction } from '../query-action.js';
import { roleNeed } from '../authorization-needs.js';
import { callerAccount, roleNameType } from '../wire.js';

const input = structure({ RoleName: roleNameType() });
const output = structure({});

/** IAM DeleteRole: refused with `DeleteConflict` while the role has inline or attached policies. */
export const deleteRole: QueryAction<typeof input, typeof output> = {
  name: 'DeleteRole',
  input,
  output,
  authentication: 'sigv4',
  authorize: (i, ctx) => roleNeed(ctx, 'iam:DeleteRole', i.RoleName),
  handle: async (i, ctx) => {
    try {
      await ctx.store.roles.delete(callerAccount(ctx).accountId, i.RoleName);
      return {};
    } catch (e) {
      if (isStoreError(e, 'notFound')) throw noSuchRole(i.RoleName);
      if (isStoreError(e, 'deleteConflict')) {
        throw iamError(
          'DeleteConflict',
          e.reason === 'attachedPolicies'
            ? // ⚠ wording for attached policies unconfirmed.
              'Cannot delete entity, must detach all policies first.'
            : 'Cannot delete entity, must delete policies first.',
        );
      }
      throw e;
    }
  },
};
