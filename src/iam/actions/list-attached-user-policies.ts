import { boolean, list, string, structure } from '../../protocol/shape.js';
import type { QueryAction } from '../query-action.js';
import { onUser, pageMembers, pageRequest, userNameType, userResource } from '../user-wire.js';
import { callerAccount, markerType, maxItemsType, pathPrefixType } from '../wire.js';

const input = structure({
  UserName: userNameType(),
  PathPrefix: pathPrefixType(),
  Marker: markerType(),
  MaxItems: maxItemsType(),
});
const output = structure({
  AttachedPolicies: list(structure({ PolicyName: string(), PolicyArn: string() }), { required: true }),
  IsTruncated: boolean(),
  Marker: string(),
});

/** IAM ListAttachedUserPolicies: managed policies attached to a user, in policy-name order, paged. */
export const listAttachedUserPolicies: QueryAction<typeof input, typeof output> = {
  name: 'ListAttachedUserPolicies',
  input,
  output,
  authentication: 'sigv4',
  authorize: async (i, ctx) => [
    { action: 'iam:ListAttachedUserPolicies', resource: await userResource(ctx, i.UserName) },
  ],
  handle: async (i, ctx) => {
    const page = await onUser(i.UserName, () =>
      ctx.store.users.listAttachedPolicies(callerAccount(ctx).accountId, i.UserName, pageRequest(i)),
    );
    // PathPrefix filters the policies' paths; the ARN carries the path after `policy`.
    const prefix = i.PathPrefix ?? '/';
    const items = page.items.filter((p) => (p.arn.split(':policy')[1] ?? '/').startsWith(prefix));
    return {
      AttachedPolicies: items.map((p) => ({ PolicyName: p.name, PolicyArn: p.arn })),
      ...pageMembers(page.marker),
    };
  },
};
