import { structure } from '../../protocol/shape.js';
import { isStoreError } from '../../store/errors.js';
import { iamError, noSuchPolicy } from '../errors.js';
import { noSuchPolicyVersion, versionIdType } from '../policy-wire.js';
import type { QueryAction } from '../query-action.js';
import { policyNeed } from '../authorization-needs.js';
import { arnType, callerAccount } from '../wire.js';

const input = structure({ PolicyArn: arnType(), VersionId: versionIdType() });
const output = structure({});

/** IAM DeletePolicyVersion: any version but the default one (DeleteConflict). */
export const deletePolicyVersion: QueryAction<typeof input, typeof output> = {
  name: 'DeletePolicyVersion',
  input,
  output,
  authentication: 'sigv4',
  authorize: (i, ctx) => policyNeed(ctx, 'iam:DeletePolicyVersion', i.PolicyArn),
  handle: async (i, ctx) => {
    try {
      await ctx.store.managedPolicies.deleteVersion(callerAccount(ctx).accountId, i.PolicyArn, i.VersionId);
      return {};
    } catch (e) {
      if (isStoreError(e, 'notFound')) {
        if (e.entity === 'policyVersion') throw noSuchPolicyVersion(i.PolicyArn, i.VersionId);
        throw noSuchPolicy(i.PolicyArn);
      }
      if (isStoreError(e, 'deleteConflict')) {
        // AWS's wording (IAM DeletePolicyVersion on the default version, as public reports quote it).
        throw iamError('DeleteConflict', 'Cannot delete the default version of a policy.');
      }
      throw e;
    }
  },
};
