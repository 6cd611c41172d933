import type { CompiledPolicy, CompiledStatement } from './compile.js';
import {
  evaluateCondition,
  isUnresolved,
  matchAction,
  matchResource,
  RequestResource,
  splitAction,
  unresolvedInCondition,
  type RequestAction,
} from './match.js';
import { isExempt, matchPrincipal, principalAccount } from './principal.js';
import type {
  AuthorizationResult,
  ConditionTrace,
  DenyReason,
  PolicySlot,
  Principal,
  PrincipalMatchKind,
  RequestContext,
  StatementRef,
  StatementTrace,
} from './types.js';

export interface AuthorizationRequest {
  readonly principal: Principal;
  /** `service:Action`, e.g. `s3:GetObject` (case-insensitive). */
  readonly action: string;
  /** The resource ARN, or `*` for actions without resource-level permissions. */
  readonly resource: string;
  /** The account that owns the resource; default: the ARN's account, else the principal's. */
  readonly resourceAccount?: string;
  readonly context: RequestContext;
  readonly identityPolicies: readonly CompiledPolicy[];
  /** The resource's policy: a bucket policy, or for `sts:AssumeRole*` on a role, its trust policy. */
  readonly resourcePolicy?: CompiledPolicy;
  readonly permissionsBoundary?: CompiledPolicy;
  readonly sessionPolicy?: CompiledPolicy;
  /** Record a per-statement trace for explanations (slower; off on the hot path). */
  readonly trace?: boolean;
}

interface Hit {
  readonly ref: StatementRef;
  readonly kind?: PrincipalMatchKind;
}

interface Run {
  readonly req: AuthorizationRequest;
  readonly action: RequestAction;
  readonly resource: RequestResource;
  readonly hasBoundary: boolean;
  readonly allows: Hit[];
  readonly denies: Hit[];
  readonly missing: Map<string, string>;
  readonly issues: string[];
  readonly trace: StatementTrace[] | undefined;
  policyErrors: boolean;
}

const KIND_RANK: Record<PrincipalMatchKind, number> = { direct: 3, role: 2, account: 1 };

/**
 * Decides one request with AWS's evaluation logic (IAM User Guide, "Policy evaluation logic", and its
 * cross-account page):
 * 1. a matching `Deny` in any policy is an explicit deny;
 * 2. a role's trust policy must allow `sts:AssumeRole*` itself;
 * 3. across accounts, the resource policy and the caller's identity side must both allow;
 * 4. in one account, a resource-policy grant naming the caller directly allows on its own, one naming
 *    the caller's role is still limited by boundary and session policy, one naming the account only
 *    delegates; otherwise identity policies must allow, within the permissions boundary and the
 *    session policy (a federated-user session without a session policy gets nothing);
 * 5. the account root user is allowed in its own account unless denied explicitly.
 * Total: it never throws; a policy with errors never contributes to `allowed`.
 */
export function authorize(req: AuthorizationRequest): AuthorizationResult {
  try {
    return evaluate(req);
  } catch (e) {
    // INVARIANT: unreachable for any input; if a bug gets here, fail closed and say so.
    return {
      decision: 'implicitDeny',
      reason: 'policyErrors',
      matchedStatements: [],
      missingContextKeys: [],
      issues: [`internal error while evaluating: ${e instanceof Error ? e.message : String(e)}`],
    };
  }
}

