import { structure } from '../../protocol/shape.js';
import { noSuchPolicy } from '../errors.js';
import { policyShape, policyToWire } from '../policy-wire.js';
import type { QueryAction } from '../query-action.js';
import { policyNeed } from '../authorization-needs.js';
import { arnType, callerAccount } from '../wire.js';

const input = structure({ PolicyArn: arnType() });
const output = structure({ Policy: policyShape });

/** IAM GetPolicy: a customer managed policy of the caller's account. */
export const getPolicy: QueryAction<typeof input, typeof output> = {
  name: 'GetPolicy',
  input,
  output,
  authentication: 'sigv4',
  authorize: (i, ctx) => policyNeed(ctx, 'iam:GetPolicy', i.PolicyArn),
  handle: async (i, ctx) => {
    const policy = await ctx.store.managedPolicies.get(callerAccount(ctx).accountId, i.PolicyArn);
    if (policy === undefined) throw noSuchPolicy(i.PolicyArn);
    return { Policy: policyToWire(policy) };
  },
};
