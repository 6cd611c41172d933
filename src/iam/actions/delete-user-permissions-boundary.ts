import { structure } from '../../protocol/shape.js';
import type { QueryAction } from '../query-action.js';
import { onUser, userNameType, userResource } from '../user-wire.js';
import { callerAccount } from '../wire.js';

const input = structure({ UserName: userNameType() });
const output = structure({});

/**
 * IAM DeleteUserPermissionsBoundary: removes the user's boundary, so its identity policies alone
 * decide again. ⚠ A user without a boundary succeeds (no change): AWS's answer there is unconfirmed,
 * and an idempotent delete is what the caller wants either way.
 */
export const deleteUserPermissionsBoundary: QueryAction<typeof input, typeof output> = {
  name: 'DeleteUserPermissionsBoundary',
  input,
  output,
  authentication: 'sigv4',
  authorize: async (i, ctx) => [
    { action: 'iam:DeleteUserPermissionsBoundary', resource: await userResource(ctx, i.UserName) },
  ],
  handle: async (i, ctx) => {
    await onUser(i.UserName, () =>
      ctx.store.users.update(callerAccount(ctx).accountId, i.UserName, { permissionsBoundaryArn: null }),
    );
    return {};
  },
};
