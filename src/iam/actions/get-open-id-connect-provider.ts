import { list, string, structure, timestamp } from '../../protocol/shape.js';
import { noSuchOidcProvider } from '../oidc-wire.js';
import type { QueryAction } from '../query-action.js';
import { oidcProviderNeed } from '../authorization-needs.js';
import { arnType, callerAccount, tagShape, tagToWire } from '../wire.js';

const input = structure({ OpenIDConnectProviderArn: arnType() });
const output = structure({
  Url: string(),
  ClientIDList: list(string()),
  ThumbprintList: list(string()),
  CreateDate: timestamp(),
  Tags: list(tagShape),
});

/** IAM GetOpenIDConnectProvider: `Url` is sent without `https://`, as IAM sends it. */
export const getOpenIDConnectProvider: QueryAction<typeof input, typeof output> = {
  name: 'GetOpenIDConnectProvider',
  input,
  output,
  authentication: 'sigv4',
  authorize: (i, ctx) => oidcProviderNeed(ctx, 'iam:GetOpenIDConnectProvider', i.OpenIDConnectProviderArn),
  handle: async (i, ctx) => {
    const p = await ctx.store.oidcProviders.get(callerAccount(ctx).accountId, i.OpenIDConnectProviderArn);
    if (p === undefined) throw noSuchOidcProvider(i.OpenIDConnectProviderArn);
    return {
      Url: p.url.replace(/^https:\/\//, ''),
      ClientIDList: p.clientIds,
      ThumbprintList: p.thumbprints,
      CreateDate: p.createdAt,
      Tags: p.tags.map(tagToWire),
    };
  },
};
