import { structure } from '../../protocol/shape.js';
import { isStoreError } from '../../store/errors.js';
import { noSuchPolicy, noSuchRole } from '../errors.js';
import type { QueryAction } from '../query-action.js';
import { roleNeed } from '../authorization-needs.js';
import { arnType, callerAccount, roleNameType } from '../wire.js';

const input = structure({ RoleName: roleNameType(), PolicyArn: arnType() });
const output = structure({});

/** IAM AttachRolePolicy: attaches a customer managed policy (again: no change). */
export const attachRolePolicy: QueryAction<typeof input, typeof output> = {
  name: 'AttachRolePolicy',
  input,
  output,
  authentication: 'sigv4',
  authorize: (i, ctx) => roleNeed(ctx, 'iam:AttachRolePolicy', i.RoleName),
  handle: async (i, ctx) => {
    try {
      await ctx.store.roles.attachPolicy(callerAccount(ctx).accountId, i.RoleName, i.PolicyArn);
      return {};
    } catch (e) {
      if (isStoreError(e, 'notFound')) {
        if (e.entity === 'managedPolicy') throw noSuchPolicy(i.PolicyArn);
        throw noSuchRole(i.RoleName);
      }
      throw e;
    }
  },
};
