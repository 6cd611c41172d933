import { boolean, list, string, structure } from '../../protocol/shape.js';
import { isStoreError } from '../../store/errors.js';
import { iamError } from '../errors.js';
import type { QueryAction } from '../query-action.js';
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
    try {
      const page = await ctx.store.roles.list(callerAccount(ctx).accountId, {
        ...(i.PathPrefix !== undefined ? { pathPrefix: i.PathPrefix } : {}),
        ...(i.Marker !== undefined ? { marker: i.Marker } : {}),
        ...(i.MaxItems !== undefined ? { maxItems: i.MaxItems } : {}),
      });
      return {
        Roles: page.items.map((r) => roleToWire(r, { tags: false })),
        IsTruncated: page.marker !== undefined,
        ...(page.marker !== undefined ? { Marker: page.marker } : {}),
      };
    } catch (e) {
      // ⚠ AWS's wording for a marker it did not issue is unconfirmed.
      if (isStoreError(e, 'invalidInput')) throw iamError('InvalidInput', 'Invalid Marker.');
      throw e;
    }
  },
};
