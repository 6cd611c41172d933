import { list, string, structure } from '../../protocol/shape.js';
import type { QueryAction } from '../query-action.js';
import { callerAccount } from '../wire.js';

const input = structure({});
const output = structure({ OpenIDConnectProviderList: list(structure({ Arn: string() })) });

/** IAM ListOpenIDConnectProviders: every provider of the account, in ARN order, unpaged as in IAM. */
export const listOpenIDConnectProviders: QueryAction<typeof input, typeof output> = {
  name: 'ListOpenIDConnectProviders',
  input,
  output,
  authentication: 'sigv4',
  authorize: () => [{ action: 'iam:ListOpenIDConnectProviders', resource: '*' }],
  handle: async (_i, ctx) => {
    const providers = await ctx.store.oidcProviders.list(callerAccount(ctx).accountId);
    return { OpenIDConnectProviderList: providers.map((p) => ({ Arn: p.arn })) };
  },
};
