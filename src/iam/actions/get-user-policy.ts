import { string, structure } from '../../protocol/shape.js';
import type { QueryAction } from '../query-action.js';
import { existingUserNameType, noSuchUser, noSuchUserPolicy, userResource } from '../user-wire.js';
import { callerAccount, encodeDocument, policyNameType } from '../wire.js';

const input = structure({ UserName: existingUserNameType(), PolicyName: policyNameType() });
const output = structure({
  UserName: string({ required: true }),
  PolicyName: string({ required: true }),
  PolicyDocument: string({ required: true }),
});

/** IAM GetUserPolicy: an inline policy of a user, its document percent-encoded as AWS sends it. */
export const getUserPolicy: QueryAction<typeof input, typeof output> = {
  name: 'GetUserPolicy',
  input,
  output,
  authentication: 'sigv4',
  authorize: async (i, ctx) => [
    { action: 'iam:GetUserPolicy', resource: await userResource(ctx, i.UserName) },
  ],
  handle: async (i, ctx) => {
    const { accountId } = callerAccount(ctx);
    const user = await ctx.store.users.get(accountId, i.UserName);
    if (user === undefined) throw noSuchUser(i.UserName);
    const policy = await ctx.store.users.getPolicy(accountId, i.UserName, i.PolicyName);
    if (policy === undefined) throw noSuchUserPolicy(i.PolicyName);
    return { UserName: user.name, PolicyName: policy.name, PolicyDocument: encodeDocument(policy.document) };
  },
};
