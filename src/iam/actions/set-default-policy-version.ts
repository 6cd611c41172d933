import { structure } from '../../protocol/shape.js';
import { isStoreError } from '../../store/errors.js';
import { noSuchPolicy } from '../errors.js';
import { noSuchPolicyVersion, versionIdType } from '../policy-wire.js';
import type { QueryAction } from '../query-action.js';
import { policyNeed } from '../authorization-needs.js';
import { arnType, callerAccount } from '../wire.js';

const input = structure({ PolicyArn: arnType(), VersionId: versionIdType() });
const output = structure({});

/**
 * IAM SetDefaultPolicyVersion: one atomic switch of the version that is in effect. Every user and role
 * the policy is attached to (or bounded by) is authorized with the new default from the next request
 * on: authorization reads the default version's document (caller-policies.ts).
 */
export const setDefaultPolicyVersion: QueryAction<typeof input, typeof output> = {
  name: 'SetDefaultPolicyVersion',
  input,
  output,
  authentication: 'sigv4',
  authorize: (i, ctx) => policyNeed(ctx, 'iam:SetDefaultPolicyVersion', i.PolicyArn),
  handle: async (i, ctx) => {
    try {
      await ctx.store.managedPolicies.setDefaultVersion(
        callerAccount(ctx).accountId,
        i.PolicyArn,
        i.VersionId,
      );
      return {};
    } catch (e) {
      if (isStoreError(e, 'notFound')) {
        if (e.entity === 'policyVersion') throw noSuchPolicyVersion(i.PolicyArn, i.VersionId);
        throw noSuchPolicy(i.PolicyArn);
      }
      throw e;
    }
  },
};
