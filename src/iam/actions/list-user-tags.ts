import { boolean, list, string, structure } from '../../protocol/shape.js';
import type { QueryAction } from '../query-action.js';
import { pageTags } from '../user-tags.js';
import { existingUserNameType, noSuchUser, pageMembers, userResource } from '../user-wire.js';
import { callerAccount, markerType, maxItemsType, tagShape, tagToWire } from '../wire.js';

const input = structure({ UserName: existingUserNameType(), Marker: markerType(), MaxItems: maxItemsType() });
const output = structure({
  Tags: list(tagShape, { required: true }),
  IsTruncated: boolean(),
  Marker: string(),
});

/** IAM ListUserTags: the user's tags in the order they were added, paged with `Marker`/`MaxItems`. */
export const listUserTags: QueryAction<typeof input, typeof output> = {
  name: 'ListUserTags',
  input,
  output,
  authentication: 'sigv4',
  authorize: async (i, ctx) => [
    { action: 'iam:ListUserTags', resource: await userResource(ctx, i.UserName) },
  ],
  handle: async (i, ctx) => {
    const user = await ctx.store.users.get(callerAccount(ctx).accountId, i.UserName);
    if (user === undefined) throw noSuchUser(i.UserName);
    const page = pageTags(user.tags, i.Marker, i.MaxItems);
    return { Tags: page.items.map(tagToWire), ...pageMembers(page.marker) };
  },
};
