import type { CompiledCondition, CompiledPolicy, CompiledStatement } from './compile.js';
import {
  evaluateCondition,
  HOLDS,
  isUnresolved,
  matchResource,
  RequestResource,
  splitAction,
  statementMatchesAction,
  unresolvedInCondition,
  type ConditionReason,
} from './match.js';
import { isExempt, matchPrincipal, principalAccount, sessionRoleKey } from './principal.js';
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
  /**
   * Evaluate every statement and record a per-statement trace for explanations. Without it, evaluation
   * stops at the first statement that decides, and `matchedStatements` / `missingContextKeys` cover
   * only what was evaluated.
   */
  readonly trace?: boolean;
}

/** A policy taking part in the request, with where it sits. */
interface Entry {
  readonly policy: CompiledPolicy;
  readonly slot: PolicySlot;
  readonly index: number | undefined;
}

interface Hit {
  readonly entry: Entry;
  readonly statement: CompiledStatement;
  readonly kind: PrincipalMatchKind | undefined;
}

interface Run {
  readonly req: AuthorizationRequest;
  /** The action as the request names it, the key of `CompiledPolicy.candidates`. */
  readonly actionKey: string;
  readonly resource: RequestResource;
  readonly hasBoundary: boolean;
  /** The caller's role key, for sessions (see `sessionRoleKey`). */
  readonly roleKey: string | undefined;
  /** Lower-cased key → the key as a policy wrote it; created on first use. */
  missing: Map<string, string> | undefined;
}

const NONE: readonly never[] = Object.freeze([]);

const KIND_RANK: Record<PrincipalMatchKind, number> = { direct: 3, role: 2, account: 1 };
/** What a statement's principal check gives outside resource policies. */
const NO_PRINCIPAL = 'none';
type PrincipalOutcome = PrincipalMatchKind | typeof NO_PRINCIPAL | undefined;

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
    actionKey: req.action,
    resource: new RequestResource(req.resource),
    hasBoundary: req.permissionsBoundary !== undefined,
    roleKey: sessionRoleKey(req.principal),
    missing: undefined,
  };
  const p = req.principal;
  const awsPrincipal = p.type !== 'federated' && p.type !== 'service' && p.type !== 'anonymous';
  const isSession = p.type === 'assumedRole' || p.type === 'federatedUser';
  let issues: string[] | undefined;
  const issue = (text: string) => (issues ??= []).push(text);

  const entries: Entry[] = [];
  if (awsPrincipal) {
    const list = req.identityPolicies;
    for (let i = 0; i < list.length; i++) entries.push({ policy: list[i]!, slot: 'identity', index: i });
  } else if (req.identityPolicies.length > 0)
    issue(`identity policies were ignored: a ${p.type} principal has none`);
  if (req.resourcePolicy) entries.push({ policy: req.resourcePolicy, slot: 'resource', index: undefined });
  if (req.permissionsBoundary && awsPrincipal) {
    entries.push({ policy: req.permissionsBoundary, slot: 'boundary', index: undefined });
  }
  if (req.sessionPolicy) {
    if (isSession) entries.push({ policy: req.sessionPolicy, slot: 'session', index: undefined });
    else issue(`the session policy was ignored: a ${p.type} principal is not a session`);
  }
  const isTrust = isTrustRequest(run);
  let policyErrors = false;
  for (const e of entries) if (checkUsable(e, isTrust, issue)) policyErrors = true;

  const denies: Hit[] = [];
  const allows: Hit[] = [];
  let trace: StatementTrace[] | undefined;
  if (req.trace) {
    trace = [];
    for (const e of entries)
      for (const s of e.policy.statements) traceStatement(run, e, s, trace, denies, allows);
  } else {
    scan: for (const e of entries) {
      for (const s of e.policy.candidates(run.actionKey).deny) {
        const kind = matchStatement(run, e.slot, s);
        if (kind !== undefined) {
          denies.push({ entry: e, statement: s, kind: kind === NO_PRINCIPAL ? undefined : kind });
          break scan;
        }
      }
    }
    if (denies.length === 0) {
      for (const e of entries) {
        for (const s of e.policy.candidates(run.actionKey).allow) {
          const kind = matchStatement(run, e.slot, s);
          if (kind === undefined) continue;
          allows.push({ entry: e, statement: s, kind: kind === NO_PRINCIPAL ? undefined : kind });
          // One Allow decides its policy; a resource policy may still name the caller more directly.
          if (e.slot !== 'resource' || kind === 'direct') break;
        }
      }
    }
  }

  const done = (decision: AuthorizationResult['decision'], reason?: DenyReason): AuthorizationResult => {
    // Built as one literal (no spreads): this runs once per request on the hot path.
    const hits = decision === 'explicitDeny' ? denies : allows;
    const result: { -readonly [K in keyof AuthorizationResult]: AuthorizationResult[K] } = {
      decision,
      matchedStatements: hits.length === 0 ? NONE : refsOf(hits),
      missingContextKeys: run.missing === undefined ? NONE : [...run.missing.values()],
      issues: issues ?? NONE,
    };
    if (reason) result.reason = reason;
    if (trace) result.trace = trace;
    return result;
  };

  if (denies.length > 0) return done('explicitDeny', 'explicitDeny');
  if (policyErrors) return done('implicitDeny', 'policyErrors');

  let identityAllow = false;
  let boundaryAllow = !req.permissionsBoundary || !awsPrincipal;
  let sessionAllow = p.type !== 'federatedUser';
  let resourceKind: PrincipalMatchKind | undefined;
  if (req.sessionPolicy && isSession) sessionAllow = false;
  for (const h of allows) {
    switch (h.entry.slot) {
      case 'identity':
        identityAllow = true;
        break;
      case 'boundary':
        boundaryAllow = true;
        break;
      case 'session':
        sessionAllow = true;
        break;
      case 'resource':
        if (h.kind && (!resourceKind || KIND_RANK[h.kind] > KIND_RANK[resourceKind])) resourceKind = h.kind;
        break;
    }
  }

  if (!awsPrincipal) {
    if (resourceKind) return done('allowed');
    return done('implicitDeny', isTrust ? 'noTrustAllow' : 'noResourceAllow');
  }
  if (isTrust && !resourceKind) return done('implicitDeny', 'noTrustAllow');

  const own = principalAccount(p);
  const resourceAccount = req.resourceAccount ?? run.resource.account() ?? own;
  // What stops the identity side: the first of identity policies, boundary, session policy to refuse.
  // A grant naming the caller's role stands in for the identity policies (not for the other two).
  const identityReason: DenyReason | undefined =
    p.type === 'root'
      ? undefined
      : !identityAllow && resourceKind !== 'role'
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
    // Across accounts the identity side must allow by itself: a role grant does not stand in.
    if (!identityAllow && p.type !== 'root') return done('implicitDeny', 'crossAccountNoIdentityAllow');
    return identityReason ? done('implicitDeny', identityReason) : done('allowed');
  }
  if (p.type === 'root' || resourceKind === 'direct') return done('allowed');
  return identityReason ? done('implicitDeny', identityReason) : done('allowed');
}

