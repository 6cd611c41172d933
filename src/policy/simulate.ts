import { systemClock, type Clock } from '../shared/clock.js';
import { authorize, isTrustPolicyRequest, type AuthorizationRequest } from './authorize.js';
import { PolicyCache, type CompiledPolicy } from './compile.js';
import { buildContext, derivedContext, mergeContext } from './context.js';
import { explain } from './explain.js';
import { parsePrincipal } from './principal.js';
import type { Decision, DenyReason, PolicyKind, Severity, StatementRef, StatementTrace } from './types.js';
import { validatePolicy } from './validate.js';

/**
 * The stable contract of `openirsa policy simulate`: one JSON request in, one JSON result out. Tools
 * build on these shapes; add fields, never change or remove them.
 *
 * Request:
 * ```
 * { "id"?: string,
 *   "principal": ARN | "anonymous" | {"federated": P} | {"service": S} | {"arn", "roleArn"?, "roleId"?, "userId"?},
 *   "action": "s3:GetObject", "resource": ARN | "*", "resourceAccount"?: "123456789012",
 *   "context"?: { key: string | number | boolean | [..] },
 *   "identityPolicies"?: [POLICY...], "resourcePolicy"?: POLICY, "permissionsBoundary"?: POLICY,
 *   "sessionPolicy"?: POLICY, "trace"?: boolean }
 * ```
 * where POLICY is a policy document (object), its JSON text (string), or `{"name", "document"}`.
 * Context keys the principal implies (aws:PrincipalArn, aws:PrincipalAccount, aws:PrincipalType,
 * aws:userid, aws:username, aws:CurrentTime, aws:EpochTime) are derived unless the request gives them.
 */
export interface SimulationResult {
  id?: string;
  decision?: Decision;
  reason?: DenyReason;
  matchedStatements?: StatementRef[];
  missingContextKeys?: string[];
  explanation?: string;
  /** The request itself was malformed; nothing was decided. */
  error?: string;
  /** Problems met while deciding (policies with errors, ignored inputs). */
  issues?: string[];
  /** Validation errors of the request's policies: what IAM would refuse to store. */
  policyErrors?: PolicyFinding[];
  trace?: StatementTrace[];
}

export interface PolicyFinding {
  /** Which policy of the request: `identityPolicies/0`, `resourcePolicy`, ... */
  readonly policy: string;
  readonly severity: Severity;
  readonly code: string;
  readonly message: string;
  readonly path: string;
}

export interface SimulationOptions {
  readonly clock?: Clock;
  /** Shared across requests of one run so repeated documents compile once. */
  readonly cache?: PolicyCache;
}

/** A simulation request read and checked: ready for `authorize`, or the reason it is malformed. */
export type PreparedSimulation =
  | {
      readonly ok: true;
      readonly id: string | undefined;
      readonly request: AuthorizationRequest;
      readonly problems: readonly string[];
      readonly findings: readonly PolicyFinding[];
      readonly wantsTrace: boolean;
    }
  | { readonly ok: false; readonly result: SimulationResult };

export function simulate(request: unknown, options: SimulationOptions = {}): SimulationResult {
  const prepared = prepareSimulation(request, options);
  if (!prepared.ok) return prepared.result;
  const { id, request: req, problems, findings } = prepared;
  const result = authorize(req);
  const issues = [...problems, ...result.issues];
  return {
    ...(id !== undefined ? { id } : {}),
    decision: result.decision,
    ...(result.reason ? { reason: result.reason } : {}),
    matchedStatements: [...result.matchedStatements],
    missingContextKeys: [...result.missingContextKeys],
    explanation: explain(req, result),
    ...(issues.length > 0 ? { issues } : {}),
    ...(findings.length > 0 ? { policyErrors: [...findings] } : {}),
    ...(prepared.wantsTrace && result.trace ? { trace: [...result.trace] } : {}),
  };
}

