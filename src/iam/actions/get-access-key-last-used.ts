import { string, structure, timestamp } from '../../protocol/shape.js';
import type { QueryAction } from '../query-action.js';
import { accessKeyIdType, noSuchAccessKey } from '../user-wire.js';
import { callerAccount } from '../wire.js';

const input = structure({ AccessKeyId: accessKeyIdType() });
const output = structure({
  UserName: string(),
  AccessKeyLastUsed: structure({
    LastUsedDate: timestamp(),
    ServiceName: string({ required: true }),
    Region: string({ required: true }),
  }),
});

/**
 * IAM GetAccessKeyLastUsed. openirsa does not record when a key was last used (that would be a write
 * on every authenticated request), so every key answers as AWS answers for a key that has never been
 * used: ServiceName and Region `N/A` and no LastUsedDate (IAM API Reference, AccessKeyLastUsed: the
 * fields hold N/A for a key not used since IAM started tracking). DECISION: recording last use needs a
 * schema migration (a column on access_keys) and a write per request; left for later.
 *
 * Authorized on the ARN of the key's owner (the user, or the root for a root key). A key this account
 * does not have is authorized on `*` and then answers NoSuchEntity. ⚠ AWS's answer for an unknown key
 * id is unconfirmed.
 */
export const getAccessKeyLastUsed: QueryAction<typeof input, typeof output> = {
  name: 'GetAccessKeyLastUsed',
  input,
  output,
  authentication: 'sigv4',
  authorize: async (i, ctx) => {
    const { accountId, partition } = callerAccount(ctx);
    const key = await ctx.store.accessKeys.get(i.AccessKeyId);
    const resource =
      key === undefined || key.accountId !== accountId
        ? '*'
        : (key.user?.arn ?? `arn:${partition}:iam::${accountId}:root`);
    return [{ action: 'iam:GetAccessKeyLastUsed', resource }];
  },
  handle: async (i, ctx) => {
    const key = await ctx.store.accessKeys.get(i.AccessKeyId);
    if (key === undefined || key.accountId !== callerAccount(ctx).accountId) {
      throw noSuchAccessKey(i.AccessKeyId);
    }
    return {
      ...(key.user !== undefined ? { UserName: key.user.name } : {}),
      AccessKeyLastUsed: { ServiceName: 'N/A', Region: 'N/A' },
    };
  },
};
