import { boolean, list, string, structure, type ValueOf } from '../../protocol/shape.js';
import type { ManagedPolicy } from '../../store/managed-policies.js';
import { DEFAULT_MAX_ITEMS } from '../../store/paging.js';
import type { Page } from '../../store/types.js';
import { storePage } from '../list-page.js';
import { policyShape, policyToWire } from '../policy-wire.js';
import type { ActionContext, QueryAction } from '../query-action.js';
import { pageMembers } from '../user-wire.js';
import { callerAccount, markerType, maxItemsType, pathPrefixType } from '../wire.js';

const input = structure({
  Scope: string({ enum: ['All', 'AWS', 'Local'] }),
  OnlyAttached: boolean(),
  PathPrefix: pathPrefixType(),
  PolicyUsageFilter: string({ enum: ['PermissionsPolicy', 'PermissionsBoundary'] }),
  Marker: markerType(),
  MaxItems: maxItemsType(),
});
const output = structure({
  Policies: list(policyShape),
  IsTruncated: boolean(),
  Marker: string(),
});

type Input = ValueOf<typeof input>;

/**
 * IAM ListPolicies: the account's customer managed policies in name order, paged, without tags (as
 * AWS lists them). openirsa holds no AWS managed policies, so `Scope=AWS` lists nothing and `All` is
 * `Local`. `OnlyAttached` keeps the policies attached to a user or role (`AttachmentCount` > 0); with
 * `PolicyUsageFilter=PermissionsBoundary` it keeps those that bound one instead. Without
 * `OnlyAttached` the usage filter keeps everything: ⚠ every customer managed policy can serve both
 * uses, which is how this server reads the API reference ("the policy usage method to use for
 * filtering"); AWS's answer there is unconfirmed.
 */
export const listPolicies: QueryAction<typeof input, typeof output> = {
  name: 'ListPolicies',
  input,
  output,
  authentication: 'sigv4',
  authorize: () => [{ action: 'iam:ListPolicies', resource: '*' }],
  handle: async (i, ctx) => {
    if (i.Scope === 'AWS') return { Policies: [], IsTruncated: false };
    const page = await storePage(() => policyPage(i, ctx));
    return {
      Policies: page.items.map((p) => policyToWire({ ...p, tags: [] })),
      ...pageMembers(page.marker),
    };
  },
};

/**
 * One page. The boundary filter is not an index of the store: pages are read and filtered until
 * `MaxItems` policies are found or the list ends, each store page starting where the last ended, so the
 * marker stays exact. Bounded by the account's policies (IAM's quota: 1500 customer managed policies).
 */
async function policyPage(i: Input, ctx: ActionContext): Promise<Page<ManagedPolicy>> {
  const { accountId } = callerAccount(ctx);
  const common = { ...(i.PathPrefix !== undefined ? { pathPrefix: i.PathPrefix } : {}) };
  const boundaries = i.OnlyAttached === true && i.PolicyUsageFilter === 'PermissionsBoundary';
  const limit = i.MaxItems ?? DEFAULT_MAX_ITEMS;
  if (!boundaries) {
    return ctx.store.managedPolicies.list(accountId, {
      ...common,
      ...(i.OnlyAttached === true ? { onlyAttached: true } : {}),
      ...(i.Marker !== undefined ? { marker: i.Marker } : {}),
      maxItems: limit,
    });
  }
  const found: ManagedPolicy[] = [];
  let marker = i.Marker;
  for (;;) {
    const page = await ctx.store.managedPolicies.list(accountId, {
      ...common,
      ...(marker !== undefined ? { marker } : {}),
      maxItems: limit - found.length,
    });
    found.push(...page.items.filter((p) => p.permissionsBoundaryUsageCount > 0));
    marker = page.marker;
    if (marker === undefined) return { items: found };
    if (found.length >= limit) return { items: found, marker };
  }
}