function evaluate(req: AuthorizationRequest): AuthorizationResult {
  const run: Run = {
    req,
    action: splitAction(req.action),
    resource: new RequestResource(req.resource),
    hasBoundary: req.permissionsBoundary !== undefined,
    allows: [],
    denies: [],
    missing: new Map(),
    issues: [],
    trace: req.trace ? [] : undefined,
    policyErrors: false,
  };
  const p = req.principal;
  const awsPrincipal = p.type !== 'federated' && p.type !== 'service' && p.type !== 'anonymous';
  const isSession = p.type === 'assumedRole' || p.type === 'federatedUser';

  let identityAllow = false;
  if (awsPrincipal) {
    req.identityPolicies.forEach((policy, i) => {
      if (evaluatePolicy(run, policy, 'identity', i)) identityAllow = true;
    });
  } else if (req.identityPolicies.length > 0) {
    run.issues.push(`identity policies were ignored: a ${p.type} principal has none`);
  }
  let resourceKind: PrincipalMatchKind | undefined;
  if (req.resourcePolicy) {
    const before = run.allows.length;
    evaluatePolicy(run, req.resourcePolicy, 'resource');
    for (const hit of run.allows.slice(before)) {
      if (hit.kind && (!resourceKind || KIND_RANK[hit.kind] > KIND_RANK[resourceKind]))
        resourceKind = hit.kind;
    }
  }
  let boundaryAllow = true;
  if (req.permissionsBoundary && awsPrincipal) {
    boundaryAllow = evaluatePolicy(run, req.permissionsBoundary, 'boundary');
  }
  let sessionAllow = p.type !== 'federatedUser';
  if (req.sessionPolicy) {
    if (isSession) sessionAllow = evaluatePolicy(run, req.sessionPolicy, 'session');
    else run.issues.push(`the session policy was ignored: a ${p.type} principal is not a session`);
  }

  const done = (decision: AuthorizationResult['decision'], reason?: DenyReason): AuthorizationResult => ({
    decision,
    ...(reason ? { reason } : {}),
    matchedStatements: (decision === 'explicitDeny' ? run.denies : run.allows).map((h) => h.ref),
    missingContextKeys: [...run.missing.values()],
    issues: run.issues,
    ...(run.trace ? { trace: run.trace } : {}),
  });

  if (run.denies.length > 0) return done('explicitDeny', 'explicitDeny');
  if (run.policyErrors) return done('implicitDeny', 'policyErrors');

  const isTrust = isTrustRequest(run);
  if (!awsPrincipal) {
    if (resourceKind) return done('allowed');
    return done('implicitDeny', isTrust ? 'noTrustAllow' : 'noResourceAllow');
  }
  if (isTrust && !resourceKind) return done('implicitDeny', 'noTrustAllow');

  const own = principalAccount(p);
  const resourceAccount = req.resourceAccount ?? accountOf(run.resource) ?? own;
  const identityReason: DenyReason | undefined =
    p.type === 'root'
      ? undefined
      : !identityAllow
        ? 'noIdentityAllow'
        : !boundaryAllow
          ? 'boundary'
          : !sessionAllow
            ? req.sessionPolicy
              ? 'sessionPolicy'
              : 'federatedUserNoSessionPolicy'
            : undefined;

  if (resourceAccount !== own) {
    if (!resourceKind) return done('implicitDeny', 'crossAccountNoResourceAllow');
    return identityReason ? done('implicitDeny', identityReason) : done('allowed');
  }
  if (p.type === 'root' || resourceKind === 'direct') return done('allowed');
  if (resourceKind === 'role' && boundaryAllow && sessionAllow) return done('allowed');
  return identityReason ? done('implicitDeny', identityReason) : done('allowed');
}

/** `sts:AssumeRole*` and friends on a role: the trust policy must allow them itself. */
function isTrustRequest(run: Run): boolean {
  if (run.action.service !== 'sts') return false;
  const parts = run.resource.segments();
  return parts !== null && parts[2] === 'iam' && parts[5]!.startsWith('role/');
}

function accountOf(r: RequestResource): string | undefined {
  const parts = r.segments();
  const account = parts?.[4];
  return account && /^\d{12}$/.test(account) ? account : undefined;
}

/** Evaluates one policy; records its matching statements; returns whether any Allow matched. */
function evaluatePolicy(run: Run, policy: CompiledPolicy, slot: PolicySlot, policyIndex?: number): boolean {
  const label =
    slot === 'identity' ? `identity policy ${policy.name ?? `#${policyIndex}`}` : `${slotName(slot)}`;
  if (policy.errors.length > 0) {
    run.policyErrors = true;
    run.issues.push(`${label} has errors and grants nothing: ${policy.errors[0]!.message}`);
  }
  if (slot === 'resource' ? policy.lacksPrincipals : policy.hasPrincipals) {
    run.policyErrors = true;
    run.issues.push(
      slot === 'resource'
        ? `${label} has a statement without \`Principal\` or \`NotPrincipal\`, so it grants nothing`
        : `${label} names a principal, which only resource policies do, so it grants nothing`,
    );
  }
  if (slot !== 'resource' && policy.lacksResources) {
    run.policyErrors = true;
    run.issues.push(`${label} has a statement without \`Resource\` or \`NotResource\`, so it grants nothing`);
  }
  const statements = run.trace ? policy.statements : policy.candidates(run.action.service);
  let allowed = false;
  for (const s of statements) {
    const hit = evaluateStatement(run, s, slot, policy, policyIndex);
    if (hit === undefined) continue;
    if (s.effect === 'Deny') run.denies.push(hit);
    else {
      run.allows.push(hit);
      allowed = true;
    }
  }
  return allowed;
}

