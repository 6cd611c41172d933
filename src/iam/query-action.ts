import type { Clock } from '../shared/clock.js';
import type { IdGenerator } from '../shared/ids.js';
import type { InputResult } from '../protocol/query-input.js';
import { readQueryInput } from '../protocol/query-input.js';
import type { StructureShape, ValueOf } from '../protocol/shape.js';
import type { PolicyCache } from '../policy/compile.js';
import type { RequestContext } from '../policy/types.js';
import type { StoreScope } from '../store/types.js';
import type { Caller } from './caller.js';

/** What an awsQuery action (IAM, STS) is given, besides its input: injected, never global. */
export interface ActionContext {
  readonly store: StoreScope;
  readonly clock: Clock;
  readonly ids: IdGenerator;
  readonly caller: Caller;
  readonly requestId: string;
  /** The region this server answers for (`--region`). */
  readonly region: string;
  /** The server's compiled-policy cache: documents are compiled once, not per request. */
  readonly policies: PolicyCache;
  /** The client's address (aws:SourceIp), for actions that build their own request context. */
  readonly sourceIp?: string;
}

/**
 * One authorization an action needs before it runs: the IAM action and the resource it acts on.
 * The server decides each with `policy.authorize` and audits the decision.
 */
export interface AuthorizationNeed {
  /** `service:Action`, e.g. `iam:CreateRole`. */
  readonly action: string;
  /** The resource ARN, or `*`. */
  readonly resource: string;
  /**
   * Condition keys this request sets beyond the ones every request has (`aws:RequestTag/...`,
   * `aws:TagKeys`, `aws:ResourceTag/...`, `iam:PermissionsBoundary`), lower-cased as the engine keys them.
   */
  readonly context?: RequestContext;
}

/** What `authorize` answers: the needs, or a promise of them when it must read the store first. */
export type Authorization = readonly AuthorizationNeed[] | Promise<readonly AuthorizationNeed[]>;

/**
 * One awsQuery operation, in one file: its wire shapes (the input shape also produces AWS's
 * `ValidationError` messages), whether it needs SigV4, what it must be authorized for, and `handle`.
 */
export interface QueryAction<I extends StructureShape, O extends StructureShape> {
  /** The `Action` parameter: `GetCallerIdentity`. */
  readonly name: string;
  readonly input: I;
  readonly output: O;
  /** `none` for the actions clients send unsigned (AssumeRoleWithWebIdentity, irsa-wire.md §5.3). */
  readonly authentication: 'sigv4' | 'none';
  /** May read the store (a role's path is part of its ARN): a promise is awaited before `handle`. */
  authorize(input: ValueOf<I>, ctx: ActionContext): Authorization;
  handle(input: ValueOf<I>, ctx: ActionContext): Promise<ValueOf<O>>;
}

/**
 * An action as a service's action table holds it: the same steps with the shape types erased, so one
 * table holds actions of different shapes. Built only by `registerQueryAction`, which keeps each
 * step's input the output of the step before.
 */
export interface RegisteredQueryAction {
  readonly name: string;
  readonly authentication: 'sigv4' | 'none';
  readonly output: StructureShape;
  decode(params: ReadonlyMap<string, string>): InputResult<unknown>;
  authorize(input: unknown, ctx: ActionContext): Authorization;
  handle(input: unknown, ctx: ActionContext): Promise<unknown>;
}

export function registerQueryAction<I extends StructureShape, O extends StructureShape>(
  action: QueryAction<I, O>,
): RegisteredQueryAction {
  return {
    name: action.name,
    authentication: action.authentication,
    output: action.output,
    decode: (params) => readQueryInput(action.input, params),
    // INVARIANT: the pipeline passes `decode`'s value, which is a `ValueOf<I>`. The action's own answer,
    // not wrapped in a promise: most answer synchronously, and the server awaits only real promises.
    authorize: (input, ctx) => action.authorize(input as ValueOf<I>, ctx),
    handle: (input, ctx) => action.handle(input as ValueOf<I>, ctx),
  };
}
