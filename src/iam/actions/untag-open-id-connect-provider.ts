import { structure } from '../../protocol/shape.js';
import { updateOidcProvider } from '../oidc-wire.js';
import type { QueryAction } from '../query-action.js';
import { tagKeysContext } from '../request-context.js';
import { oidcProviderNeed } from '../authorization-needs.js';
import { removeTags, tagKeyListType } from '../tags.js';
import { arnType } from '../wire.js';

const input = structure({ OpenIDConnectProviderArn: arnType(), TagKeys: tagKeyListType() });
const output = structure({});

/** IAM UntagOpenIDConnectProvider: removes the tags with those keys (ignoring case). */
export const untagOpenIDConnectProvider: QueryAction<typeof input, typeof output> = {
  name: 'UntagOpenIDConnectProvider',
  input,
  output,
  authentication: 'sigv4',
  authorize: (i, ctx) =>
    oidcProviderNeed(ctx, 'iam:UntagOpenIDConnectProvider', i.OpenIDConnectProviderArn, () => [
      tagKeysContext(i.TagKeys),
    ]),
  handle: async (i, ctx) => {
    await updateOidcProvider(ctx, i.OpenIDConnectProviderArn, (p) => ({
      tags: removeTags(p.tags, i.TagKeys),
    }));
    return {};
  },
};
