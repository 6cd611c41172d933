import { boolean, list, string, structure } from '../../protocol/shape.js';
import type { QueryAction } from '../query-action.js';
import {
  accessKeyMetadataShape,
  accessKeyMetadataToWire,
  onUser,
  optionalUserNameType,
  pageMembers,
  pageRequest,
  targetResource,
  targetUserName,
} from '../user-wire.js';
import { callerAccount, markerType, maxItemsType } from '../wire.js';

const input = structure({ UserName: optionalUserNameType(), Marker: markerType(), MaxItems: maxItemsType() });
const output = structure({
  AccessKeyMetadata: list(accessKeyMetadataShape, { required: true }),
  IsTruncated: boolean(),
  Marker: string(),
});

/**
 * IAM ListAccessKeys: the keys (without secrets) of the named user or, without `UserName`, of the
 * caller — for the account root its root keys — in creation order.
 */
export const listAccessKeys: QueryAction<typeof input, typeof output> = {
  name: 'ListAccessKeys',
  input,
  output,
  authentication: 'sigv4',
  authorize: async (i, ctx) => [
    { action: 'iam:ListAccessKeys', resource: await targetResource(ctx, i.UserName) },
  ],
  handle: async (i, ctx) => {
    const { accountId } = callerAccount(ctx);
    const userName = targetUserName(ctx, i.UserName);
    const page = await onUser(userName ?? '', () =>
      userName === undefined
        ? ctx.store.accessKeys.listForRoot(accountId, pageRequest(i))
        : ctx.store.accessKeys.listForUser(accountId, userName, pageRequest(i)),
    );
    return { AccessKeyMetadata: page.items.map(accessKeyMetadataToWire), ...pageMembers(page.marker) };
  },
};
