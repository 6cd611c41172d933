import { structure } from '../../protocol/shape.js';
import { attachedPoliciesOutput, attachedPoliciesUnder } from '../policy-wire.js';
import type { QueryAction } from '../query-action.js';
import { onUser, pageMembers, pageRequest, userNameType, userResource } from '../user-wire.js';
import { callerAccount, markerType, maxItemsType, pathPrefixType } from '../wire.js';

const input = structure({
  UserName: userNameType(),
  PathPrefix: pathPrefixType(),
  Marker: markerType(),
  MaxItems: maxItemsType(),
});
const output = attachedPoliciesOutput;

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
    return { AttachedPolicies: attachedPoliciesUnder(page.items, i.PathPrefix), ...pageMembers(page.marker) };
  },
};
