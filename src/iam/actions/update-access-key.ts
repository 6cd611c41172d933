import { structure } from '../../protocol/shape.js';
import { ownedAccessKey } from '../access-key-target.js';
import type { QueryAction } from '../query-action.js';
import { accessKeyIdType, optionalUserNameType, statusType, targetResource } from '../user-wire.js';
import { callerAccount } from '../wire.js';

const input = structure({
  UserName: optionalUserNameType(),
  AccessKeyId: accessKeyIdType(),
  Status: statusType(),
});
const output = structure({});

/**
 * IAM UpdateAccessKey: makes a key `Active` or `Inactive`. An inactive key no longer authenticates:
 * its requests fail as an unknown key's do (InvalidClientTokenId, server/authenticate.ts).
 */
export const updateAccessKey: QueryAction<typeof input, typeof output> = {
  name: 'UpdateAccessKey',
  input,
  output,
  authentication: 'sigv4',
  authorize: async (i, ctx) => [
    { action: 'iam:UpdateAccessKey', resource: await targetResource(ctx, i.UserName) },
  ],
  handle: async (i, ctx) => {
    const key = await ownedAccessKey(ctx, i.UserName, i.AccessKeyId);
    await ctx.store.accessKeys.updateStatus(callerAccount(ctx).accountId, key.accessKeyId, i.Status);
    return {};
  },
};