/** Reads a simulation request into an `AuthorizationRequest` (with `trace: true`), validating as it goes. */
export function prepareSimulation(request: unknown, options: SimulationOptions = {}): PreparedSimulation {
  if (request === null || typeof request !== 'object' || Array.isArray(request)) {
    return { ok: false, result: { error: 'a simulation request must be a JSON object' } };
  }
  const r = request as Record<string, unknown>;
  const id = typeof r.id === 'string' ? r.id : typeof r.id === 'number' ? String(r.id) : undefined;
  const fail = (error: string): PreparedSimulation => ({
    ok: false,
    result: { ...(id !== undefined ? { id } : {}), error },
  });

  const principal = parsePrincipal(r.principal);
  if ('error' in principal) return fail(principal.error);
  if (typeof r.action !== 'string' || !/^[^:\s]+:[^:\s]+$/.test(r.action)) {
    return fail('`action` must be a string such as "s3:GetObject"');
  }
  if (typeof r.resource !== 'string' || r.resource === '') {
    return fail('`resource` must be an ARN or "*"');
  }
  if (
    r.resourceAccount !== undefined &&
    (typeof r.resourceAccount !== 'string' || !/^\d{12}$/.test(r.resourceAccount))
  ) {
    return fail('`resourceAccount` must be a 12-digit account id');
  }
  if (
    r.context !== undefined &&
    (r.context === null || typeof r.context !== 'object' || Array.isArray(r.context))
  ) {
    return fail('`context` must be an object of condition keys');
  }
  if (r.identityPolicies !== undefined && !Array.isArray(r.identityPolicies)) {
    return fail('`identityPolicies` must be an array of policy documents');
  }
  for (const k of Object.keys(r)) {
    if (!KNOWN_FIELDS.has(k)) return fail(`unknown field \`${k}\``);
  }

  const cache = options.cache ?? new PolicyCache(64);
  const problems: string[] = [];
  const findings: PolicyFinding[] = [];
  const isTrust = isTrustPolicyRequest(r.action, r.resource);

  const load = (value: unknown, label: string, kind: PolicyKind): CompiledPolicy | string => {
    let name: string | undefined;
    let doc: unknown = value;
    if (value !== null && typeof value === 'object' && !Array.isArray(value) && 'document' in value) {
      const o = value as Record<string, unknown>;
      if (o.name !== undefined && typeof o.name !== 'string') return `\`${label}.name\` must be a string`;
      name = o.name;
      doc = o.document;
    }
    if (typeof doc !== 'string' && (doc === null || typeof doc !== 'object' || Array.isArray(doc))) {
      return `\`${label}\` must be a policy document (an object or its JSON text)`;
    }
    for (const f of validatePolicy(doc, kind)) {
      if (f.severity === 'error') findings.push({ policy: label, ...pick(f) });
    }
    return cache.compile(doc, name !== undefined ? { name } : {});
  };

  const identityPolicies: CompiledPolicy[] = [];
  for (const [i, v] of ((r.identityPolicies as unknown[] | undefined) ?? []).entries()) {
    const p = load(v, `identityPolicies/${i}`, 'identity');
    if (typeof p === 'string') return fail(p);
    identityPolicies.push(p);
  }
  const optional = (field: string, kind: PolicyKind): CompiledPolicy | string | undefined =>
    r[field] === undefined ? undefined : load(r[field], field, kind);
  const resourcePolicy = optional('resourcePolicy', isTrust ? 'trust' : 'resource');
  const permissionsBoundary = optional('permissionsBoundary', 'boundary');
  const sessionPolicy = optional('sessionPolicy', 'session');
  for (const p of [resourcePolicy, permissionsBoundary, sessionPolicy])
    if (typeof p === 'string') return fail(p);

  if (resourcePolicy && r.resourceAccount === undefined && /^arn:[^:]*:[^:]*:[^:]*::/.test(r.resource)) {
    problems.push(
      "the resource ARN names no account and `resourceAccount` is not given: the resource is taken to be in the principal's account",
    );
  }
  const given = buildContext((r.context as Record<string, unknown> | undefined) ?? {}, problems);
  const context = mergeContext(derivedContext(principal, (options.clock ?? systemClock).now()), given);

  const req: AuthorizationRequest = {
    principal,
    action: r.action,
    resource: r.resource,
    ...(typeof r.resourceAccount === 'string' ? { resourceAccount: r.resourceAccount } : {}),
    context,
    identityPolicies,
    ...(resourcePolicy ? { resourcePolicy: resourcePolicy as CompiledPolicy } : {}),
    ...(permissionsBoundary ? { permissionsBoundary: permissionsBoundary as CompiledPolicy } : {}),
    ...(sessionPolicy ? { sessionPolicy: sessionPolicy as CompiledPolicy } : {}),
    trace: true,
  };
  return { ok: true, id, request: req, problems, findings, wantsTrace: r.trace === true };
}

const KNOWN_FIELDS = new Set([
  'id',
  'principal',
  'action',
  'resource',
  'resourceAccount',
  'context',
  'identityPolicies',
  'resourcePolicy',
  'permissionsBoundary',
  'sessionPolicy',
  'trace',
]);

function pick(f: { severity: Severity; code: string; message: string; path: string }) {
  return { severity: f.severity, code: f.code, message: f.message, path: f.path };
}
