import { structure } from '../../protocol/shape.js';
import { noSuchRole } from '../errors.js';
import { pageList } from '../list-page.js';
import type { QueryAction } from '../query-action.js';
import { roleNeed } from '../authorization-needs.js';
import { tagPageOutput } from '../tags.js';
import { callerAccount, markerType, maxItemsType, roleNameType, tagToWire } from '../wire.js';

const input = structure({ RoleName: roleNameType(), Marker: markerType(), MaxItems: maxItemsType() });
const output = tagPageOutput();

/** IAM ListRoleTags: the role's tags in the order they were added, paged with `Marker`/`MaxItems`. */
export const listRoleTags: QueryAction<typeof input, typeof output> = {
  name: 'ListRoleTags',
  input,
  output,
  authentication: 'sigv4',
  authorize: (i, ctx) => roleNeed(ctx, 'iam:ListRoleTags', i.RoleName),
  handle: async (i, ctx) => {
    const role = await ctx.store.roles.get(callerAccount(ctx).accountId, i.RoleName);
    if (role === undefined) throw noSuchRole(i.RoleName);
    const page = pageList(role.tags, i);
    return {
      Tags: page.items.map(tagToWire),
      IsTruncated: page.IsTruncated,
      ...(page.Marker !== undefined ? { Marker: page.Marker } : {}),
    };
  },
};
