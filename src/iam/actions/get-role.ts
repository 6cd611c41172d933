import { structure } from '../../protocol/shape.js';
import { noSuchRole } from '../errors.js';
import type { QueryAction } from '../query-action.js';
import { callerAccount, roleNameType, roleResource, roleShape, roleToWire } from '../wire.js';

const input = structure({ RoleName: roleNameType() });
const output = structure({ Role: roleShape });

/** IAM GetRole: the role, its trust policy percent-encoded as AWS sends it. */
export const getRole: QueryAction<typeof input, typeof output> = {
  name: 'GetRole',
  input,
  output,
  authentication: 'sigv4',
  authorize: (i, ctx) => [{ action: 'iam:GetRole', resource: roleResource(ctx, i.RoleName) }],
  handle: async (i, ctx) => {
    const role = await ctx.store.roles.get(callerAccount(ctx).accountId, i.RoleName);
    if (role === undefined) throw noSuchRole(i.RoleName);
    return { Role: roleToWire(role) };
  },
};
