import { structure } from '../../protocol/shape.js';
import { isStoreError } from '../../store/errors.js';
import { iamError, noSuchPolicy } from '../errors.js';
import type { QueryAction } from '../query-action.js';
import { policyNeed } from '../authorization-needs.js';
import { arnType, callerAccount } from '../wire.js';

const input = structure({ PolicyArn: arnType() });
const output = structure({});

/** IAM DeletePolicy: refused while attached or while non-default versions remain. */
export const deletePolicy: QueryAction<typeof input, typeof output> = {
  name: 'DeletePolicy',
  input,
  output,
  authentication: 'sigv4',
  authorize: (i, ctx) => policyNeed(ctx, 'iam:DeletePolicy', i.PolicyArn),
  handle: async (i, ctx) => {
    try {
      await ctx.store.managedPolicies.delete(callerAccount(ctx).accountId, i.PolicyArn);
      return {};
    } catch (e) {
      if (isStoreError(e, 'notFound')) throw noSuchPolicy(i.PolicyArn);
      if (isStoreError(e, 'deleteConflict')) {
        throw iamError(
          'DeleteConflict',
          e.reason === 'attachments'
            ? 'Cannot delete a policy attached to entities.'
            : // ⚠ wording unconfirmed.
              "This policy has more than one version. Before you delete a policy, you must delete the policy's versions. The default version is deleted with the policy.",
        );
      }
      throw e;
    }
  },
};
