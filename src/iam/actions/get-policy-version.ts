import { boolean, string, structure, timestamp } from '../../protocol/shape.js';
import { iamError } from '../errors.js';
import type { QueryAction } from '../query-action.js';
import { policyNeed } from '../authorization-needs.js';
import { arnType, callerAccount, encodeDocument } from '../wire.js';

const input = structure({
  PolicyArn: arnType(),
  VersionId: string({ required: true, pattern: 'v[1-9][0-9]*(\\.[A-Za-z0-9-]*)?' }),
});
const output = structure({
  PolicyVersion: structure({
    Document: string(),
    VersionId: string(),
    IsDefaultVersion: boolean(),
    CreateDate: timestamp(),
  }),
});

/** IAM GetPolicyVersion: one version, its document percent-encoded as AWS sends it. */
export const getPolicyVersion: QueryAction<typeof input, typeof output> = {
  name: 'GetPolicyVersion',
  input,
  output,
  authentication: 'sigv4',
  authorize: (i, ctx) => policyNeed(ctx, 'iam:GetPolicyVersion', i.PolicyArn),
  handle: async (i, ctx) => {
    const version = await ctx.store.managedPolicies.getVersion(
      callerAccount(ctx).accountId,
      i.PolicyArn,
      i.VersionId,
    );
    if (version === undefined) {
      // ⚠ wording unconfirmed.
      throw iamError('NoSuchEntity', `Policy ${i.PolicyArn} version ${i.VersionId} does not exist.`);
    }
    return {
      PolicyVersion: {
        Document: encodeDocument(version.document),
        VersionId: version.versionId,
        IsDefaultVersion: version.isDefault,
        CreateDate: version.createdAt,
      },
    };
  },
};
