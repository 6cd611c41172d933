import { list, string, structure } from '../../protocol/shape.js';
import { isStoreError } from '../../store/errors.js';
import { iamError } from '../errors.js';
import { oidcProviderArn } from '../oidc-wire.js';
import type { QueryAction } from '../query-action.js';
import { requestTagContext } from '../request-context.js';
import { checkRequestTags } from '../tags.js';
import { callerAccount, tagListType, tagShape, tagsFromWire } from '../wire.js';

const input = structure({
  Url: string({ required: true, min: 1, max: 255 }),
  ClientIDList: list(string({ min: 1, max: 255 }), { max: 100 }),
  ThumbprintList: list(string({ min: 40, max: 40 }), { max: 5 }),
  Tags: tagListType(),
});
const output = structure({ OpenIDConnectProviderArn: string(), Tags: list(tagShape) });

/**
 * IAM CreateOpenIDConnectProvider (irsa-wire.md §4.1): registers an issuer URL, unique per account; its
 * ARN is the URL without `https://`. Thumbprints are optional, as in IAM today.
 */
export const createOpenIDConnectProvider: QueryAction<typeof input, typeof output> = {
  name: 'CreateOpenIDConnectProvider',
  input,
  output,
  authentication: 'sigv4',
  authorize: (i, ctx) => {
    const context = requestTagContext(tagsFromWire(i.Tags));
    return [
      {
        action: 'iam:CreateOpenIDConnectProvider',
        resource: oidcProviderArn(ctx, i.Url),
        ...(context.length > 0 ? { context: new Map(context) } : {}),
      },
    ];
  },
  handle: async (i, ctx) => {
    if (!/^https:\/\/[^?#]+$/.test(i.Url)) {
      // ⚠ wording unconfirmed.
      throw iamError('InvalidInput', `Invalid Url: ${i.Url}; it must begin with https:// and have no query`);
    }
    const arn = oidcProviderArn(ctx, i.Url);
    const tags = tagsFromWire(i.Tags);
    checkRequestTags(tags);
    try {
      await ctx.store.oidcProviders.create({
        accountId: callerAccount(ctx).accountId,
        arn,
        url: i.Url,
        clientIds: i.ClientIDList ?? [],
        thumbprints: i.ThumbprintList ?? [],
        tags,
        createdAt: ctx.clock.now(),
      });
    } catch (e) {
      // ⚠ wording unconfirmed.
      if (isStoreError(e, 'alreadyExists')) {
        throw iamError('EntityAlreadyExists', `Provider with url ${i.Url} already exists.`);
      }
      throw e;
    }
    return {
      OpenIDConnectProviderArn: arn,
      ...(i.Tags !== undefined && i.Tags.length > 0 ? { Tags: i.Tags } : {}),
    };
  },
};
