import { list, string } from '../protocol/shape.js';
import type { OidcProvider, OidcProviderUpdate } from '../store/oidc-providers.js';
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

/** IAM's `clientIDType` (botocore iam model: 1..255 characters). */
export const clientIdType = () => string({ required: true, min: 1, max: 255 });

/** IAM's `thumbprintListType`: each exactly 40 characters, at most 5 (irsa-wire.md §4.1). */
export const thumbprintListType = () =>
  list(string({ min: 40, max: 40 }), { required: true, max: MAX_THUMBPRINTS });

/** At most 100 client ids per provider (irsa-wire.md §4.1). */
export const MAX_CLIENT_IDS = 100;
export const MAX_THUMBPRINTS = 5;

/**
 * Reads a provider for an update and writes `change(provider)` back, in one transaction; a provider that
 * is not there is NoSuchEntity with its ARN.
 */
export function updateOidcProvider(
  ctx: ActionContext,
  arn: string,
  change: (provider: OidcProvider) => OidcProviderUpdate,
): Promise<OidcProvider> {
  return ctx.store.transaction(async (tx) => {
    const { accountId } = callerAccount(ctx);
    const provider = await tx.oidcProviders.get(accountId, arn);
    if (provider === undefined) throw noSuchOidcProvider(arn);
    return tx.oidcProviders.update(accountId, arn, change(provider));
  });
}
