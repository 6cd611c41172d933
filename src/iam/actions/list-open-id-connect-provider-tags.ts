import { structure } from '../../protocol/shape.js';
import { pageList } from '../list-page.js';
import { noSuchOidcProvider } from '../oidc-wire.js';
import type { QueryAction } from '../query-action.js';
import { oidcProviderNeed } from '../authorization-needs.js';
import { tagPageOutput } from '../tags.js';
import { arnType, callerAccount, markerType, maxItemsType, tagToWire } from '../wire.js';

const input = structure({
  OpenIDConnectProviderArn: arnType(),
  Marker: markerType(),
  MaxItems: maxItemsType(),
});
const output = tagPageOutput();

/** IAM ListOpenIDConnectProviderTags: the provider's tags, paged with `Marker`/`MaxItems`. */
export const listOpenIDConnectProviderTags: QueryAction<typeof input, typeof output> = {
  name: 'ListOpenIDConnectProviderTags',
  input,
  output,
  authentication: 'sigv4',
  authorize: (i, ctx) =>
    oidcProviderNeed(ctx, 'iam:ListOpenIDConnectProviderTags', i.OpenIDConnectProviderArn),
  handle: async (i, ctx) => {
    const p = await ctx.store.oidcProviders.get(callerAccount(ctx).accountId, i.OpenIDConnectProviderArn);
    if (p === undefined) throw noSuchOidcProvider(i.OpenIDConnectProviderArn);
    const page = pageList(p.tags, i);
    return {
      Tags: page.items.map(tagToWire),
      IsTruncated: page.IsTruncated,
      ...(page.Marker !== undefined ? { Marker: page.Marker } : {}),
    };
  },
};
