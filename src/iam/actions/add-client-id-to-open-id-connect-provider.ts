import { structure } from '../../protocol/shape.js';
import { iamError } from '../errors.js';
import { clientIdType, MAX_CLIENT_IDS, updateOidcProvider } from '../oidc-wire.js';
import type { QueryAction } from '../query-action.js';
import { oidcProviderNeed } from '../authorization-needs.js';
import { arnType } from '../wire.js';

const input = structure({ OpenIDConnectProviderArn: arnType(), ClientID: clientIdType() });
const output = structure({});

/**
 * IAM AddClientIDToOpenIDConnectProvider: one more audience. Idempotent, as the API reference says: an
 * id already in the list changes nothing. Client ids compare exactly (they are `aud` values).
 */
export const addClientIDToOpenIDConnectProvider: QueryAction<typeof input, typeof output> = {
  name: 'AddClientIDToOpenIDConnectProvider',
  input,
  output,
  authentication: 'sigv4',
  authorize: (i, ctx) =>
    oidcProviderNeed(ctx, 'iam:AddClientIDToOpenIDConnectProvider', i.OpenIDConnectProviderArn),
  handle: async (i, ctx) => {
    await updateOidcProvider(ctx, i.OpenIDConnectProviderArn, (p) => {
      if (p.clientIds.includes(i.ClientID)) return {};
      if (p.clientIds.length >= MAX_CLIENT_IDS) {
        // ⚠ wording unconfirmed; the quota is 100 client ids per provider (irsa-wire.md §4.1).
        throw iamError(
          'LimitExceeded',
          `Cannot exceed quota for ClientIdsPerOpenIdConnectProvider: ${MAX_CLIENT_IDS}`,
        );
      }
      return { clientIds: [...p.clientIds, i.ClientID] };
    });
    return {};
  },
};
