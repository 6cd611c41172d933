/**
 * The engines we compare against: iam-simulate (an IAM simulator, AGPL: benchmarks and tests may use it,
 * `src/` never does) and Cedar through its WebAssembly build, plus the hand-written floor. Each is
 * prepared once per scenario; `run*` is the per-decision call the benchmark times.
 */
import * as cedar from '@cedar-policy/cedar-wasm/nodejs';
import { runSimulation, runUnsafeSimulation, type Simulation } from '@cloud-copilot/iam-simulate';
import type { Decision } from '../../src/policy/types.js';
import {
  ACCOUNT,
  ACTION,
  BUCKET,
  CONTEXT,
  KEY,
  PRINCIPAL_ARN,
  RESOURCE,
  ROLE_ARN,
  type Scenario,
} from './scenarios.js';
import { CEDAR_ATTRIBUTE, type FloorRequest } from './statements.js';

/**
 * A decision in our vocabulary. Cedar only says allow or deny; a deny with a determining `forbid` is
 * reported as `explicitDeny`, one without as `implicitDeny`. `error` means the engine did not decide.
 */
export type Outcome = Decision | 'error';

/** Numeric code of an outcome, what the timed loops sum into their sink. */
export const OUTCOME_CODE: Readonly<Record<Outcome, number>> = {
  allowed: 1,
  explicitDeny: 2,
  implicitDeny: 3,
  error: 4,
};

/*
 * iam-simulate.
 */

export interface IamSimulateCheck {
  readonly outcome: Outcome;
  /** Context keys iam-simulate dropped as not applicable to the action. */
  readonly ignoredContextKeys: readonly string[];
  readonly error?: string;
}

export interface PreparedIamSimulate {
  readonly simulation: Simulation;
  readonly run: () => Promise<Outcome>;
  /** `runUnsafeSimulation`, or why it cannot run this scenario. */
  readonly runUnsafe: (() => Outcome) | { readonly unavailable: string };
  readonly check: () => Promise<IamSimulateCheck>;
}

function fromIamSimulate(result: string): Outcome {
  return result === 'Allowed'
    ? 'allowed'
    : result === 'ExplicitlyDenied'
      ? 'explicitDeny'
      : result === 'ImplicitlyDenied'
        ? 'implicitDeny'
        : 'error';
}

export function prepareIamSimulate(scenario: Scenario): PreparedIamSimulate {
  const simulation: Simulation = {
    request: {
      principal: PRINCIPAL_ARN,
      action: ACTION,
      resource: { resource: RESOURCE, accountId: ACCOUNT },
      contextVariables: { ...CONTEXT },
    },
    identityPolicies: scenario.identityPolicies.map((policy, index) => ({
      name: `identity-${index}`,
      policy,
    })),
    serviceControlPolicies: [],
    resourceControlPolicies: [],
    ...(scenario.bucketPolicy ? { resourcePolicy: scenario.bucketPolicy } : {}),
    ...(scenario.permissionsBoundary
      ? { permissionBoundaryPolicies: [{ name: 'boundary', policy: scenario.permissionsBoundary }] }
      : {}),
  };
  const options = { simulationMode: 'Strict' } as const;
  const run = async (): Promise<Outcome> => {
    const result = await runSimulation(simulation, options);
    return result.resultType === 'error' ? 'error' : fromIamSimulate(result.overallResult);
  };
  const check = async (): Promise<IamSimulateCheck> => {
    const result = await runSimulation(simulation, options);
    if (result.resultType === 'error') {
      return { outcome: 'error', ignoredContextKeys: [], error: JSON.stringify(result.errors) };
    }
    const ignored = result.resultType === 'single' ? (result.result.ignoredContextKeys ?? []) : [];
    return { outcome: fromIamSimulate(result.overallResult), ignoredContextKeys: ignored };
  };
  let runUnsafe: PreparedIamSimulate['runUnsafe'];
  try {
    runUnsafeSimulation(simulation, {});
    runUnsafe = () => fromIamSimulate(runUnsafeSimulation(simulation, {}));
  } catch (error) {
    runUnsafe = { unavailable: `throws \`${error instanceof Error ? error.message : String(error)}\`` };
  }
  return { simulation, run, runUnsafe, check };
}

