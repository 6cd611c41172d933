import { list, structure } from '../../protocol/shape.js';
import { noSuchRole } from '../errors.js';
import type { QueryAction } from '../query-action.js';
import { requestTagContext } from '../request-context.js';
import { roleNeed } from '../authorization-needs.js';
import { mergeTags } from '../tags.js';
import { callerAccount, roleNameType, tagShape, tagsFromWire } from '../wire.js';

const input = structure({ RoleName: roleNameType(), Tags: list(tagShape, { required: true, max: 50 }) });
const output = structure({});

/**
 * IAM TagRole: adds tags, a tag whose key is already there (ignoring case) overwriting it; at most 50
 * tags on the role afterwards. Read and write are one transaction, so concurrent TagRoles both land.
 */
export const tagRole: QueryAction<typeof input, typeof output> = {
  name: 'TagRole',
  input,
  output,
  authentication: 'sigv4',
  authorize: (i, ctx) =>
    roleNeed(ctx, 'iam:TagRole', i.RoleName, () => requestTagContext(tagsFromWire(i.Tags))),
  handle: (i, ctx) =>
    ctx.store.transaction(async (tx) => {
      const { accountId } = callerAccount(ctx);
      const role = await tx.roles.get(accountId, i.RoleName);
      if (role === undefined) throw noSuchRole(i.RoleName);
      await tx.roles.update(accountId, role.name, { tags: mergeTags(role.tags, tagsFromWire(i.Tags)) });
      return {};
    }),
};
