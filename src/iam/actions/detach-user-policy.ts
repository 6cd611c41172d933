import { structure } from '../../protocol/shape.js';
import { isStoreError } from '../../store/errors.js';
import { iamError } from '../errors.js';
import type { QueryAction } from '../query-action.js';
import { onUser, userNameType, userResource } from '../user-wire.js';
import { arnType, callerAccount } from '../wire.js';

const input = structure({ UserName: userNameType(), PolicyArn: arnType() });
const output = structure({});

/** IAM DetachUserPolicy: detaches a managed policy that is attached to the user. */
export const detachUserPolicy: QueryAction<typeof input, typeof output> = {
  name: 'DetachUserPolicy',
  input,
  output,
  authentication: 'sigv4',
  authorize: async (i, ctx) => [
    { action: 'iam:DetachUserPolicy', resource: await userResource(ctx, i.UserName) },
  ],
  handle: async (i, ctx) => {
    try {
      await onUser(i.UserName, () =>
        ctx.store.users.detachPolicy(callerAccount(ctx).accountId, i.UserName, i.PolicyArn),
      );
      return {};
    } catch (e) {
      // ⚠ wording unconfirmed (as DetachRolePolicy).
      if (isStoreError(e, 'notFound')) throw iamError('NoSuchEntity', `Policy ${i.PolicyArn} was not found.`);
      throw e;
    }
  },
};
