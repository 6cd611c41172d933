import { isoSecond } from '../shared/iso-second.js';
import type { ContextValue } from '../policy/types.js';
import type { StoreScope } from '../store/types.js';
import type { Caller } from './caller.js';

/**
 * The condition keys a request carries because of who sent it, beyond those `derivedContext` derives
 * from the principal alone (IAM User Guide, "AWS global condition context keys"):
 * - `aws:PrincipalTag/<key>`: an IAM user's tags; for a role session, the role's tags with the session
 *   tags on top, a session tag replacing a role tag of the same key in any case ("session tags override
 *   a role tag with the same key", IAM User Guide, "Pass session tags in AWS STS");
 * - `aws:SourceIdentity`, when the session has one (it persists through role chaining);
 * - `aws:TokenIssueTime` and `aws:MultiFactorAuthPresent` for temporary credentials: present, and
 *   `false`, since openirsa never authenticates with MFA ("not present when ... long-term credentials").
 * Keys are lower-cased, as the request context holds them; tag values keep their case. A user or role
 * that is gone contributes no tags.
 */
export async function principalContext(
  store: StoreScope,
  caller: Caller,
): Promise<Map<string, ContextValue>> {
  const out = new Map<string, ContextValue>();
  const setTags = (tags: Iterable<readonly [string, string]>) => {
    for (const [key, value] of tags) out.set(`aws:principaltag/${key.toLowerCase()}`, value);
  };
  const setTemporary = (issuedAt: number) => {
    out.set('aws:tokenissuetime', isoSecond(issuedAt));
    out.set('aws:multifactorauthpresent', 'false');
  };
  switch (caller.kind) {
    case 'user': {
      const user = await store.users.get(caller.accountId, caller.userName);
      if (user !== undefined && user.id === caller.userId) setTags(user.tags.map((t) => [t.key, t.value]));
      if (caller.temporary !== undefined) setTemporary(caller.temporary.issuedAt);
      break;
    }
    case 'root':
      if (caller.temporary !== undefined) setTemporary(caller.temporary.issuedAt);
      break;
    case 'assumedRole': {
      const role = await store.roles.get(caller.accountId, caller.roleName);
      if (role !== undefined && role.id === caller.roleId) setTags(role.tags.map((t) => [t.key, t.value]));
      setTags(Object.entries(caller.tags ?? {}));
      if (caller.sourceIdentity !== undefined) out.set('aws:sourceidentity', caller.sourceIdentity);
      setTemporary(caller.issuedAt);
      break;
    }
    case 'anonymous':
      break;
  }
  return out;
}