/*
 * Cedar.
 */

/** The request context for Cedar: IAM key names translated, typed values, plus the action name. */
function cedarContext(): cedar.Context {
  const context: cedar.Context = { action: ACTION };
  for (const [key, value] of Object.entries(CONTEXT)) {
    const name = CEDAR_ATTRIBUTE[key];
    if (name === undefined) throw new Error(`no Cedar attribute for context key \`${key}\``);
    if (key === 'aws:SourceIp') context[name] = { __extn: { fn: 'ip', arg: value } };
    else if (key === 'aws:SecureTransport') context[name] = value === 'true';
    else if (key === 'aws:EpochTime') context[name] = Number(value);
    else context[name] = value;
  }
  return context;
}

/** The object, its bucket (the object's parent) and the session, whose parent is its role. */
function cedarEntities(): cedar.Entities {
  const slash = KEY.indexOf('/');
  return [
    {
      uid: { type: 'S3Object', id: `${BUCKET}/${KEY}` },
      attrs: { arn: RESOURCE, ...(slash > 0 ? { topFolder: KEY.slice(0, slash) } : {}) },
      parents: [{ type: 'S3Bucket', id: BUCKET }],
    },
    { uid: { type: 'S3Bucket', id: BUCKET }, attrs: { arn: `arn:aws:s3:::${BUCKET}` }, parents: [] },
    { uid: { type: 'Session', id: PRINCIPAL_ARN }, attrs: {}, parents: [{ type: 'Role', id: ROLE_ARN }] },
  ];
}

export interface CedarCheck {
  readonly outcome: Outcome;
  readonly determining: readonly string[];
  readonly errors: readonly string[];
}

export interface PreparedCedar {
  readonly policyCount: number;
  readonly run: () => Outcome;
  readonly check: () => CedarCheck;
}

function fromCedar(answer: cedar.AuthorizationAnswer): Outcome {
  if (answer.type !== 'success') return 'error';
  if (answer.response.decision === 'allow') return 'allowed';
  return answer.response.diagnostics.reason.length > 0 ? 'explicitDeny' : 'implicitDeny';
}

/** Parses the scenario's policy set into the Wasm module's store; throws if Cedar rejects it. */
export function preparseCedar(scenario: Scenario, id: string): void {
  const parsed = cedar.preparsePolicySet(id, { staticPolicies: scenario.cedarPolicies });
  if (parsed.type !== 'success') {
    throw new Error(`Cedar rejects the policy set of \`${scenario.name}\`: ${JSON.stringify(parsed.errors)}`);
  }
}

export function prepareCedar(scenario: Scenario, id: string): PreparedCedar {
  preparseCedar(scenario, id);
  const call: cedar.StatefulAuthorizationCall = {
    principal: { type: 'Session', id: PRINCIPAL_ARN },
    action: { type: 'Action', id: ACTION },
    resource: { type: 'S3Object', id: `${BUCKET}/${KEY}` },
    context: cedarContext(),
    preparsedPolicySetId: id,
    entities: cedarEntities(),
  };
  const parts = cedar.policySetTextToParts(scenario.cedarPolicies);
  return {
    policyCount: parts.type === 'success' ? parts.policies.length : Number.NaN,
    run: () => fromCedar(cedar.statefulIsAuthorized(call)),
    check: () => {
      const answer = cedar.statefulIsAuthorized(call);
      if (answer.type !== 'success') {
        return { outcome: 'error', determining: [], errors: answer.errors.map((error) => error.message) };
      }
      return {
        outcome: fromCedar(answer),
        determining: answer.response.diagnostics.reason,
        errors: answer.response.diagnostics.errors.map(
          (error) => `${error.policyId}: ${error.error.message}`,
        ),
      };
    },
  };
}

/** Cedar's version, for the report header. */
export function cedarVersion(): string {
  return cedar.getCedarVersion();
}

/*
 * The floor.
 */

/** The floor's view of the request: the same strings, and a context map keyed like our engine's. */
export function floorRequest(): FloorRequest {
  return {
    action: ACTION,
    resource: RESOURCE,
    roleArn: ROLE_ARN,
    context: new Map(Object.entries(CONTEXT).map(([key, value]) => [key.toLowerCase(), value])),
  };
}
