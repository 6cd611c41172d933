import { list, structure } from '../../protocol/shape.js';
import { updateOidcProvider } from '../oidc-wire.js';
import type { QueryAction } from '../query-action.js';
import { requestTagContext } from '../request-context.js';
import { oidcProviderNeed } from '../authorization-needs.js';
import { mergeTags } from '../tags.js';
import { arnType, tagShape, tagsFromWire } from '../wire.js';

const input = structure({
  OpenIDConnectProviderArn: arnType(),
  Tags: list(tagShape, { required: true, max: 50 }),
});
const output = structure({});

/** IAM TagOpenIDConnectProvider: adds tags, overwriting a key already there (ignoring case); at most 50. */
export const tagOpenIDConnectProvider: QueryAction<typeof input, typeof output> = {
  name: 'TagOpenIDConnectProvider',
  input,
  output,
  authentication: 'sigv4',
  authorize: (i, ctx) =>
    oidcProviderNeed(ctx, 'iam:TagOpenIDConnectProvider', i.OpenIDConnectProviderArn, () =>
      requestTagContext(tagsFromWire(i.Tags)),
    ),
  handle: async (i, ctx) => {
    await updateOidcProvider(ctx, i.OpenIDConnectProviderArn, (p) => ({
      tags: mergeTags(p.tags, tagsFromWire(i.Tags)),
    }));
    return {};
  },
};