function slotName(slot: PolicySlot): string {
  switch (slot) {
    case 'identity':
      return 'identity policy';
    case 'resource':
      return 'resource policy';
    case 'boundary':
      return 'permissions boundary';
    case 'session':
      return 'session policy';
  }
}

function evaluateStatement(
  run: Run,
  s: CompiledStatement,
  slot: PolicySlot,
  policy: CompiledPolicy,
  policyIndex: number | undefined,
): Hit | undefined {
  const { req } = run;
  let kind: PrincipalMatchKind | undefined;
  let principalMatch: boolean | 'notApplicable' = 'notApplicable';
  if (slot === 'resource') {
    if (s.principal) kind = matchPrincipal(s.principal, req.principal);
    else if (s.notPrincipal) {
      // Deny with NotPrincipal always denies a principal that has a permissions boundary (IAM User
      // Guide, "Permissions boundaries": evaluation with NotPrincipal).
      const applies = !isExempt(s.notPrincipal, req.principal) || (s.effect === 'Deny' && run.hasBoundary);
      kind = applies ? 'direct' : undefined;
    }
    principalMatch = kind !== undefined;
  }
  if (principalMatch === false && !run.trace) return undefined;

  let actionMatch = false;
  for (const a of s.actions) {
    if (matchAction(a, run.action)) {
      actionMatch = true;
      break;
    }
  }
  if (s.notAction) actionMatch = !actionMatch;
  if (!actionMatch && !run.trace) return undefined;

  let resourceMatch: boolean;
  if (s.resources === undefined) resourceMatch = slot === 'resource';
  else {
    resourceMatch = false;
    for (const r of s.resources) {
      if (matchResource(r, run.resource, req.context)) {
        resourceMatch = true;
        break;
      }
    }
    if (s.notResource) {
      // "If AWS cannot resolve a variable, the entire statement might be invalid" (IAM User Guide,
      // "Policy variables"): a NotResource whose exclusions cannot be resolved says nothing about what
      // it covers, so the statement applies to nothing (for Allow and Deny alike, as iam-simulate does).
      resourceMatch = !resourceMatch && !s.resources.some((r) => isUnresolved(r, req.context));
    }
  }
  if (!resourceMatch && !run.trace) return undefined;

  const applicable = principalMatch !== false && actionMatch && resourceMatch;
  let conditionsMatch = applicable;
  const traces: ConditionTrace[] | undefined = run.trace ? [] : undefined;
  if (applicable) {
    for (const c of s.conditions) {
      const outcome = evaluateCondition(c, req.context);
      if (outcome.value === undefined && !run.missing.has(c.key)) run.missing.set(c.key, c.keyText);
      const unresolved = unresolvedInCondition(c, req.context);
      for (const v of unresolved) {
        const key = v.slice(2, -1).split(',')[0]!.trim();
        if (!run.missing.has(key.toLowerCase())) run.missing.set(key.toLowerCase(), key);
      }
      if (!outcome.matched) conditionsMatch = false;
      traces?.push({
        operator: c.operatorText,
        key: c.keyText,
        policyValues: c.valueTexts,
        requestValue: outcome.value,
        matched: outcome.matched,
        reason: outcome.reason,
        ...(unresolved.length > 0 ? { unresolvedVariables: unresolved } : {}),
        path: c.path,
      });
    }
  }
  const ref: StatementRef = {
    policy: slot,
    ...(policyIndex !== undefined ? { policyIndex } : {}),
    ...(policy.name !== undefined ? { policyName: policy.name } : {}),
    statementIndex: s.index,
    ...(s.sid !== undefined ? { sid: s.sid } : {}),
    effect: s.effect,
    path: s.path,
  };
  if (run.trace && traces) {
    run.trace.push({
      ...ref,
      principalMatch,
      actionMatch,
      resourceMatch,
      conditions: traces,
      matched: conditionsMatch,
      ...(kind ? { principalMatchKind: kind } : {}),
    });
  }
  return conditionsMatch ? { ref, ...(kind ? { kind } : {}) } : undefined;
}
