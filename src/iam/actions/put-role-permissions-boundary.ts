import { structure } from '../../protocol/shape.js';
import { noSuchBoundary, noSuchRole } from '../errors.js';
import type { QueryAction } from '../query-action.js';
import { boundaryContext } from '../request-context.js';
import { roleNeed } from '../authorization-needs.js';
import { arnType, callerAccount, roleNameType } from '../wire.js';

const input = structure({ RoleName: roleNameType(), PermissionsBoundary: arnType() });
const output = structure({});

/**
 * IAM PutRolePermissionsBoundary: sets (or replaces) the managed policy that bounds the role. It must
 * be a managed policy of the account: openirsa holds no AWS managed policies, so an
 * `arn:aws:iam::aws:policy/...` boundary is NoSuchEntity here.
 */
export const putRolePermissionsBoundary: QueryAction<typeof input, typeof output> = {
  name: 'PutRolePermissionsBoundary',
  input,
  output,
  authentication: 'sigv4',
  authorize: (i, ctx) =>
    roleNeed(ctx, 'iam:PutRolePermissionsBoundary', i.RoleName, () => boundaryContext(i.PermissionsBoundary)),
  handle: (i, ctx) =>
    ctx.store.transaction(async (tx) => {
      const { accountId } = callerAccount(ctx);
      const role = await tx.roles.get(accountId, i.RoleName);
      if (role === undefined) throw noSuchRole(i.RoleName);
      const policy = await tx.managedPolicies.get(accountId, i.PermissionsBoundary);
      if (policy === undefined) throw noSuchBoundary(i.PermissionsBoundary);
      await tx.roles.update(accountId, role.name, { permissionsBoundaryArn: policy.arn });
      return {};
    }),
};
