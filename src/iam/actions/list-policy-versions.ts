import { boolean, list, string, structure } from '../../protocol/shape.js';
import { noSuchPolicy } from '../errors.js';
import { pageList } from '../list-page.js';
import { policyVersionShape, policyVersionToWire } from '../policy-wire.js';
import type { QueryAction } from '../query-action.js';
import { policyNeed } from '../authorization-needs.js';
import { arnType, callerAccount, markerType, maxItemsType } from '../wire.js';

const input = structure({ PolicyArn: arnType(), Marker: markerType(), MaxItems: maxItemsType() });
const output = structure({ Versions: list(policyVersionShape), IsTruncated: boolean(), Marker: string() });

/** IAM ListPolicyVersions: newest first, without documents (GetPolicyVersion has them), paged. */
export const listPolicyVersions: QueryAction<typeof input, typeof output> = {
  name: 'ListPolicyVersions',
  input,
  output,
  authentication: 'sigv4',
  authorize: (i, ctx) => policyNeed(ctx, 'iam:ListPolicyVersions', i.PolicyArn),
  handle: async (i, ctx) => {
    const { accountId } = callerAccount(ctx);
    const versions = await ctx.store.transaction(async (tx) => {
      if ((await tx.managedPolicies.get(accountId, i.PolicyArn)) === undefined)
        throw noSuchPolicy(i.PolicyArn);
      return tx.managedPolicies.listVersions(accountId, i.PolicyArn);
    });
    const page = pageList(versions, i);
    return {
      Versions: page.items.map((v) => policyVersionToWire(v, { document: false })),
      IsTruncated: page.IsTruncated,
      ...(page.Marker !== undefined ? { Marker: page.Marker } : {}),
    };
  },
};
