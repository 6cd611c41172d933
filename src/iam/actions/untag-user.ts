import { list, string, structure } from '../../protocol/shape.js';
import type { QueryAction } from '../query-action.js';
import { removeTags } from '../user-tags.js';
import { existingUserNameType, noSuchUser, onUser, userResource } from '../user-wire.js';
import { callerAccount } from '../wire.js';

const input = structure({
  UserName: existingUserNameType(),
  TagKeys: list(string({ min: 1, max: 128, pattern: '[\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]+' }), {
    required: true,
    max: 50,
  }),
});
const output = structure({});

/** IAM UntagUser: removes the tags with these keys (ignoring case); absent keys are no error. */
export const untagUser: QueryAction<typeof input, typeof output> = {
  name: 'UntagUser',
  input,
  output,
  authentication: 'sigv4',
  authorize: async (i, ctx) => [{ action: 'iam:UntagUser', resource: await userResource(ctx, i.UserName) }],
  handle: async (i, ctx) => {
    const { accountId } = callerAccount(ctx);
    const user = await ctx.store.users.get(accountId, i.UserName);
    if (user === undefined) throw noSuchUser(i.UserName);
    const tags = removeTags(user.tags, i.TagKeys);
    await onUser(i.UserName, () => ctx.store.users.update(accountId, i.UserName, { tags }));
    return {};
  },
};
