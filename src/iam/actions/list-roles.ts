import { boolean, list, string, structure } from '../../protocol/shape.js';
import { storePage } from '../list-page.js';
import type { QueryAction } from '../query-action.js';
import { pageMembers, pageRequest } from '../user-wire.js';
import { callerAccount, markerType, maxItemsType, pathPrefixType, roleShape, roleToWire } from '../wire.js';

const input = structure({ PathPrefix: pathPrefixType(), Marker: markerType(), MaxItems: maxItemsType() });
const output = structure({
  Roles: list(roleShape, { required: true }),
  IsTruncated: boolean(),
  Marker: string(),
});

/**
 * IAM ListRoles: roles in name order, paged with `Marker`/`MaxItems` (default 100); `IsTruncated` and
 * `Marker` say a next page exists. As in AWS, roles are listed without their tags.
 */
export const listRoles: QueryAction<typeof input, typeof output> = {
  name: 'ListRoles',
  input,
  output,
  authentication: 'sigv4',
  authorize: () => [{ action: 'iam:ListRoles', resource: '*' }],
  handle: async (i, ctx) => {
    const page = await storePage(() =>
      ctx.store.roles.list(callerAccount(ctx).accountId, {
        ...(i.PathPrefix !== undefined ? { pathPrefix: i.PathPrefix } : {}),
        ...pageRequest(i),
      }),
    );
    return { Roles: page.items.map((r) => roleToWire(r, { tags: false })), ...pageMembers(page.marker) };
  },
};
