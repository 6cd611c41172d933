import { list, structure } from '../../protocol/shape.js';
import type { QueryAction } from '../query-action.js';
import { mergeTags } from '../user-tags.js';
import { existingUserNameType, noSuchUser, onUser, userResource } from '../user-wire.js';
import { callerAccount, tagShape, tagsFromWire } from '../wire.js';

const input = structure({
  UserName: existingUserNameType(),
  Tags: list(tagShape, { required: true, max: 50 }),
});
const output = structure({});

/** IAM TagUser: adds tags, replacing the value of a key the user already has (keys ignore case). */
export const tagUser: QueryAction<typeof input, typeof output> = {
  name: 'TagUser',
  input,
  output,
  authentication: 'sigv4',
  authorize: async (i, ctx) => [{ action: 'iam:TagUser', resource: await userResource(ctx, i.UserName) }],
  handle: async (i, ctx) => {
    const { accountId } = callerAccount(ctx);
    const user = await ctx.store.users.get(accountId, i.UserName);
    if (user === undefined) throw noSuchUser(i.UserName);
    const tags = mergeTags(user.tags, tagsFromWire(i.Tags));
    await onUser(i.UserName, () => ctx.store.users.update(accountId, i.UserName, { tags }));
    return {};
  },
};
