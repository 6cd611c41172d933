import { string, structure } from '../../protocol/shape.js';
import { isStoreError } from '../../store/errors.js';
import { iamError } from '../errors.js';
import type { QueryAction } from '../query-action.js';
import { existingUserNameType, noSuchUser, userArn } from '../user-wire.js';
import { callerAccount, pathType } from '../wire.js';

const input = structure({
  UserName: existingUserNameType(),
  NewPath: pathType(),
  NewUserName: string({ min: 1, max: 64, pattern: '[\\w+=,.@-]+' }),
});
const output = structure({});

/**
 * IAM UpdateUser: renames a user and/or moves it to a new path; its id, policies and access keys stay
 * with it. IAM authorizes the call on both the old and the new ARN (IAM API Reference, UpdateUser: a
 * rename needs permission on the source and on the target).
 */
export const updateUser: QueryAction<typeof input, typeof output> = {
  name: 'UpdateUser',
  input,
  output,
  authentication: 'sigv4',
  authorize: async (i, ctx) => {
    const current = await ctx.store.users.get(callerAccount(ctx).accountId, i.UserName);
    const source = current?.arn ?? userArn(ctx, '/', i.UserName);
    const target = userArn(
      ctx,
      i.NewPath ?? current?.path ?? '/',
      i.NewUserName ?? current?.name ?? i.UserName,
    );
    return [
      { action: 'iam:UpdateUser', resource: source },
      ...(target !== source ? [{ action: 'iam:UpdateUser', resource: target }] : []),
    ];
  },
  handle: async (i, ctx) => {
    const { accountId } = callerAccount(ctx);
    const user = await ctx.store.users.get(accountId, i.UserName);
    if (user === undefined) throw noSuchUser(i.UserName);
    const name = i.NewUserName ?? user.name;
    const path = i.NewPath ?? user.path;
    try {
      await ctx.store.users.update(accountId, i.UserName, {
        rename: { name, path, arn: userArn(ctx, path, name) },
      });
      return {};
    } catch (e) {
      if (isStoreError(e, 'notFound')) throw noSuchUser(i.UserName);
      if (isStoreError(e, 'alreadyExists')) {
        throw iamError('EntityAlreadyExists', `User with name ${name} already exists.`);
      }
      throw e;
    }
  },
};
