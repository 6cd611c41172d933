import { boolean, list, string, structure } from '../../protocol/shape.js';
import type { QueryAction } from '../query-action.js';
import { onUser, pageMembers, pageRequest, userArn, userShape, userToWire } from '../user-wire.js';
import { callerAccount, markerType, maxItemsType, pathPrefixType } from '../wire.js';

const input = structure({ PathPrefix: pathPrefixType(), Marker: markerType(), MaxItems: maxItemsType() });
const output = structure({
  Users: list(userShape, { required: true }),
  IsTruncated: boolean(),
  Marker: string(),
});

/**
 * IAM ListUsers: users in name order, optionally under `PathPrefix`, paged with `Marker`/`MaxItems`
 * (default 100). As in AWS, users are listed without their tags ("this operation does not return
 * tags, even though they are an attribute of the returned object", IAM API Reference, ListUsers).
 */
export const listUsers: QueryAction<typeof input, typeof output> = {
  name: 'ListUsers',
  input,
  output,
  authentication: 'sigv4',
  // ⚠ The resource is the path prefix's user ARN (`arn:aws:iam::ACCOUNT:user/`, as AWS's AccessDenied
  // messages for ListUsers show it), so a policy on `user/eng/*` allows listing `/eng/`.
  authorize: (i, ctx) => [{ action: 'iam:ListUsers', resource: userArn(ctx, i.PathPrefix ?? '/', '') }],
  handle: async (i, ctx) => {
    const page = await onUser('', () =>
      ctx.store.users.list(callerAccount(ctx).accountId, {
        ...(i.PathPrefix !== undefined ? { pathPrefix: i.PathPrefix } : {}),
        ...pageRequest(i),
      }),
    );
    return {
      Users: page.items.map((u) => userToWire(u, { tags: false })),
      ...pageMembers(page.marker),
    };
  },
};
