import { boolean, list, string, structure } from '../../protocol/shape.js';
import { isStoreError } from '../../store/errors.js';
import { iamError, noSuchRole } from '../errors.js';
import type { QueryAction } from '../query-action.js';
import { roleNeed } from '../authorization-needs.js';
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
    try {
      const page = await ctx.store.roles.listPolicies(callerAccount(ctx).accountId, i.RoleName, {
        ...(i.Marker !== undefined ? { marker: i.Marker } : {}),
        ...(i.MaxItems !== undefined ? { maxItems: i.MaxItems } : {}),
      });
      return {
        PolicyNames: page.items.map((p) => p.name),
        IsTruncated: page.marker !== undefined,
        ...(page.marker !== undefined ? { Marker: page.marker } : {}),
      };
    } catch (e) {
      if (isStoreError(e, 'notFound')) throw noSuchRole(i.RoleName);
      // ⚠ wording unconfirmed.
      if (isStoreError(e, 'invalidInput')) throw iamError('InvalidInput', 'Invalid Marker.');
      throw e;
    }
  },
};
