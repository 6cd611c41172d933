import { isAccountId, parseArn } from '../shared/arn.js';
import type { PrincipalBlock } from './ast.js';
import type { Principal, PrincipalMatchKind } from './types.js';

/**
 * Principals: who is calling (`parsePrincipal`), and the `Principal` / `NotPrincipal` element that
 * names them (`compilePrincipals`, `matchPrincipal`). The element forms are those of the IAM User Guide,
 * "AWS JSON policy elements: Principal".
 */

/**
 * Reads the caller of a simulation: an ARN (`arn:aws:iam::A:root`, `...:user/NAME`,
 * `arn:aws:sts::A:assumed-role/ROLE/SESSION`, `...:federated-user/NAME`), a bare account id (its root),
 * `"anonymous"`, `{ "federated": PROVIDER }`, `{ "service": NAME }`, or `{ "arn": ..., "roleArn": ...,
 * "roleId": ..., "userId": ... }` to add what an ARN cannot say (a role's path and unique id).
 */
export function parsePrincipal(input: unknown): Principal | { readonly error: string } {
  if (input === 'anonymous') return { type: 'anonymous' };
  if (typeof input === 'string') return principalFromArn(input);
  if (input === null || typeof input !== 'object' || Array.isArray(input)) {
    return { error: 'principal must be an ARN string, "anonymous", or an object' };
  }
  const o = input as Record<string, unknown>;
  if (typeof o.federated === 'string') return { type: 'federated', provider: o.federated };
  if (typeof o.service === 'string') return { type: 'service', service: o.service };
  if (typeof o.arn !== 'string') {
    return { error: 'a principal object needs `arn`, `federated` or `service`' };
  }
  const base = principalFromArn(o.arn);
  if ('error' in base) return base;
  if (base.type === 'assumedRole') {
    let roleArn = base.roleArn;
    if (o.roleArn !== undefined) {
      if (typeof o.roleArn !== 'string') return { error: '`roleArn` must be a string' };
      const r = parseArn(o.roleArn);
      const name = r?.resource.startsWith('role/') ? lastSegment(r.resource) : undefined;
      if (!r || r.service !== 'iam' || name !== base.roleName || r.account !== base.account) {
        return { error: `\`roleArn\` \`${o.roleArn}\` is not the role of session \`${base.arn}\`` };
      }
      roleArn = o.roleArn;
    }
    return {
      ...base,
      roleArn,
      ...(typeof o.roleId === 'string' ? { roleId: o.roleId } : {}),
    };
  }
  if (base.type === 'user' && typeof o.userId === 'string') return { ...base, id: o.userId };
  return base;
}

function principalFromArn(text: string): Principal | { readonly error: string } {
  if (isAccountId(text)) return { type: 'root', account: text, partition: 'aws' };
  const arn = parseArn(text);
  if (!arn) return { error: `principal \`${text}\` is not an ARN` };
  const { partition, service, account, resource } = arn;
  if (!isAccountId(account)) return { error: `principal \`${text}\` has no 12-digit account id` };
  if (service === 'iam') {
    if (resource === 'root') return { type: 'root', account, partition };
    if (resource.startsWith('user/')) {
      return { type: 'user', account, partition, name: lastSegment(resource), arn: text };
    }
    if (resource.startsWith('role/')) {
      return {
        error: `a role does not call AWS itself; use one of its sessions: arn:${partition}:sts::${account}:assumed-role/${lastSegment(resource)}/SESSION`,
      };
    }
  }
  if (service === 'sts') {
    const assumed = /^assumed-role\/([^/]+)\/(.+)$/.exec(resource);
    if (assumed) {
      const [, roleName, sessionName] = assumed as unknown as [string, string, string];
      return {
        type: 'assumedRole',
        account,
        partition,
        roleName,
        sessionName,
        arn: text,
        roleArn: `arn:${partition}:iam::${account}:role/${roleName}`,
      };
    }
    const fed = /^federated-user\/(.+)$/.exec(resource);
    if (fed) return { type: 'federatedUser', account, partition, name: fed[1]!, arn: text };
  }
  return { error: `principal \`${text}\` is not a root, user, assumed-role or federated-user ARN` };
}

function lastSegment(resource: string): string {
  return resource.slice(resource.lastIndexOf('/') + 1);
}

/** The account a principal belongs to, when it has one. */
export function principalAccount(p: Principal): string | undefined {
  return p.type === 'federated' || p.type === 'service' || p.type === 'anonymous' ? undefined : p.account;
}

/** The ARN that names the principal in messages (`User: ... is not authorized to perform ...`). */
export function principalName(p: Principal): string {
  switch (p.type) {
    case 'root':
      return `arn:${p.partition}:iam::${p.account}:root`;
    case 'user':
    case 'assumedRole':
    case 'federatedUser':
      return p.arn;
    case 'federated':
      return p.provider;
    case 'service':
      return p.service;
    case 'anonymous':
      return 'anonymous';
  }
}

/** How to name the principal in a sentence: `arn:...:user/alice`, `a web identity from PROVIDER`, ... */
export function principalPhrase(p: Principal): string {
  switch (p.type) {
    case 'federated':
      return `a web identity from \`${p.provider}\``;
    case 'service':
      return `the service \`${p.service}\``;
    case 'anonymous':
      return 'an anonymous caller';
    default:
      return principalName(p);
  }
}

