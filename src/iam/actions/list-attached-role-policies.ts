import { structure } from '../../protocol/shape.js';
import { noSuchRole } from '../errors.js';
import { storePage } from '../list-page.js';
import { attachedPoliciesOutput, attachedPoliciesUnder } from '../policy-wire.js';
import type { QueryAction } from '../query-action.js';
import { roleNeed } from '../authorization-needs.js';
import { pageMembers, pageRequest } from '../user-wire.js';
import { callerAccount, markerType, maxItemsType, pathPrefixType, roleNameType } from '../wire.js';

const input = structure({
  RoleName: roleNameType(),
  PathPrefix: pathPrefixType(),
  Marker: markerType(),
  MaxItems: maxItemsType(),
});
const output = attachedPoliciesOutput;

/** IAM ListAttachedRolePolicies: managed policies attached to a role, in policy-name order, paged. */
export const listAttachedRolePolicies: QueryAction<typeof input, typeof output> = {
  name: 'ListAttachedRolePolicies',
  input,
  output,
  authentication: 'sigv4',
  authorize: (i, ctx) => roleNeed(ctx, 'iam:ListAttachedRolePolicies', i.RoleName),
  handle: async (i, ctx) => {
    const page = await storePage(
      () => ctx.store.roles.listAttachedPolicies(callerAccount(ctx).accountId, i.RoleName, pageRequest(i)),
      () => noSuchRole(i.RoleName),
    );
    return { AttachedPolicies: attachedPoliciesUnder(page.items, i.PathPrefix), ...pageMembers(page.marker) };
  },
};
