import { structure } from '../../protocol/shape.js';
import { isStoreError } from '../../store/errors.js';
import { iamError } from '../errors.js';
import type { QueryAction } from '../query-action.js';
import { existingUserNameType, noSuchUser, userResource } from '../user-wire.js';
import { callerAccount } from '../wire.js';

const input = structure({ UserName: existingUserNameType() });
const output = structure({});

/**
 * AWS's DeleteConflict messages, one per thing the user still has (IAM DeleteUser: "you must delete
 * the items attached to the user manually"; the texts are what the AWS CLI prints for each).
 * ⚠ the attached-policies text is the one DeleteRole answers, unconfirmed for users.
 */
const CONFLICT = {
  accessKeys: 'Cannot delete entity, must delete access keys first.',
  inlinePolicies: 'Cannot delete entity, must delete policies first.',
  attachedPolicies: 'Cannot delete entity, must detach all policies first.',
} as const;

/** IAM DeleteUser: refused with DeleteConflict while the user has access keys or policies. */
export const deleteUser: QueryAction<typeof input, typeof output> = {
  name: 'DeleteUser',
  input,
  output,
  authentication: 'sigv4',
  authorize: async (i, ctx) => [{ action: 'iam:DeleteUser', resource: await userResource(ctx, i.UserName) }],
  handle: async (i, ctx) => {
    try {
      await ctx.store.users.delete(callerAccount(ctx).accountId, i.UserName);
      return {};
    } catch (e) {
      if (isStoreError(e, 'notFound')) throw noSuchUser(i.UserName);
      if (isStoreError(e, 'deleteConflict')) {
        const reason = e.reason;
        throw iamError(
          'DeleteConflict',
          reason === 'accessKeys' || reason === 'attachedPolicies'
            ? CONFLICT[reason]
            : CONFLICT.inlinePolicies,
        );
      }
      throw e;
    }
  },
};
