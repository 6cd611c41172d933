import { string, structure, timestamp } from '../../protocol/shape.js';
import { iamError } from '../errors.js';
import type { QueryAction } from '../query-action.js';
import { onUser, optionalUserNameType, targetResource, targetUserName } from '../user-wire.js';
import { callerAccount } from '../wire.js';

const input = structure({ UserName: optionalUserNameType() });
const output = structure({
  AccessKey: structure(
    {
      UserName: string(),
      AccessKeyId: string({ required: true }),
      Status: string({ required: true }),
      SecretAccessKey: string({ required: true, sensitive: true }),
      CreateDate: timestamp(),
    },
    { required: true },
  ),
});

/** IAM's quota (IAM User Guide, "IAM and AWS STS quotas": access keys per user, 2). */
export const MAX_ACCESS_KEYS = 2;

const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

/**
 * IAM CreateAccessKey: a new `Active` long-term key (`AKIA` and 16 characters, a 40-character
 * secret) for the named user or, without `UserName`, for the caller itself — for the account root a
 * root key. A third key is LimitExceeded with AWS's message "Cannot exceed quota for
 * AccessKeysPerUser: 2". The secret is in this response only; it is never logged.
 */
export const createAccessKey: QueryAction<typeof input, typeof output> = {
  name: 'CreateAccessKey',
  input,
  output,
  authentication: 'sigv4',
  authorize: async (i, ctx) => [
    { action: 'iam:CreateAccessKey', resource: await targetResource(ctx, i.UserName) },
  ],
  handle: async (i, ctx) => {
    const { accountId } = callerAccount(ctx);
    const userName = targetUserName(ctx, i.UserName);
    // Count and create in one transaction: two concurrent calls cannot both take the last slot.
    const key = await onUser(userName ?? '', () =>
      ctx.store.transaction(async (tx) => {
        const existing =
          userName === undefined
            ? await tx.accessKeys.listForRoot(accountId, { maxItems: MAX_ACCESS_KEYS + 1 })
            : await tx.accessKeys.listForUser(accountId, userName, { maxItems: MAX_ACCESS_KEYS + 1 });
        if (existing.items.length >= MAX_ACCESS_KEYS) {
          throw iamError('LimitExceeded', `Cannot exceed quota for AccessKeysPerUser: ${MAX_ACCESS_KEYS}`);
        }
        return tx.accessKeys.create({
          accessKeyId: accessKeyId(ctx.ids.bytes(16)),
          accountId,
          ...(userName !== undefined ? { userName } : {}),
          secretAccessKey: ctx.ids.bytes(30).toString('base64'),
          status: 'Active',
          createdAt: ctx.clock.now(),
        });
      }),
    );
    return {
      AccessKey: {
        ...(key.user !== undefined ? { UserName: key.user.name } : {}),
        AccessKeyId: key.accessKeyId,
        Status: key.status,
        SecretAccessKey: key.secretAccessKey,
        CreateDate: key.createdAt,
      },
    };
  },
};

/** `AKIA` and 16 base32 characters: the 20-character form IAM issues. */
function accessKeyId(bytes: Buffer): string {
  let out = 'AKIA';
  for (let i = 0; i < 16; i++) out += BASE32[(bytes[i] ?? 0) & 31];
  return out;
}
