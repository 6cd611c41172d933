import { structure } from '../../protocol/shape.js';
import { isStoreError } from '../../store/errors.js';
import { iamError, noSuchPolicy } from '../errors.js';
import type { QueryAction } from '../query-action.js';
import { onUser, userNameType, userResource } from '../user-wire.js';
import { arnType, callerAccount } from '../wire.js';

const input = structure({ UserName: userNameType(), PolicyArn: arnType() });
const output = structure({});

/** IAM's default quota (IAM User Guide, "IAM and AWS STS quotas": managed policies per user, 10). */
export const MAX_ATTACHED_USER_POLICIES = 10;

/**
 * IAM AttachUserPolicy: attaches a customer managed policy to a user (again: no change). An eleventh
 * policy is LimitExceeded "Cannot exceed quota for PoliciesPerUser: 10" (AWS's quota message form).
 */
export const attachUserPolicy: QueryAction<typeof input, typeof output> = {
  name: 'AttachUserPolicy',
  input,
  output,
  authentication: 'sigv4',
  authorize: async (i, ctx) => [
    { action: 'iam:AttachUserPolicy', resource: await userResource(ctx, i.UserName) },
  ],
  handle: async (i, ctx) => {
    const { accountId } = callerAccount(ctx);
    try {
      await onUser(i.UserName, () =>
        ctx.store.transaction(async (tx) => {
          const attached = await tx.users.listAttachedPolicies(accountId, i.UserName, {
            maxItems: MAX_ATTACHED_USER_POLICIES + 1,
          });
          const already = attached.items.some((p) => p.arn === i.PolicyArn);
          if (!already && attached.items.length >= MAX_ATTACHED_USER_POLICIES) {
            throw iamError(
              'LimitExceeded',
              `Cannot exceed quota for PoliciesPerUser: ${MAX_ATTACHED_USER_POLICIES}`,
            );
          }
          await tx.users.attachPolicy(accountId, i.UserName, i.PolicyArn);
        }),
      );
      return {};
    } catch (e) {
      if (isStoreError(e, 'notFound') && e.entity === 'managedPolicy') throw noSuchPolicy(i.PolicyArn);
      throw e;
    }
  },
};
