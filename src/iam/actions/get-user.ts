import { structure } from '../../protocol/shape.js';
import { AwsError } from '../../shared/aws-error.js';
import type { QueryAction } from '../query-action.js';
import {
  noSuchUser,
  optionalUserNameType,
  targetResource,
  targetUserName,
  userShape,
  userToWire,
} from '../user-wire.js';
import { callerAccount } from '../wire.js';

const input = structure({ UserName: optionalUserNameType() });
const output = structure({ User: userShape });

/**
 * IAM GetUser: the named user, or without `UserName` the caller itself (IAM API Reference, GetUser:
 * the user is then the one whose access key signed the request). With root credentials that is the
 * root: its ARN, the account id as UserId and the account's creation date, and no UserName or Path.
 */
export const getUser: QueryAction<typeof input, typeof output> = {
  name: 'GetUser',
  input,
  output,
  authentication: 'sigv4',
  authorize: async (i, ctx) => [{ action: 'iam:GetUser', resource: await targetResource(ctx, i.UserName) }],
  handle: async (i, ctx) => {
    const { accountId } = callerAccount(ctx);
    const name = targetUserName(ctx, i.UserName);
    if (name === undefined) {
      const account = await ctx.store.accounts.get(accountId);
      // INVARIANT: the root's key authenticated, so its account exists; this only guards a race.
      if (account === undefined || ctx.caller.kind !== 'root') {
        throw new AwsError('InternalFailure', 500, 'the caller account cannot be read');
      }
      return { User: { UserId: accountId, Arn: ctx.caller.arn, CreateDate: account.createdAt } };
    }
    const user = await ctx.store.users.get(accountId, name);
    if (user === undefined) throw noSuchUser(name);
    return { User: userToWire(user) };
  },
};
