import { structure } from '../../protocol/shape.js';
import { thumbprintListType, updateOidcProvider } from '../oidc-wire.js';
import type { QueryAction } from '../query-action.js';
import { oidcProviderNeed } from '../authorization-needs.js';
import { arnType } from '../wire.js';

const input = structure({ OpenIDConnectProviderArn: arnType(), ThumbprintList: thumbprintListType() });
const output = structure({});

/**
 * IAM UpdateOpenIDConnectProviderThumbprint: replaces the whole thumbprint list (at most 5, each 40
 * characters). openirsa keeps thumbprints for clients that read them back; its STS trusts the issuer's
 * JWKS by URL, as AWS now does for issuers with certificates from trusted CAs (irsa-wire.md §4.1).
 */
export const updateOpenIDConnectProviderThumbprint: QueryAction<typeof input, typeof output> = {
  name: 'UpdateOpenIDConnectProviderThumbprint',
  input,
  output,
  authentication: 'sigv4',
  authorize: (i, ctx) =>
    oidcProviderNeed(ctx, 'iam:UpdateOpenIDConnectProviderThumbprint', i.OpenIDConnectProviderArn),
  handle: async (i, ctx) => {
    await updateOidcProvider(ctx, i.OpenIDConnectProviderArn, () => ({ thumbprints: i.ThumbprintList }));
    return {};
  },
};
