import { boolean, list, string, structure } from '../../protocol/shape.js';
import type { QueryAction } from '../query-action.js';
import { existingUserNameType, onUser, pageMembers, pageRequest, userResource } from '../user-wire.js';
import { callerAccount, markerType, maxItemsType } from '../wire.js';

const input = structure({ UserName: existingUserNameType(), Marker: markerType(), MaxItems: maxItemsType() });
const output = structure({
  PolicyNames: list(string(), { required: true }),
  IsTruncated: boolean(),
  Marker: string(),
});

/** IAM ListUserPolicies: the names of a user's inline policies, in name order, paged. */
export const listUserPolicies: QueryAction<typeof input, typeof output> = {
  name: 'ListUserPolicies',
  input,
  output,
  authentication: 'sigv4',
  authorize: async (i, ctx) => [
    { action: 'iam:ListUserPolicies', resource: await userResource(ctx, i.UserName) },
  ],
  handle: async (i, ctx) => {
    const page = await onUser(i.UserName, () =>
      ctx.store.users.listPolicies(callerAccount(ctx).accountId, i.UserName, pageRequest(i)),
    );
    return { PolicyNames: page.items.map((p) => p.name), ...pageMembers(page.marker) };
  },
};
