import { structure } from '../../protocol/shape.js';
import { noSuchPolicy } from '../errors.js';
import type { QueryAction } from '../query-action.js';
import { noSuchUser, onUser, userNameType, userResource } from '../user-wire.js';
import { arnType, callerAccount } from '../wire.js';

const input = structure({ UserName: userNameType(), PermissionsBoundary: arnType() });
const output = structure({});

/**
 * IAM PutUserPermissionsBoundary: sets (or replaces) the managed policy that bounds what the user's
 * identity policies can allow. The policy must exist in the account.
 */
export const putUserPermissionsBoundary: QueryAction<typeof input, typeof output> = {
  name: 'PutUserPermissionsBoundary',
  input,
  output,
  authentication: 'sigv4',
  authorize: async (i, ctx) => [
    { action: 'iam:PutUserPermissionsBoundary', resource: await userResource(ctx, i.UserName) },
  ],
  handle: async (i, ctx) => {
    const { accountId } = callerAccount(ctx);
    const user = await ctx.store.users.get(accountId, i.UserName);
    if (user === undefined) throw noSuchUser(i.UserName);
    const policy = await ctx.store.managedPolicies.get(accountId, i.PermissionsBoundary);
    // ⚠ AWS's wording for a missing boundary policy is unconfirmed (as CreateRole).
    if (policy === undefined) throw noSuchPolicy(i.PermissionsBoundary);
    await onUser(i.UserName, () =>
      ctx.store.users.update(accountId, i.UserName, { permissionsBoundaryArn: i.PermissionsBoundary }),
    );
    return {};
  },
};