/** Flags a policy that cannot take part as given; returns whether it has errors. */
function checkUsable(e: Entry, isTrust: boolean, issue: (text: string) => void): boolean {
  const { policy, slot } = e;
  const name = () =>
    slot === 'identity' ? `identity policy ${policy.name ?? `#${e.index}`}` : SLOT_NAME[slot];
  let bad = false;
  if (policy.errors.length > 0) {
    bad = true;
    issue(`${name()} has errors and grants nothing: ${policy.errors[0]!.message}`);
  }
  if (slot === 'resource' ? policy.lacksPrincipals : policy.hasPrincipals) {
    bad = true;
    issue(
      slot === 'resource'
        ? `${name()} has a statement without \`Principal\` or \`NotPrincipal\`, so it grants nothing`
        : `${name()} names a principal, which only resource policies do, so it grants nothing`,
    );
  }
  // Only a role's trust policy leaves out Resource: it applies to the role it is attached to.
  if (policy.lacksResources && !(slot === 'resource' && isTrust)) {
    bad = true;
    issue(`${name()} has a statement without \`Resource\` or \`NotResource\`, so it grants nothing`);
  }
  return bad;
}

const SLOT_NAME: Record<PolicySlot, string> = {
  identity: 'identity policy',
  resource: 'resource policy',
  boundary: 'permissions boundary',
  session: 'session policy',
};

function refsOf(hits: readonly Hit[]): StatementRef[] {
  const out: StatementRef[] = [];
  for (const h of hits) out.push(refOf(h));
  return out;
}

function refOf(h: Hit): StatementRef {
  const { entry, statement: s } = h;
  const ref: { -readonly [K in keyof StatementRef]: StatementRef[K] } = {
    policy: entry.slot,
    statementIndex: s.index,
    effect: s.effect,
    path: s.path,
  };
  if (entry.index !== undefined) ref.policyIndex = entry.index;
  if (entry.policy.name !== undefined) ref.policyName = entry.policy.name;
  if (s.sid !== undefined) ref.sid = s.sid;
  return ref;
}

/** `sts:AssumeRole*` and friends on a role: the trust policy must allow them itself. */
function isTrustRequest(run: Run): boolean {
  if (!/^sts:/i.test(run.actionKey)) return false;
  const prefix = run.resource.prefix();
  return prefix !== null && /^arn:[^:]*:iam:/.test(prefix) && run.resource.rest().startsWith('role/');
}

/**
 * Whether a request is an STS call on a role, which its trust policy decides (the same test
 * `authorize` makes; exported so callers pick the trust-policy rules to validate with).
 */
export function isTrustPolicyRequest(action: string, resource: string): boolean {
  return /^sts:/i.test(action) && /^arn:[^:]*:iam:[^:]*:[^:]*:role\//.test(resource);
}

