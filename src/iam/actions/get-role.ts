import { structure } from '../../protocol/shape.js';
import { noSuchRole } from '../errors.js';
import type { QueryAction } from '../query-action.js';
import { roleNeed } from '../authorization-needs.js';
import { callerAccount, roleNameType, roleShape, roleToWire } from '../wire.js';

const input = structure({ RoleName: roleNameType() });
const output = structure({ Role: roleShape });

/** IAM GetRole: the role, its trust policy percent-encoded as AWS sends it. */
export const getRole: QueryAction<typeof input, typeof output> = {
  name: 'GetRole',
  input,
  output,
  authentication: 'sigv4',
  authorize: (i, ctx) => roleNeed(ctx, 'iam:GetRole', i.RoleName),
  handle: async (i, ctx) => {
    const role = await ctx.store.roles.get(callerAccount(ctx).accountId, i.RoleName);
    if (role === undefined) throw noSuchRole(i.RoleName);
    return { Role: roleToWire(role) };
  },
};
