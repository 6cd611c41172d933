import { authorize, isTrustPolicyRequest, type AuthorizationRequest } from '../policy/authorize.js';
import { principalAccount } from '../policy/principal.js';
import type {
  AuthorizationResult,
  Decision,
  Principal,
  RequestContext,
  StatementRef,
} from '../policy/types.js';
import { parseArn } from '../shared/arn.js';
import type { SimulationPolicy } from './simulation-policy.js';
import { statementToWire } from './simulation-policy.js';
import type { WireEvaluationResult, WireResourceSpecificResult, WireStatement } from './simulate-wire.js';

/** Everything one simulation evaluates: who, what, on which resources, with which policies. */
export interface SimulationPlan {
  readonly principal: Principal;
  readonly actions: readonly string[];
  /** `undefined` when the request named no `ResourceArns`: every action is simulated on `*`. */
  readonly resources: readonly string[] | undefined;
  /** `ResourceOwner`: the account of resources whose ARN names none. */
  readonly resourceOwner?: string;
  readonly context: RequestContext;
  readonly identity: readonly SimulationPolicy[];
  readonly boundary?: SimulationPolicy;
  readonly resourcePolicy?: SimulationPolicy;
  /**
   * Trust policies by role ARN: for `sts:AssumeRole*` on one of these roles (and no `ResourcePolicy`
   * given), the role's trust policy is the resource policy, as it is when AWS authorizes the call.
   */
  readonly trustPolicies?: ReadonlyMap<string, SimulationPolicy>;
}

/** One decision with what the wire reports about it. */
interface Outcome {
  readonly decision: Decision;
  readonly matched: WireStatement[];
  readonly missing: string[];
  readonly boundary?: { AllowedByPermissionsBoundary: boolean };
  readonly details?: Map<string, Decision>;
}

/**
 * Simulates every action on every resource with openirsa's engine (`policy.authorize`, the one that
 * authorizes real requests), in IAM's result shape: one `EvaluationResult` per action and resource.
 * Without `ResourceArns`, results are on `*` and carry `MissingContextValues` themselves; with them,
 * each result also carries its `ResourceSpecificResults` entry, where the missing keys are reported
 * ("If you include a list of resources, then any missing context values are instead included under the
 * ResourceSpecificResults section", API reference, EvaluationResult).
 * ⚠ That AWS gives one EvaluationResult per action *and* resource (rather than per action) is our
 * reading of "reports each combination" in the ResourceArns documentation.
 */
export function runSimulation(plan: SimulationPlan): WireEvaluationResult[] {
  const out: WireEvaluationResult[] = [];
  for (const action of plan.actions) {
    if (plan.resources === undefined) {
      const o = decide(plan, action, '*');
      out.push({
        EvalActionName: action,
        EvalResourceName: '*',
        EvalDecision: o.decision,
        MatchedStatements: o.matched,
        MissingContextValues: o.missing,
        ...(o.boundary ? { PermissionsBoundaryDecisionDetail: o.boundary } : {}),
      });
      continue;
    }
    for (const resource of plan.resources) {
      const o = decide(plan, action, resource);
      const specific: WireResourceSpecificResult = {
        EvalResourceName: resource,
        EvalResourceDecision: o.decision,
        MatchedStatements: o.matched,
        MissingContextValues: o.missing,
        ...(o.details ? { EvalDecisionDetails: o.details } : {}),
        ...(o.boundary ? { PermissionsBoundaryDecisionDetail: o.boundary } : {}),
      };
      out.push({
        EvalActionName: action,
        EvalResourceName: resource,
        EvalDecision: o.decision,
        MatchedStatements: o.matched,
        MissingContextValues: [],
        ...(o.boundary ? { PermissionsBoundaryDecisionDetail: o.boundary } : {}),
        // "If the simulation evaluates policies within the same account and includes a resource ARN,
        // then the parameter is present but the response is empty" (API reference, EvaluationResult).
        EvalDecisionDetails: o.details ?? new Map(),
        ResourceSpecificResults: [specific],
      });
    }
  }
  return out;
}

