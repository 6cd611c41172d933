import { boolean, list, string, structure } from '../../protocol/shape.js';
import { isStoreError } from '../../store/errors.js';
import { iamError, noSuchRole } from '../errors.js';
import type { QueryAction } from '../query-action.js';
import { roleNeed } from '../authorization-needs.js';
import { callerAccount, markerType, maxItemsType, pathPrefixType, roleNameType } from '../wire.js';

const input = structure({
  RoleName: roleNameType(),
  PathPrefix: pathPrefixType(),
  Marker: markerType(),
  MaxItems: maxItemsType(),
});
const output = structure({
  AttachedPolicies: list(structure({ PolicyName: string(), PolicyArn: string() }), { required: true }),
  IsTruncated: boolean(),
  Marker: string(),
});

/** IAM ListAttachedRolePolicies: managed policies attached to a role, in policy-name order, paged. */
export const listAttachedRolePolicies: QueryAction<typeof input, typeof output> = {
  name: 'ListAttachedRolePolicies',
  input,
  output,
  authentication: 'sigv4',
  authorize: (i, ctx) => roleNeed(ctx, 'iam:ListAttachedRolePolicies', i.RoleName),
  handle: async (i, ctx) => {
    try {
      const page = await ctx.store.roles.listAttachedPolicies(callerAccount(ctx).accountId, i.RoleName, {
        ...(i.Marker !== undefined ? { marker: i.Marker } : {}),
        ...(i.MaxItems !== undefined ? { maxItems: i.MaxItems } : {}),
      });
      // PathPrefix filters the policies' paths; the ARN carries the path after `policy`.
      const prefix = i.PathPrefix ?? '/';
      const items = page.items.filter((p) => (p.arn.split(':policy')[1] ?? '/').startsWith(prefix));
      return {
        AttachedPolicies: items.map((p) => ({ PolicyName: p.name, PolicyArn: p.arn })),
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