/** A `Principal` / `NotPrincipal` element, compiled for matching. */
export interface CompiledPrincipals {
  readonly wildcard: boolean;
  /** Accounts named by id or by `arn:...:iam::ACCOUNT:root`. */
  readonly accounts: ReadonlySet<string>;
  /** User, session and federated-user ARNs, compared exactly. */
  readonly arns: ReadonlySet<string>;
  /** Roles, as `partition:account:lower-cased role name` (role names are unique without regard to case). */
  readonly roles: ReadonlySet<string>;
  /** Unique ids (`AIDA...`, `AROA...`): IAM stores trust-policy principals this way. */
  readonly ids: ReadonlySet<string>;
  readonly federated: ReadonlySet<string>;
  readonly services: ReadonlySet<string>;
  readonly canonicalUsers: ReadonlySet<string>;
}

export function compilePrincipals(block: PrincipalBlock): CompiledPrincipals {
  const accounts = new Set<string>();
  const arns = new Set<string>();
  const roles = new Set<string>();
  const ids = new Set<string>();
  const federated = new Set<string>();
  const services = new Set<string>();
  const canonicalUsers = new Set<string>();
  let wildcard = block.wildcard;
  if (!block.wildcard) {
    for (const entry of block.entries) {
      for (const { text } of entry.values.values) {
        switch (entry.type) {
          case 'AWS': {
            if (text === '*') {
              wildcard = true;
              break;
            }
            if (isAccountId(text)) {
              accounts.add(text);
              break;
            }
            const arn = parseArn(text);
            if (!arn) {
              if (/^A[A-Z]{3}[A-Z0-9]{8,}$/.test(text)) ids.add(text);
              break;
            }
            if (arn.service === 'iam' && arn.resource === 'root') accounts.add(arn.account);
            else if (arn.service === 'iam' && arn.resource.startsWith('role/')) {
              roles.add(roleKey(arn.partition, arn.account, lastSegment(arn.resource)));
            } else arns.add(text);
            break;
          }
          case 'Federated':
            federated.add(text);
            break;
          case 'Service':
            services.add(text.toLowerCase());
            break;
          case 'CanonicalUser':
            canonicalUsers.add(text);
            break;
          // Unknown principal types match nobody; validation reports them.
        }
      }
    }
  }
  return { wildcard, accounts, arns, roles, ids, federated, services, canonicalUsers };
}

function roleKey(partition: string, account: string, roleName: string): string {
  return `${partition}:${account}:${roleName.toLowerCase()}`;
}

/**
 * The key a session's role is matched by (`undefined` for other principals). `authorize` computes it
 * once per request and passes it to every `matchPrincipal` / `isExempt` call.
 */
export function sessionRoleKey(p: Principal): string | undefined {
  return p.type === 'assumedRole' ? roleKey(p.partition, p.account, p.roleName) : undefined;
}

/**
 * Whether the element names the caller, and how (see `PrincipalMatchKind`): the caller itself beats its
 * role, which beats its account.
 */
export function matchPrincipal(
  c: CompiledPrincipals,
  p: Principal,
  key: string | undefined = sessionRoleKey(p),
): PrincipalMatchKind | undefined {
  if (c.wildcard) return 'direct';
  switch (p.type) {
    case 'anonymous':
      return undefined;
    case 'federated':
      return c.federated.has(p.provider) ? 'direct' : undefined;
    case 'service':
      return c.services.has(p.service.toLowerCase()) ? 'direct' : undefined;
    case 'root':
      return c.accounts.has(p.account) ? 'direct' : undefined;
    case 'user':
      if (c.arns.has(p.arn) || (p.id !== undefined && c.ids.has(p.id))) return 'direct';
      return c.accounts.has(p.account) ? 'account' : undefined;
    case 'federatedUser':
      if (c.arns.has(p.arn)) return 'direct';
      return c.accounts.has(p.account) ? 'account' : undefined;
    case 'assumedRole':
      if (c.arns.has(p.arn)) return 'direct';
      if (
        c.roles.has(key ?? roleKey(p.partition, p.account, p.roleName)) ||
        (p.roleId !== undefined && c.ids.has(p.roleId))
      ) {
        return 'role';
      }
      return c.accounts.has(p.account) ? 'account' : undefined;
  }
}

/**
 * Whether a `NotPrincipal` element exempts the caller. AWS evaluates a session as its account, its role
 * and the session itself, so a session is exempt only when all three are listed, and a user only with
 * its account (IAM User Guide, "AWS JSON policy elements: NotPrincipal").
 */
export function isExempt(
  c: CompiledPrincipals,
  p: Principal,
  key: string | undefined = sessionRoleKey(p),
): boolean {
  if (c.wildcard) return true;
  switch (p.type) {
    case 'anonymous':
      return false;
    case 'federated':
      return c.federated.has(p.provider);
    case 'service':
      return c.services.has(p.service.toLowerCase());
    case 'root':
      return c.accounts.has(p.account);
    case 'user':
      return c.accounts.has(p.account) && (c.arns.has(p.arn) || (p.id !== undefined && c.ids.has(p.id)));
    case 'federatedUser':
      return c.accounts.has(p.account) && c.arns.has(p.arn);
    case 'assumedRole':
      return (
        c.accounts.has(p.account) &&
        c.arns.has(p.arn) &&
        (c.roles.has(key ?? roleKey(p.partition, p.account, p.roleName)) ||
          (p.roleId !== undefined && c.ids.has(p.roleId)))
      );
  }
}
