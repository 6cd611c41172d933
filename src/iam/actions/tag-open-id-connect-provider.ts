import { list, structure } from '../../protocol/shape.js';
import { updateOidcProvider } from '../oidc-wire.js';
import type { QueryAction } from '../query-action.js';
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
  authorize: (i) => [{ action: 'iam:TagOpenIDConnectProvider', resource: i.OpenIDConnectProviderArn }],
  handle: async (i, ctx) => {
    await updateOidcProvider(ctx, i.OpenIDConnectProviderArn, (p) => ({
      tags: mergeTags(p.tags, tagsFromWire(i.Tags)),
    }));
    return {};
  },
};
