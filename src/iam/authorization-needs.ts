import type { ManagedPolicy } from '../store/managed-policies.js';
import type { OidcProvider } from '../store/oidc-providers.js';
import type { Role } from '../store/roles.js';
import type { ActionContext, AuthorizationNeed } from './query-action.js';
import { resourceTagContext, type ContextEntry } from './request-context.js';
import { callerAccount, roleArn } from './wire.js';

/**
 * What an action on an existing IAM resource is authorized for, read from the store before `handle`:
 * the resource's own ARN and its tags as `aws:ResourceTag/...` (IAM User Guide, "Controlling access to
 * IAM resources"), plus what `extra` adds from the resource as it is (e.g. `iam:PermissionsBoundary`).
 */
function need<R extends { readonly tags: readonly { key: string; value: string }[] }>(
  action: string,
  resource: string,
  found: R | undefined,
  extra: (found: R | undefined) => readonly ContextEntry[],
): readonly AuthorizationNeed[] {
  const context = [...resourceTagContext(found?.tags ?? []), ...extra(found)];
  return [{ action, resource, ...(context.length > 0 ? { context: new Map(context) } : {}) }];
}

const NOTHING = (): readonly ContextEntry[] => [];

/**
 * A role action: `action` on the role's own ARN, path included (`arn:aws:iam::ACCOUNT:role/PATH/NAME`),
 * as AWS authorizes it (IAM User Guide, "IAM identifiers": a role's ARN carries its path). A role that
 * does not exist is authorized on the root-path ARN, the ARN a role of that name created without a path
 * would have (the action then answers NoSuchEntity once allowed).
 */
export async function roleNeed(
  ctx: ActionContext,
  action: string,
  name: string,
  extra: (role: Role | undefined) => readonly ContextEntry[] = NOTHING,
): Promise<readonly AuthorizationNeed[]> {
  const role = await ctx.store.roles.get(callerAccount(ctx).accountId, name);
  return need(action, role?.arn ?? roleArn(ctx, '/', name), role, extra);
}

/** A managed-policy action: `action` on the policy ARN given, with the policy's tags when it exists. */
export async function policyNeed(
  ctx: ActionContext,
  action: string,
  arn: string,
  extra: (policy: ManagedPolicy | undefined) => readonly ContextEntry[] = NOTHING,
): Promise<readonly AuthorizationNeed[]> {
  return need(action, arn, await ctx.store.managedPolicies.get(callerAccount(ctx).accountId, arn), extra);
}

/** An OIDC-provider action: `action` on the provider ARN given, with the provider's tags when it exists. */
export async function oidcProviderNeed(
  ctx: ActionContext,
  action: string,
  arn: string,
  extra: (provider: OidcProvider | undefined) => readonly ContextEntry[] = NOTHING,
): Promise<readonly AuthorizationNeed[]> {
  return need(action, arn, await ctx.store.oidcProviders.get(callerAccount(ctx).accountId, arn), extra);
}
