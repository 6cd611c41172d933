import { structure } from '../../protocol/shape.js';
import { isStoreError } from '../../store/errors.js';
import { iamError, noSuchPolicy } from '../errors.js';
import type { QueryAction } from '../query-action.js';
import { checkTags } from '../user-tags.js';
import { userArn, userNameType, userShape, userToWire } from '../user-wire.js';
import { callerAccount, optionalArnType, pathType, tagListType, tagsFromWire } from '../wire.js';

const input = structure({
  Path: pathType(),
  UserName: userNameType(),
  PermissionsBoundary: optionalArnType(),
  Tags: tagListType(),
});
const output = structure({ User: userShape });

/**
 * IAM CreateUser: a user with an `AIDA...` id and the ARN `arn:aws:iam::ACCOUNT:user/PATH/NAME`,
 * optionally with a permissions boundary (an existing managed policy) and tags.
 */
export const createUser: QueryAction<typeof input, typeof output> = {
  name: 'CreateUser',
  input,
  output,
  authentication: 'sigv4',
  authorize: (i, ctx) => [{ action: 'iam:CreateUser', resource: userArn(ctx, i.Path ?? '/', i.UserName) }],
  handle: async (i, ctx) => {
    const { accountId } = callerAccount(ctx);
    const tags = tagsFromWire(i.Tags);
    checkTags(tags);
    if (i.PermissionsBoundary !== undefined) {
      const boundary = await ctx.store.managedPolicies.get(accountId, i.PermissionsBoundary);
      // ⚠ AWS's wording for a missing boundary policy is unconfirmed (as CreateRole).
      if (boundary === undefined) throw noSuchPolicy(i.PermissionsBoundary);
    }
    const path = i.Path ?? '/';
    try {
      const user = await ctx.store.users.create({
        accountId,
        name: i.UserName,
        id: ctx.ids.uniqueId('AIDA'),
        path,
        arn: userArn(ctx, path, i.UserName),
        ...(i.PermissionsBoundary !== undefined ? { permissionsBoundaryArn: i.PermissionsBoundary } : {}),
        tags,
        createdAt: ctx.clock.now(),
      });
      return { User: userToWire(user) };
    } catch (e) {
      // AWS's wording (IAM CreateUser, EntityAlreadyExists): "User with name X already exists."
      if (isStoreError(e, 'alreadyExists')) {
        throw iamError('EntityAlreadyExists', `User with name ${i.UserName} already exists.`);
      }
      throw e;
    }
  },
};
