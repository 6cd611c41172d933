import { PolicyCache, type CompiledPolicy } from '../policy/compile.js';
import type { StoreScope } from '../store/types.js';
import type { PolicyDocuments } from '../store/principal-policies.js';
import type { Caller } from './caller.js';

/** The policies that decide a caller's requests, compiled for `policy.authorize`. */
export interface CallerPolicies {
  readonly identityPolicies: readonly CompiledPolicy[];
  readonly permissionsBoundary?: CompiledPolicy;
  /** For role sessions created with session policies: all of them as one policy. */
  readonly sessionPolicy?: CompiledPolicy;
}

const NONE: CallerPolicies = { identityPolicies: [] };

/**
 * Loads the identity side of a caller: for an IAM user its inline and attached policies and its
 * permissions boundary; for a role session its role's policies and boundary, and the session policies
 * it was created with; the account root needs none (the engine allows it in its own account). What
 * cannot be read fails closed: a boundary or session policy that is gone allows nothing.
 */
export async function callerPolicies(
  store: StoreScope,
  caller: Caller,
  cache: PolicyCache = new PolicyCache(64),
): Promise<CallerPolicies> {
  if (caller.kind === 'user') {
    const user = await store.users.get(caller.accountId, caller.userName);
    // A GetSessionToken session outlives a deleted user only as a name, like a role session its role.
    if (user === undefined || user.id !== caller.userId) return NONE;
    const documents = await store.users.getPolicyDocuments(caller.accountId, caller.userName);
    const boundary =
      user.permissionsBoundaryArn === undefined
        ? undefined
        : await boundaryPolicy(cache, store, caller.accountId, user.permissionsBoundaryArn);
    return {
      identityPolicies: documents === undefined ? [] : compileAll(cache, documents),
      ...(boundary !== undefined ? { permissionsBoundary: boundary } : {}),
    };
  }
  if (caller.kind === 'assumedRole') {
    const role = await store.roles.get(caller.accountId, caller.roleName);
    // A session outlives a deleted role only as a name: the role's permissions are gone with it.
    if (role === undefined || role.id !== caller.roleId) return NONE;
    const documents = await store.roles.getPolicyDocuments(caller.accountId, caller.roleName);
    const boundary =
      role.permissionsBoundaryArn === undefined
        ? undefined
        : await boundaryPolicy(cache, store, caller.accountId, role.permissionsBoundaryArn);
    const session = await sessionPolicy(cache, store, caller);
    return {
      identityPolicies: documents === undefined ? [] : compileAll(cache, documents),
      ...(boundary !== undefined ? { permissionsBoundary: boundary } : {}),
      ...(session !== undefined ? { sessionPolicy: session } : {}),
    };
  }
  return NONE;
}

/**
 * The session policies of a role session (the inline `Policy` and the managed `PolicyArns`) as one
 * policy: a session may do what any of them allows (IAM User Guide, "Session policies": the session's
 * permissions are the intersection of the role's policies and the session policies). Their statements
 * are joined into one document; when the documents differ in `Version` (variables would change
 * meaning) or one cannot be read, the result allows nothing.
 */
async function sessionPolicy(
  cache: PolicyCache,
  store: StoreScope,
  caller: Caller & { kind: 'assumedRole' },
): Promise<CompiledPolicy | undefined> {
  const texts: string[] = [];
  if (caller.sessionPolicy !== undefined) texts.push(caller.sessionPolicy);
  for (const arn of caller.policyArns ?? []) {
    const policy = await store.managedPolicies.get(caller.accountId, arn);
    const version =
      policy === undefined
        ? undefined
        : await store.managedPolicies.getVersion(caller.accountId, arn, policy.defaultVersionId);
    if (version === undefined) return cache.compile(ALLOW_NOTHING, { name: 'session policies' });
    texts.push(version.document);
  }
  if (texts.length === 0) return undefined;
  if (texts.length === 1) return cache.compile(texts[0]!, { name: 'session policy' });
  const docs = texts.map((t) => {
    try {
      return JSON.parse(t) as { Version?: unknown; Statement?: unknown };
    } catch {
      return undefined;
    }
  });
  const versions = new Set(docs.map((d) => d?.Version));
  if (docs.some((d) => d === undefined) || versions.size !== 1) {
    return cache.compile(ALLOW_NOTHING, { name: 'session policies' });
  }
  const statements = docs.flatMap((d) =>
    Array.isArray(d!.Statement) ? (d!.Statement as unknown[]) : [d!.Statement],
  );
  return cache.compile({ Version: [...versions][0], Statement: statements }, { name: 'session policies' });
}

const ALLOW_NOTHING = '{"Version":"2012-10-17","Statement":[]}';

function compileAll(cache: PolicyCache, documents: PolicyDocuments): CompiledPolicy[] {
  return [
    ...documents.inline.map((p) => cache.compile(p.document, { name: p.name })),
    ...documents.attached.map((p) => cache.compile(p.document, { name: p.arn })),
  ];
}

/**
 * The default version of the boundary policy. A boundary that cannot be read (deleted meanwhile)
 * compiles to a policy that allows nothing, so the boundary still limits: fail closed.
 */
async function boundaryPolicy(
  cache: PolicyCache,
  store: StoreScope,
  accountId: string,
  arn: string,
): Promise<CompiledPolicy> {
  const policy = await store.managedPolicies.get(accountId, arn);
  const version =
    policy === undefined
      ? undefined
      : await store.managedPolicies.getVersion(accountId, arn, policy.defaultVersionId);
  return cache.compile(version?.document ?? ALLOW_NOTHING, { name: arn });
}
