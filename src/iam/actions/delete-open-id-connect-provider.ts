import { structure } from '../../protocol/shape.js';
import { isStoreError } from '../../store/errors.js';
import { noSuchOidcProvider } from '../oidc-wire.js';
import type { QueryAction } from '../query-action.js';
import { oidcProviderNeed } from '../authorization-needs.js';
import { arnType, callerAccount } from '../wire.js';

const input = structure({ OpenIDConnectProviderArn: arnType() });
const output = structure({});

/** IAM DeleteOpenIDConnectProvider. */
export const deleteOpenIDConnectProvider: QueryAction<typeof input, typeof output> = {
  name: 'DeleteOpenIDConnectProvider',
  input,
  output,
  authentication: 'sigv4',
  authorize: (i, ctx) => oidcProviderNeed(ctx, 'iam:DeleteOpenIDConnectProvider', i.OpenIDConnectProviderArn),
  handle: async (i, ctx) => {
    try {
      await ctx.store.oidcProviders.delete(callerAccount(ctx).accountId, i.OpenIDConnectProviderArn);
      return {};
    } catch (e) {
      if (isStoreError(e, 'notFound')) throw noSuchOidcProvider(i.OpenIDConnectProviderArn);
      throw e;
    }
  },
};
