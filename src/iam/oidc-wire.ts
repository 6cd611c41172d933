import { iamError } from './errors.js';
import type { AwsError } from '../shared/aws-error.js';
import type { ActionContext } from './query-action.js';
import { callerAccount } from './wire.js';

/** `arn:PARTITION:iam::ACCOUNT:oidc-provider/<Url without https://>` (irsa-wire.md §4.1). */
export function oidcProviderArn(ctx: ActionContext, url: string): string {
  const { accountId, partition } = callerAccount(ctx);
  return `arn:${partition}:iam::${accountId}:oidc-provider/${url.replace(/^https:\/\//, '')}`;
}

/** ⚠ wording unconfirmed (seen in public reports as "OpenIDConnect Provider not found for arn ARN"). */
export function noSuchOidcProvider(arn: string): AwsError {
  return iamError('NoSuchEntity', `OpenIDConnect Provider not found for arn ${arn}`);
}
