import { compilePolicy, type CompiledPolicy } from '../policy/compile.js';
import type { StoreScope } from '../store/types.js';
import type { PolicyDocuments } from '../store/principal-policies.js';
import type { Caller } from './caller.js';

/** The policies that decide a caller's requests, compiled for `policy.authorize`. */
export interface CallerPolicies {
  readonly identityPolicies: readonly CompiledPolicy[];
  readonly permissionsBoundary?: CompiledPolicy;
}

const NONE: CallerPolicies = { identityPolicies: [] };

/**
 * Loads the identity side of a caller: for an IAM user its inline and attached policies and its
 * permissions boundary; the account root needs none (the engine allows it in its own account).
 *
 * Role sessions get nothing yet, so they fail closed: a session may carry a session policy (sealed in
 * its token), which `Caller` does not expose, and evaluating the role's policies without it would grant
 * a session more than AWS does.
 */
export async function callerPolicies(store: StoreScope, caller: Caller): Promise<CallerPolicies> {
  if (caller.kind !== 'user') return NONE;
  const user = await store.users.get(caller.accountId, caller.userName);
  if (user === undefined) return NONE;
  const documents = await store.users.getPolicyDocuments(caller.accountId, caller.userName);
  const boundary =
    user.permissionsBoundaryArn === undefined
      ? undefined
      : await boundaryPolicy(store, caller.accountId, user.permissionsBoundaryArn);
  return {
    identityPolicies: documents === undefined ? [] : compileAll(documents),
    ...(boundary !== undefined ? { permissionsBoundary: boundary } : {}),
  };
}

function compileAll(documents: PolicyDocuments): CompiledPolicy[] {
  return [
    ...documents.inline.map((p) => compilePolicy(p.document, { name: p.name })),
    ...documents.attached.map((p) => compilePolicy(p.document, { name: p.arn })),
  ];
}

/**
 * The default version of the boundary policy. A boundary that cannot be read (deleted meanwhile)
 * compiles to a policy that allows nothing, so the boundary still limits: fail closed.
 */
async function boundaryPolicy(store: StoreScope, accountId: string, arn: string): Promise<CompiledPolicy> {
  const policy = await store.managedPolicies.get(accountId, arn);
  const version =
    policy === undefined
      ? undefined
      : await store.managedPolicies.getVersion(accountId, arn, policy.defaultVersionId);
  return compilePolicy(version?.document ?? '{"Version":"2012-10-17","Statement":[]}', { name: arn });
}
