import type { Tag } from './types.js';

/** An IAM OpenID Connect provider (irsa-wire.md §4.1). */
export interface OidcProvider {
  readonly accountId: string;
  /** `arn:aws:iam::ACCOUNT:oidc-provider/HOST/PATH`: the URL without `https://`, case kept. */
  readonly arn: string;
  /** `https://HOST/PATH` as registered; case-sensitive. */
  readonly url: string;
  /** The audiences (ClientIDList), in the caller's order. */
  readonly clientIds: readonly string[];
  /** Hex SHA-1 thumbprints, in the caller's order. */
  readonly thumbprints: readonly string[];
  readonly tags: readonly Tag[];
  readonly createdAt: number;
}

/** What CreateOpenIDConnectProvider stores. */
export interface NewOidcProvider extends Omit<OidcProvider, 'tags'> {
  readonly tags?: readonly Tag[];
}

/**
 * Add/RemoveClientIDToOpenIDConnectProvider, UpdateOpenIDConnectProviderThumbprint, Tag/Untag: each
 * list replaced whole.
 */
export interface OidcProviderUpdate {
  readonly clientIds?: readonly string[];
  readonly thumbprints?: readonly string[];
  readonly tags?: readonly Tag[];
}

/**
 * OIDC providers, keyed by account and ARN (the ARN is a function of the URL, so a URL is registered once
 * per account). STS finds the provider of a token by formatting the ARN from the role's account and the
 * token's `iss`.
 */
export interface OidcProviderStore {
  /** Fails `notFound` (`account`) or `alreadyExists` (`oidcProvider`). */
  create(provider: NewOidcProvider): Promise<OidcProvider>;
  get(accountId: string, arn: string): Promise<OidcProvider | undefined>;
  /** In ARN order; IAM's ListOpenIDConnectProviders does not page (the quota is 100 per account). */
  list(accountId: string): Promise<readonly OidcProvider[]>;
  /** Fails `notFound`. */
  update(accountId: string, arn: string, update: OidcProviderUpdate): Promise<OidcProvider>;
  /** Fails `notFound`. */
  delete(accountId: string, arn: string): Promise<void>;
}
