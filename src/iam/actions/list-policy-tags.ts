import { structure } from '../../protocol/shape.js';
import { noSuchPolicy } from '../errors.js';
import { pageList } from '../list-page.js';
import type { QueryAction } from '../query-action.js';
import { policyNeed } from '../authorization-needs.js';
import { tagPageOutput } from '../tags.js';
import { arnType, callerAccount, markerType, maxItemsType, tagToWire } from '../wire.js';

const input = structure({ PolicyArn: arnType(), Marker: markerType(), MaxItems: maxItemsType() });
const output = tagPageOutput();

/** IAM ListPolicyTags: the policy's tags in the order they were added, paged. */
export const listPolicyTags: QueryAction<typeof input, typeof output> = {
  name: 'ListPolicyTags',
  input,
  output,
  authentication: 'sigv4',
  authorize: (i, ctx) => policyNeed(ctx, 'iam:ListPolicyTags', i.PolicyArn),
  handle: async (i, ctx) => {
    const policy = await ctx.store.managedPolicies.get(callerAccount(ctx).accountId, i.PolicyArn);
    if (policy === undefined) throw noSuchPolicy(i.PolicyArn);
    const page = pageList(policy.tags, i);
    return {
      Tags: page.items.map(tagToWire),
      IsTruncated: page.IsTruncated,
      ...(page.Marker !== undefined ? { Marker: page.Marker } : {}),
    };
  },
};
