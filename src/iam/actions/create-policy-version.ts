import { boolean, structure } from '../../protocol/shape.js';
import { checkPolicyDocument, iamError, noSuchPolicy } from '../errors.js';
import { MAX_POLICY_VERSIONS, policyVersionShape, policyVersionToWire } from '../policy-wire.js';
import type { QueryAction } from '../query-action.js';
import { policyNeed } from '../authorization-needs.js';
import { arnType, callerAccount, policyDocumentType } from '../wire.js';

const input = structure({
  PolicyArn: arnType(),
  PolicyDocument: policyDocumentType(),
  SetAsDefault: boolean(),
});
const output = structure({ PolicyVersion: policyVersionShape });

/**
 * IAM CreatePolicyVersion: the next version (`v` + one more than any so far, never reused), the default
 * when `SetAsDefault` is true; a sixth version is LimitExceeded. Counting and writing are one
 * transaction, so two concurrent calls cannot make a sixth.
 */
export const createPolicyVersion: QueryAction<typeof input, typeof output> = {
  name: 'CreatePolicyVersion',
  input,
  output,
  authentication: 'sigv4',
  authorize: (i, ctx) => policyNeed(ctx, 'iam:CreatePolicyVersion', i.PolicyArn),
  handle: async (i, ctx) => {
    checkPolicyDocument(i.PolicyDocument, 'identity');
    const { accountId } = callerAccount(ctx);
    const version = await ctx.store.transaction(async (tx) => {
      if ((await tx.managedPolicies.get(accountId, i.PolicyArn)) === undefined)
        throw noSuchPolicy(i.PolicyArn);
      const versions = await tx.managedPolicies.listVersions(accountId, i.PolicyArn);
      if (versions.length >= MAX_POLICY_VERSIONS) {
        // AWS's wording as public reports of CreatePolicyVersion quote it.
        throw iamError(
          'LimitExceeded',
          `A managed policy can have up to ${MAX_POLICY_VERSIONS} versions. Before you create a new version, you must delete an existing version.`,
        );
      }
      return tx.managedPolicies.createVersion(accountId, i.PolicyArn, {
        document: i.PolicyDocument,
        setAsDefault: i.SetAsDefault === true,
        createdAt: ctx.clock.now(),
      });
    });
    return { PolicyVersion: policyVersionToWire(version, { document: false }) };
  },
};
