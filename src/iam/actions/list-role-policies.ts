import { boolean, list, string, structure } from '../../protocol/shape.js';
import { noSuchRole } from '../errors.js';
import { storePage } from '../list-page.js';
import type { QueryAction } from '../query-action.js';
import { roleNeed } from '../authorization-needs.js';
import { pageMembers, pageRequest } from '../user-wire.js';
import { callerAccount, markerType, maxItemsType, roleNameType } from '../wire.js';

const input = structure({ RoleName: roleNameType(), Marker: markerType(), MaxItems: maxItemsType() });
const output = structure({
  PolicyNames: list(string(), { required: true }),
  IsTruncated: boolean(),
  Marker: string(),
});

/** IAM ListRolePolicies: the names of a role's inline policies, in name order, paged. */
export const listRolePolicies: QueryAction<typeof input, typeof output> = {
  name: 'ListRolePolicies',
  input,
  output,
  authentication: 'sigv4',
  authorize: (i, ctx) => roleNeed(ctx, 'iam:ListRolePolicies', i.RoleName),
  handle: async (i, ctx) => {
    const page = await storePage(
      () => ctx.store.roles.listPolicies(callerAccount(ctx).accountId, i.RoleName, pageRequest(i)),
      () => noSuchRole(i.RoleName),
    );
    return { PolicyNames: page.items.map((p) => p.name), ...pageMembers(page.marker) };
  },
};
