import type { Principal } from '../policy/types.js';
import { parseArn } from '../shared/arn.js';
import type { Role } from '../store/roles.js';
import type { User } from '../store/users.js';
import { iamError, noSuchRole } from './errors.js';
import type { ActionContext } from './query-action.js';
import { storedPolicy, type SimulationPolicy } from './simulation-policy.js';
import type { PolicySourceType } from './simulate-wire.js';
import { callerAccount } from './wire.js';

/** The entity a `PolicySourceArn` names, with the policies IAM's simulator includes for it. */
export interface PolicySource {
  readonly kind: 'user' | 'role';
  readonly arn: string;
  /** Who the simulation calls as, unless `CallerArn` says otherwise. */
  readonly principal: Principal;
  /** Inline policies (in name order), then attached managed policies (in policy-name order). */
  readonly policies: readonly SimulationPolicy[];
  readonly boundary?: SimulationPolicy;
  readonly role?: Role;
}

/**
 * ⚠ The session name a role is simulated under: AWS simulates "the role" and reports no session; our
 * engine evaluates role policies for a session of the role, so it needs one. Only `aws:userid`
 * (`AROA...:SESSION`) shows it.
 */
export const SIMULATED_SESSION = 'SimulatePrincipalPolicy';

const ALLOW_NOTHING = '{"Version":"2012-10-17","Statement":[]}';

/**
 * Reads the user or role a `PolicySourceArn` names, in the caller's account. A user, group or role that
 * does not exist is `NoSuchEntity` 404 with GetUser's / GetRole's wording ("The user with name X cannot
 * be found."); openirsa has no groups, so every group is such a one. An ARN of anything else is
 * `InvalidInput` (⚠ wording ours).
 */
export async function loadPolicySource(ctx: ActionContext, arn: string): Promise<PolicySource> {
  const { accountId } = callerAccount(ctx);
  const parsed = parseArn(arn);
  const match =
    parsed && parsed.service === 'iam' ? /^(user|role|group)\/(?:.*\/)?([^/]+)$/.exec(parsed.resource) : null;
  if (parsed === undefined || match === null) {
    throw iamError('InvalidInput', `PolicySourceArn ${arn} is not the ARN of an IAM user, group or role.`);
  }
  const kind = match[1] as 'user' | 'role' | 'group';
  const name = match[2] ?? '';
  // An entity of another account cannot be read from this one: it is not found here.
  const here = parsed.account === accountId;
  if (kind === 'group') {
    throw iamError('NoSuchEntity', `The group with name ${name} cannot be found.`);
  }
  if (kind === 'user') {
    const user = here ? await ctx.store.users.get(accountId, name) : undefined;
    if (user === undefined) throw iamError('NoSuchEntity', `The user with name ${name} cannot be found.`);
    return userSource(ctx, user);
  }
  const role = here ? await ctx.store.roles.get(accountId, name) : undefined;
  if (role === undefined) throw noSuchRole(name);
  return roleSource(ctx, role);
}

async function userSource(ctx: ActionContext, user: User): Promise<PolicySource> {
  const principal: Principal = {
    type: 'user',
    account: user.accountId,
    partition: partitionOf(user.arn),
    name: user.name,
    arn: user.arn,
    id: user.id,
  };
  const policies = await holderPolicies(ctx, user.accountId, 'user', user.name);
  const boundary = await boundaryOf(ctx, user.accountId, user.permissionsBoundaryArn);
  return { kind: 'user', arn: user.arn, principal, policies, ...(boundary ? { boundary } : {}) };
}

async function roleSource(ctx: ActionContext, role: Role): Promise<PolicySource> {
  const principal: Principal = {
    type: 'assumedRole',
    account: role.accountId,
    partition: partitionOf(role.arn),
    roleName: role.name,
    sessionName: SIMULATED_SESSION,
    arn: `arn:${partitionOf(role.arn)}:sts::${role.accountId}:assumed-role/${role.name}/${SIMULATED_SESSION}`,
    roleArn: role.arn,
    roleId: role.id,
  };
  const policies = await holderPolicies(ctx, role.accountId, 'role', role.name);
  const boundary = await boundaryOf(ctx, role.accountId, role.permissionsBoundaryArn);
  return { kind: 'role', arn: role.arn, principal, policies, role, ...(boundary ? { boundary } : {}) };
}

/**
 * Inline policies are reported under their name with the holder's type (`user`, `role`); managed ones
 * under their name as `user-managed` (customer managed) or `aws-managed` (`arn:aws:iam::aws:policy/...`).
 * ⚠ That SourcePolicyId is the policy *name* (not its ARN) for managed policies is unconfirmed; AWS's
 * simulate-principal-policy example shows a bare name.
 */
async function holderPolicies(
  ctx: ActionContext,
  accountId: string,
  kind: 'user' | 'role',
  name: string,
): Promise<SimulationPolicy[]> {
  const store = kind === 'user' ? ctx.store.users : ctx.store.roles;
  const documents = await store.getPolicyDocuments(accountId, name);
  if (documents === undefined) return [];
  const compile = (text: string) => ctx.policies.compile(text);
  return [
    ...documents.inline.map((p) => storedPolicy(compile, p.document, p.name, kind)),
    ...documents.attached.map((p) => storedPolicy(compile, p.document, p.name, managedType(p.arn))),
  ];
}

/** The entity's boundary; one that cannot be read allows nothing (fail closed, as callerPolicies does). */
async function boundaryOf(
  ctx: ActionContext,
  accountId: string,
  arn: string | undefined,
): Promise<SimulationPolicy | undefined> {
  if (arn === undefined) return undefined;
  const policy = await ctx.store.managedPolicies.get(accountId, arn);
  const version =
    policy === undefined
      ? undefined
      : await ctx.store.managedPolicies.getVersion(accountId, arn, policy.defaultVersionId);
  const text = version?.document ?? ALLOW_NOTHING;
  return storedPolicy((t) => ctx.policies.compile(t), text, policy?.name ?? arn, managedType(arn));
}

function managedType(arn: string): PolicySourceType {
  return parseArn(arn)?.account === 'aws' ? 'aws-managed' : 'user-managed';
}

function partitionOf(arn: string): string {
  return parseArn(arn)?.partition ?? 'aws';
}
