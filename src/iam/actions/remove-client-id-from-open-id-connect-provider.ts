import { structure } from '../../protocol/shape.js';
import { clientIdType, updateOidcProvider } from '../oidc-wire.js';
import type { QueryAction } from '../query-action.js';
import { oidcProviderNeed } from '../authorization-needs.js';
import { arnType } from '../wire.js';

const input = structure({ OpenIDConnectProviderArn: arnType(), ClientID: clientIdType() });
const output = structure({});

/**
 * IAM RemoveClientIDFromOpenIDConnectProvider: one audience fewer. Idempotent, as the API reference
 * says: an id not in the list is no error. Tokens for that audience stop being accepted at once.
 */
export const removeClientIDFromOpenIDConnectProvider: QueryAction<typeof input, typeof output> = {
  name: 'RemoveClientIDFromOpenIDConnectProvider',
  input,
  output,
  authentication: 'sigv4',
  authorize: (i, ctx) =>
    oidcProviderNeed(ctx, 'iam:RemoveClientIDFromOpenIDConnectProvider', i.OpenIDConnectProviderArn),
  handle: async (i, ctx) => {
    await updateOidcProvider(ctx, i.OpenIDConnectProviderArn, (p) =>
      p.clientIds.includes(i.ClientID) ? { clientIds: p.clientIds.filter((c) => c !== i.ClientID) } : {},
    );
    return {};
  },
};
