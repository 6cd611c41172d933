import { structure } from '../../protocol/shape.js';
import { isStoreError } from '../../store/errors.js';
import { noSuchRole } from '../errors.js';
import type { QueryAction } from '../query-action.js';
import { boundaryContext } from '../request-context.js';
import { roleNeed } from '../authorization-needs.js';
import { callerAccount, roleNameType } from '../wire.js';

const input = structure({ RoleName: roleNameType() });
const output = structure({});

/**
 * IAM DeleteRolePermissionsBoundary: the role is no longer bounded. ⚠ For a role without a boundary
 * AWS's answer is unconfirmed; this succeeds, as removing what is not there changes nothing.
 */
export const deleteRolePermissionsBoundary: QueryAction<typeof input, typeof output> = {
  name: 'DeleteRolePermissionsBoundary',
  input,
  output,
  authentication: 'sigv4',
  authorize: (i, ctx) =>
    roleNeed(ctx, 'iam:DeleteRolePermissionsBoundary', i.RoleName, (role) =>
      // ⚠ AWS's value of iam:PermissionsBoundary when removing one is unconfirmed: the boundary in place.
      boundaryContext(role?.permissionsBoundaryArn),
    ),
  handle: async (i, ctx) => {
    try {
      await ctx.store.roles.update(callerAccount(ctx).accountId, i.RoleName, {
        permissionsBoundaryArn: null,
      });
      return {};
    } catch (e) {
      if (isStoreError(e, 'notFound')) throw noSuchRole(i.RoleName);
      throw e;
    }
  },
};
