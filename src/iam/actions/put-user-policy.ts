import { structure } from '../../protocol/shape.js';
import { checkPolicyDocument, iamError } from '../errors.js';
import type { QueryAction } from '../query-action.js';
import { existingUserNameType, noSuchUser, onUser, userResource } from '../user-wire.js';
import { callerAccount, policyDocumentType, policyNameType } from '../wire.js';
import { foldName } from '../../store/names.js';

const input = structure({
  UserName: existingUserNameType(),
  PolicyName: policyNameType(),
  PolicyDocument: policyDocumentType(),
});
const output = structure({});

/**
 * IAM's quota on a user's inline policies: 2,048 characters in all, white space not counted (IAM User
 * Guide, "IAM and AWS STS quotas": "User policy size cannot exceed 2,048 characters").
 */
export const MAX_USER_INLINE_CHARS = 2048;

/**
 * IAM PutUserPolicy: creates or replaces an inline policy of a user, validated as an identity policy
 * (MalformedPolicyDocument with AWS's message). Going over the user's inline quota is LimitExceeded
 * "Maximum policy size of 2048 bytes exceeded for user NAME" (AWS CLI output; ⚠ wording from memory
 * of public reports, not from the API reference).
 */
export const putUserPolicy: QueryAction<typeof input, typeof output> = {
  name: 'PutUserPolicy',
  input,
  output,
  authentication: 'sigv4',
  authorize: async (i, ctx) => [
    { action: 'iam:PutUserPolicy', resource: await userResource(ctx, i.UserName) },
  ],
  handle: async (i, ctx) => {
    const { accountId } = callerAccount(ctx);
    checkPolicyDocument(i.PolicyDocument, 'identity');
    await onUser(i.UserName, () =>
      ctx.store.transaction(async (tx) => {
        const user = await tx.users.get(accountId, i.UserName);
        if (user === undefined) throw noSuchUser(i.UserName);
        const documents = await tx.users.getPolicyDocuments(accountId, i.UserName);
        const others = (documents?.inline ?? []).filter((p) => foldName(p.name) !== foldName(i.PolicyName));
        const total = [...others.map((p) => p.document), i.PolicyDocument].reduce(
          (sum, d) => sum + d.replace(/\s/g, '').length,
          0,
        );
        if (total > MAX_USER_INLINE_CHARS) {
          throw iamError(
            'LimitExceeded',
            `Maximum policy size of ${MAX_USER_INLINE_CHARS} bytes exceeded for user ${user.name}`,
          );
        }
        await tx.users.putPolicy(accountId, i.UserName, { name: i.PolicyName, document: i.PolicyDocument });
      }),
    );
    return {};
  },
};
