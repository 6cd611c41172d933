import { structure } from '../../protocol/shape.js';
import { isStoreError } from '../../store/errors.js';
import { iamError, noSuchRole } from '../errors.js';
import type { QueryAction } from '../query-action.js';
import { roleNeed } from '../authorization-needs.js';
import { arnType, callerAccount, roleNameType } from '../wire.js';

const input = structure({ RoleName: roleNameType(), PolicyArn: arnType() });
const output = structure({});

/** IAM DetachRolePolicy: detaches a managed policy that is attached. */
export const detachRolePolicy: QueryAction<typeof input, typeof output> = {
  name: 'DetachRolePolicy',
  input,
  output,
  authentication: 'sigv4',
  authorize: (i, ctx) => roleNeed(ctx, 'iam:DetachRolePolicy', i.RoleName),
  handle: async (i, ctx) => {
    try {
      await ctx.store.roles.detachPolicy(callerAccount(ctx).accountId, i.RoleName, i.PolicyArn);
      return {};
    } catch (e) {
      if (isStoreError(e, 'notFound')) {
        // ⚠ wording unconfirmed.
        if (e.entity !== 'role') throw iamError('NoSuchEntity', `Policy ${i.PolicyArn} was not found.`);
        throw noSuchRole(i.RoleName);
      }
      throw e;
    }
  },
};