function decide(plan: SimulationPlan, action: string, resource: string): Outcome {
  const trust = isTrustPolicyRequest(action, resource) ? plan.trustPolicies?.get(resource) : undefined;
  const resourcePolicy = plan.resourcePolicy ?? trust;
  const req: AuthorizationRequest = {
    principal: plan.principal,
    action,
    resource,
    ...(plan.resourceOwner !== undefined ? { resourceAccount: plan.resourceOwner } : {}),
    context: plan.context,
    identityPolicies: plan.identity.map((p) => p.compiled),
    ...(resourcePolicy ? { resourcePolicy: resourcePolicy.compiled } : {}),
    ...(plan.boundary ? { permissionsBoundary: plan.boundary.compiled } : {}),
    trace: true,
  };
  const result = authorize(req);
  const wireRef = (ref: StatementRef): WireStatement | undefined => {
    const source =
      ref.policy === 'identity'
        ? plan.identity[ref.policyIndex ?? -1]
        : ref.policy === 'boundary'
          ? plan.boundary
          : ref.policy === 'resource'
            ? resourcePolicy
            : undefined;
    return source === undefined ? undefined : statementToWire(source, ref.statementIndex);
  };
  // "Even if multiple statements allow the operation ..., if only one statement denies that operation,
  // then the explicit deny overrides any allow. In addition, the deny statement is the only entry
  // included in the result" (API reference, EvaluationResult.MatchedStatements). An implicit deny has
  // no deciding statement: AWS's examples show `[]`.
  const refs = result.decision === 'implicitDeny' ? [] : result.matchedStatements;
  const matched: WireStatement[] = [];
  for (const ref of refs) {
    const w = wireRef(ref);
    if (w !== undefined) matched.push(w);
  }
  return {
    decision: result.decision,
    matched,
    missing: [...result.missingContextKeys],
    ...(plan.boundary ? { boundary: { AllowedByPermissionsBoundary: boundaryAllows(result) } } : {}),
    ...(resource !== '*' && isCrossAccount(plan, resource) ? { details: crossAccountDetails(req) } : {}),
  };
}

/** Whether the boundary allows the request: one of its Allow statements applies and none of its Denies. */
function boundaryAllows(result: AuthorizationResult): boolean {
  let allow = false;
  for (const t of result.trace ?? []) {
    if (t.policy !== 'boundary' || !t.matched) continue;
    if (t.effect === 'Deny') return false;
    allow = true;
  }
  return allow;
}

function isCrossAccount(plan: SimulationPlan, resource: string): boolean {
  const own = principalAccount(plan.principal);
  const arnAccount = parseArn(resource)?.account;
  const owner = plan.resourceOwner ?? (arnAccount !== undefined && arnAccount !== '' ? arnAccount : own);
  return own !== undefined && owner !== own;
}

/**
 * "A brief summary of how each policy type contributes to the final evaluation decision", given for
 * cross-account simulations (API reference, EvaluationResult.EvalDecisionDetails): the identity side
 * as if the resource were in the caller's account without its policy, and the resource policy alone.
 * ⚠ The key names `IAM Policy` and `Resource Policy` are unconfirmed.
 */
function crossAccountDetails(req: AuthorizationRequest): Map<string, Decision> {
  const own = principalAccount(req.principal);
  const base: AuthorizationRequest = {
    principal: req.principal,
    action: req.action,
    resource: req.resource,
    ...(own !== undefined ? { resourceAccount: own } : {}),
    context: req.context,
    identityPolicies: req.identityPolicies,
    ...(req.permissionsBoundary ? { permissionsBoundary: req.permissionsBoundary } : {}),
  };
  const details = new Map<string, Decision>([['IAM Policy', authorize(base).decision]]);
  if (req.resourcePolicy !== undefined) {
    const alone = authorize({ ...base, identityPolicies: [], resourcePolicy: req.resourcePolicy });
    details.set('Resource Policy', alone.decision);
  }
  return details;
}
