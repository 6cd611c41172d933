import { structure } from '../../protocol/shape.js';
import { noSuchRole } from '../errors.js';
import type { QueryAction } from '../query-action.js';
import { tagKeysContext } from '../request-context.js';
import { roleNeed } from '../authorization-needs.js';
import { removeTags, tagKeyListType } from '../tags.js';
import { callerAccount, roleNameType } from '../wire.js';

const input = structure({ RoleName: roleNameType(), TagKeys: tagKeyListType() });
const output = structure({});

/** IAM UntagRole: removes the tags with those keys (ignoring case); a key the role lacks is no error. */
export const untagRole: QueryAction<typeof input, typeof output> = {
  name: 'UntagRole',
  input,
  output,
  authentication: 'sigv4',
  authorize: (i, ctx) => roleNeed(ctx, 'iam:UntagRole', i.RoleName, () => [tagKeysContext(i.TagKeys)]),
  handle: (i, ctx) =>
    ctx.store.transaction(async (tx) => {
      const { accountId } = callerAccount(ctx);
      const role = await tx.roles.get(accountId, i.RoleName);
      if (role === undefined) throw noSuchRole(i.RoleName);
      await tx.roles.update(accountId, role.name, { tags: removeTags(role.tags, i.TagKeys) });
      return {};
    }),
};
