import { structure } from '../../protocol/shape.js';
import { noSuchPolicy } from '../errors.js';
import type { QueryAction } from '../query-action.js';
import { tagKeysContext } from '../request-context.js';
import { policyNeed } from '../authorization-needs.js';
import { removeTags, tagKeyListType } from '../tags.js';
import { arnType, callerAccount } from '../wire.js';

const input = structure({ PolicyArn: arnType(), TagKeys: tagKeyListType() });
const output = structure({});

/** IAM UntagPolicy: removes the tags with those keys (ignoring case); a key the policy lacks is no error. */
export const untagPolicy: QueryAction<typeof input, typeof output> = {
  name: 'UntagPolicy',
  input,
  output,
  authentication: 'sigv4',
  authorize: (i, ctx) => policyNeed(ctx, 'iam:UntagPolicy', i.PolicyArn, () => [tagKeysContext(i.TagKeys)]),
  handle: (i, ctx) =>
    ctx.store.transaction(async (tx) => {
      const { accountId } = callerAccount(ctx);
      const policy = await tx.managedPolicies.get(accountId, i.PolicyArn);
      if (policy === undefined) throw noSuchPolicy(i.PolicyArn);
      await tx.managedPolicies.setTags(accountId, policy.arn, removeTags(policy.tags, i.TagKeys));
      return {};
    }),
};
