import { list, string, structure, timestamp, type ValueOf } from '../protocol/shape.js';
import type { AccessKey } from '../store/access-keys.js';
import { isStoreError } from '../store/errors.js';
import type { User } from '../store/users.js';
import { AwsError } from '../shared/aws-error.js';
import { iamError } from './errors.js';
import type { ActionContext } from './query-action.js';
import { callerAccount, tagShape, tagToWire } from './wire.js';

/**
 * Wire shapes and helpers of IAM users and their access keys, with the model's constraints (botocore
 * `iam/2010-05-08/service-2.json`: `userNameType` for new names, `existingUserNameType` for names that
 * are looked up, `accessKeyIdType`, `statusType`).
 */
export const userNameType = () => string({ required: true, min: 1, max: 64, pattern: '[\\w+=,.@-]+' });
export const existingUserNameType = () =>
  string({ required: true, min: 1, max: 128, pattern: '[\\w+=,.@-]+' });
/** The optional `UserName` of GetUser and the access-key actions: absent means the caller itself. */
export const optionalUserNameType = () => string({ min: 1, max: 128, pattern: '[\\w+=,.@-]+' });
export const accessKeyIdType = () => string({ required: true, min: 16, max: 128, pattern: '[\\w]+' });
export const statusType = () => string({ required: true, enum: ['Active', 'Inactive'] });

/**
 * IAM's `User` structure, members in the model's order. `Path` and `UserName` are absent for the
 * account root (GetUser without UserName, called with root credentials, answers the root's ARN, the
 * account id as UserId and the account's creation date), so they are optional here.
 */
export const userShape = structure(
  {
    Path: string(),
    UserName: string(),
    UserId: string({ required: true }),
    Arn: string({ required: true }),
    CreateDate: timestamp({ required: true }),
    PasswordLastUsed: timestamp(),
    PermissionsBoundary: structure({ PermissionsBoundaryType: string(), PermissionsBoundaryArn: string() }),
    Tags: list(tagShape),
  },
  { required: true },
);

export type WireUser = ValueOf<typeof userShape>;

/** IAM's `User`; ListUsers leaves the tags out, as AWS does (ListUsers: "Tags ... not included"). */
export function userToWire(user: User, options: { tags: boolean } = { tags: true }): WireUser {
  return {
    Path: user.path,
    UserName: user.name,
    UserId: user.id,
    Arn: user.arn,
    CreateDate: user.createdAt,
    ...(user.permissionsBoundaryArn !== undefined
      ? {
          PermissionsBoundary: {
            PermissionsBoundaryType: 'PermissionsBoundaryPolicy',
            PermissionsBoundaryArn: user.permissionsBoundaryArn,
          },
        }
      : {}),
    ...(options.tags && user.tags.length > 0 ? { Tags: user.tags.map(tagToWire) } : {}),
  };
}

/** IAM's `AccessKeyMetadata`. ⚠ For a root key `UserName` is left out (the root has no user name). */
export const accessKeyMetadataShape = structure({
  UserName: string(),
  AccessKeyId: string(),
  Status: string(),
  CreateDate: timestamp(),
});

export function accessKeyMetadataToWire(key: AccessKey): ValueOf<typeof accessKeyMetadataShape> {
  return {
    ...(key.user !== undefined ? { UserName: key.user.name } : {}),
    AccessKeyId: key.accessKeyId,
    Status: key.status,
    CreateDate: key.createdAt,
  };
}

/** `arn:PARTITION:iam::ACCOUNT:user/PATH/NAME` (the path starts and ends with `/`). */
export function userArn(ctx: ActionContext, path: string, name: string): string {
  const { accountId, partition } = callerAccount(ctx);
  return `arn:${partition}:iam::${accountId}:user${path}${name}`;
}

/**
 * The ARN a user action is authorized against: the user's real ARN, path included, when the user
 * exists (so a policy naming `user/eng/*` decides for users under `/eng/`, Allow and Deny alike), and
 * the root-path ARN of the name when it does not (the action then answers NoSuchEntity once allowed).
 */
export async function userResource(ctx: ActionContext, name: string): Promise<string> {
  const user = await ctx.store.users.get(callerAccount(ctx).accountId, name);
  return user?.arn ?? userArn(ctx, '/', name);
}

/**
 * The user an action with an optional `UserName` acts on: the named one, or the calling IAM user.
 * `undefined` for the account root (its own keys). A role session must name the user.
 */
export function targetUserName(ctx: ActionContext, userName: string | undefined): string | undefined {
  if (userName !== undefined) return userName;
  const caller = ctx.caller;
  if (caller.kind === 'user') return caller.userName;
  if (caller.kind === 'root') return undefined;
  // AWS's wording when GetUser / CreateAccessKey / ListAccessKeys run without UserName on credentials
  // that are no IAM user's (e.g. `aws iam get-user` with role credentials).
  throw new AwsError('ValidationError', 400, 'Must specify userName when calling with non-User credentials');
}

/**
 * The resource of an action on `UserName` or, without it, on the caller itself: the user's ARN, or
 * for the account root its own ARN (`arn:aws:iam::ACCOUNT:root`, which the root is always allowed).
 */
export async function targetResource(ctx: ActionContext, userName: string | undefined): Promise<string> {
  const name = targetUserName(ctx, userName);
  if (name !== undefined) return userResource(ctx, name);
  // INVARIANT: targetUserName returns undefined only for the root caller, and so `arn` exists.
  return ctx.caller.kind === 'anonymous' ? '*' : ctx.caller.arn;
}

/** `NoSuchEntity`: "The user with name X cannot be found." (IAM GetUser, AWS CLI output). */
export function noSuchUser(name: string): AwsError {
  return iamError('NoSuchEntity', `The user with name ${name} cannot be found.`);
}

/** `NoSuchEntity`: "The Access Key with id X cannot be found." (IAM UpdateAccessKey/DeleteAccessKey). */
export function noSuchAccessKey(accessKeyId: string): AwsError {
  return iamError('NoSuchEntity', `The Access Key with id ${accessKeyId} cannot be found.`);
}

/** `NoSuchEntity` "The user policy with name X cannot be found." (IAM GetUserPolicy, AWS CLI output). */
export function noSuchUserPolicy(name: string): AwsError {
  return iamError('NoSuchEntity', `The user policy with name ${name} cannot be found.`);
}

/** A store call on a user, with `notFound` (user) → NoSuchEntity and a foreign marker → InvalidInput. */
export async function onUser<T>(name: string, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (e) {
    if (isStoreError(e, 'notFound') && e.entity === 'user') throw noSuchUser(name);
    // ⚠ AWS's wording for a marker it did not issue is unconfirmed (same as ListRoles).
    if (isStoreError(e, 'invalidInput')) throw iamError('InvalidInput', 'Invalid Marker.');
    throw e;
  }
}

/** IAM's paging members, from a store page. */
export function pageMembers(marker: string | undefined): { IsTruncated: boolean; Marker?: string } {
  return { IsTruncated: marker !== undefined, ...(marker !== undefined ? { Marker: marker } : {}) };
}

/** `Marker` / `MaxItems` as the store takes them. */
export function pageRequest(i: { readonly Marker?: string; readonly MaxItems?: number }): {
  marker?: string;
  maxItems?: number;
} {
  return {
    ...(i.Marker !== undefined ? { marker: i.Marker } : {}),
    ...(i.MaxItems !== undefined ? { maxItems: i.MaxItems } : {}),
  };
}
