import { structure } from '../../protocol/shape.js';
import { isStoreError } from '../../store/errors.js';
import type { QueryAction } from '../query-action.js';
import { existingUserNameType, noSuchUserPolicy, onUser, userResource } from '../user-wire.js';
import { callerAccount, policyNameType } from '../wire.js';

const input = structure({ UserName: existingUserNameType(), PolicyName: policyNameType() });
const output = structure({});

/** IAM DeleteUserPolicy: removes an inline policy of a user. */
export const deleteUserPolicy: QueryAction<typeof input, typeof output> = {
  name: 'DeleteUserPolicy',
  input,
  output,
  authentication: 'sigv4',
  authorize: async (i, ctx) => [
    { action: 'iam:DeleteUserPolicy', resource: await userResource(ctx, i.UserName) },
  ],
  handle: async (i, ctx) => {
    try {
      await onUser(i.UserName, () =>
        ctx.store.users.deletePolicy(callerAccount(ctx).accountId, i.UserName, i.PolicyName),
      );
      return {};
    } catch (e) {
      if (isStoreError(e, 'notFound') && e.entity === 'inlinePolicy') throw noSuchUserPolicy(i.PolicyName);
      throw e;
    }
  },
};
