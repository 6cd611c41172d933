import { structure } from '../../protocol/shape.js';
import { ownedAccessKey } from '../access-key-target.js';
import type { QueryAction } from '../query-action.js';
import { accessKeyIdType, optionalUserNameType, targetResource } from '../user-wire.js';
import { callerAccount } from '../wire.js';

const input = structure({ UserName: optionalUserNameType(), AccessKeyId: accessKeyIdType() });
const output = structure({});

/** IAM DeleteAccessKey: deletes a key of the named user or of the caller; it never authenticates again. */
export const deleteAccessKey: QueryAction<typeof input, typeof output> = {
  name: 'DeleteAccessKey',
  input,
  output,
  authentication: 'sigv4',
  authorize: async (i, ctx) => [
    { action: 'iam:DeleteAccessKey', resource: await targetResource(ctx, i.UserName) },
  ],
  handle: async (i, ctx) => {
    const key = await ownedAccessKey(ctx, i.UserName, i.AccessKeyId);
    await ctx.store.accessKeys.delete(callerAccount(ctx).accountId, key.accessKeyId);
    return {};
  },
};
