import type { AccessKey } from '../store/access-keys.js';
import type { ActionContext } from './query-action.js';
import { noSuchAccessKey, targetUserName } from './user-wire.js';
import { callerAccount } from './wire.js';
import { foldName } from '../store/names.js';

/**
 * The key UpdateAccessKey / DeleteAccessKey act on: key `accessKeyId` of the named user or, without
 * `UserName`, of the caller (an IAM user's own keys; the account root's own keys). A key of anyone
 * else, or of another account, is NoSuchEntity, as if it did not exist.
 */
export async function ownedAccessKey(
  ctx: ActionContext,
  userName: string | undefined,
  accessKeyId: string,
): Promise<AccessKey> {
  const owner = targetUserName(ctx, userName);
  const key = await ctx.store.accessKeys.get(accessKeyId);
  const owned =
    key !== undefined &&
    key.accountId === callerAccount(ctx).accountId &&
    (owner === undefined
      ? key.user === undefined
      : key.user !== undefined && foldName(key.user.name) === foldName(owner));
  if (!owned) throw noSuchAccessKey(accessKeyId);
  return key;
}
