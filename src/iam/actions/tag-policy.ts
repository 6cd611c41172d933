import { list, structure } from '../../protocol/shape.js';
import { noSuchPolicy } from '../errors.js';
import type { QueryAction } from '../query-action.js';
import { requestTagContext } from '../request-context.js';
import { policyNeed } from '../authorization-needs.js';
import { mergeTags } from '../tags.js';
import { arnType, callerAccount, tagShape, tagsFromWire } from '../wire.js';

const input = structure({ PolicyArn: arnType(), Tags: list(tagShape, { required: true, max: 50 }) });
const output = structure({});

/** IAM TagPolicy: adds tags to a customer managed policy, overwriting a key already there (ignoring case). */
export const tagPolicy: QueryAction<typeof input, typeof output> = {
  name: 'TagPolicy',
  input,
  output,
  authentication: 'sigv4',
  authorize: (i, ctx) =>
    policyNeed(ctx, 'iam:TagPolicy', i.PolicyArn, () => requestTagContext(tagsFromWire(i.Tags))),
  handle: (i, ctx) =>
    ctx.store.transaction(async (tx) => {
      const { accountId } = callerAccount(ctx);
      const policy = await tx.managedPolicies.get(accountId, i.PolicyArn);
      if (policy === undefined) throw noSuchPolicy(i.PolicyArn);
      await tx.managedPolicies.setTags(accountId, policy.arn, mergeTags(policy.tags, tagsFromWire(i.Tags)));
      return {};
    }),
};