function principalOutcome(run: Run, slot: PolicySlot, s: CompiledStatement): PrincipalOutcome {
  if (slot !== 'resource') return NO_PRINCIPAL;
  if (s.principal) return matchPrincipal(s.principal, run.req.principal, run.roleKey);
  if (s.notPrincipal) {
    // Deny with NotPrincipal always denies a principal that has a permissions boundary (IAM User
    // Guide, "Permissions boundaries": evaluation with NotPrincipal).
    const applies =
      !isExempt(s.notPrincipal, run.req.principal, run.roleKey) || (s.effect === 'Deny' && run.hasBoundary);
    return applies ? 'direct' : undefined;
  }
  return undefined;
}

function resourceMatches(run: Run, slot: PolicySlot, s: CompiledStatement): boolean {
  // A statement without Resource applies to the resource its policy is attached to (trust policies;
  // elsewhere `checkUsable` has already flagged the policy).
  if (s.resources === undefined) return slot === 'resource';
  const ctx = run.req.context;
  let found = false;
  for (const r of s.resources) {
    if (matchResource(r, run.resource, ctx)) {
      found = true;
      break;
    }
  }
  if (!s.notResource) return found;
  if (found) return false;
  // UNCONFIRMED: AWS says only that "if AWS cannot resolve a variable, the entire statement might be
  // invalid" (IAM User Guide, "Policy variables"). A NotResource whose exclusion cannot be resolved
  // excludes nothing we can name, so we fail closed both ways: such an Allow applies to nothing, such a
  // Deny applies to every resource of its actions (the way a negated condition with an unresolved
  // variable holds). iam-simulate makes the Deny apply to nothing; the differential test records it.
  if (s.effect === 'Allow') for (const r of s.resources) if (isUnresolved(r, ctx)) return false;
  return true;
}

/** Records the keys a condition needed and the request lacked. */
function noteMissing(run: Run, c: CompiledCondition, reason: ConditionReason): void {
  const ctx = run.req.context;
  if (reason !== 'matched' && reason !== 'valueMismatch' && reason !== 'multivaluedWithoutQualifier') {
    if (!ctx.has(c.key)) {
      const missing = (run.missing ??= new Map());
      if (!missing.has(c.key)) missing.set(c.key, c.keyText);
    }
  }
  if (c.hasVariables) {
    for (const v of unresolvedInCondition(c, ctx)) {
      const missing = (run.missing ??= new Map());
      if (!missing.has(v.key)) missing.set(v.key, v.name);
    }
  }
}

/**
 * Whether a statement whose action matched (`candidates` filtered it) applies to the request. Fast
 * path: it stops at the first part that fails.
 */
function matchStatement(run: Run, slot: PolicySlot, s: CompiledStatement): PrincipalOutcome {
  const kind = principalOutcome(run, slot, s);
  if (kind === undefined || !resourceMatches(run, slot, s)) return undefined;
  for (const c of s.conditions) {
    const reason = evaluateCondition(c, run.req.context);
    noteMissing(run, c, reason);
    if (!HOLDS[reason]) return undefined;
  }
  return kind;
}

/** Evaluates every part of a statement and records it in the trace. */
function traceStatement(
  run: Run,
  e: Entry,
  s: CompiledStatement,
  trace: StatementTrace[],
  denies: Hit[],
  allows: Hit[],
): void {
  const ctx = run.req.context;
  const kind = principalOutcome(run, e.slot, s);
  const principalMatch: boolean | 'notApplicable' =
    kind === NO_PRINCIPAL ? 'notApplicable' : kind !== undefined;
  const actionMatch = statementMatchesAction(s, splitAction(run.actionKey));
  const resourceMatch = resourceMatches(run, e.slot, s);
  let matched = kind !== undefined && actionMatch && resourceMatch;
  const conditions: ConditionTrace[] = [];
  if (matched) {
    for (const c of s.conditions) {
      const reason = evaluateCondition(c, ctx);
      noteMissing(run, c, reason);
      const holds = HOLDS[reason];
      if (!holds) matched = false;
      const unresolved = c.hasVariables ? unresolvedInCondition(c, ctx).map((v) => v.raw) : [];
      const t: { -readonly [K in keyof ConditionTrace]: ConditionTrace[K] } = {
        operator: c.operatorText,
        key: c.keyText,
        policyValues: c.valueTexts,
        requestValue: ctx.get(c.key),
        matched: holds,
        reason,
        path: c.path,
      };
      if (unresolved.length > 0) t.unresolvedVariables = unresolved;
      conditions.push(t);
    }
  }
  const hitKind = kind === NO_PRINCIPAL ? undefined : kind;
  const hit: Hit = { entry: e, statement: s, kind: hitKind };
  // Plain assignments, not spreads: object spread is what made tracing slow.
  const entry = refOf(hit) as { -readonly [K in keyof StatementTrace]: StatementTrace[K] };
  entry.actions = s.actions.map((a) => a.raw);
  entry.notAction = s.notAction;
  entry.resources = s.resources?.map((r) => r.raw);
  entry.notResource = s.notResource;
  entry.principalMatch = principalMatch;
  entry.actionMatch = actionMatch;
  entry.resourceMatch = resourceMatch;
  entry.conditions = conditions;
  entry.matched = matched;
  if (hitKind) entry.principalMatchKind = hitKind;
  trace.push(entry);
  if (matched) (s.effect === 'Deny' ? denies : allows).push(hit);
}
