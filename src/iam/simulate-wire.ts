import { boolean, integer, list, map, string, structure, type ValueOf } from '../protocol/shape.js';
import type { ContextValue } from '../policy/types.js';
import { iamError } from './errors.js';
import { markerType, maxItemsType } from './wire.js';

/**
 * Wire shapes of IAM's policy simulator (SimulateCustomPolicy, SimulatePrincipalPolicy and the
 * GetContextKeysFor* pair), members and constraints as in botocore `iam/2010-05-08/service-2.json`.
 * The model leaves the lists unbounded; we bound them (marked ⚠ where the bound is ours) so that one
 * request cannot ask for an unbounded amount of work.
 */

/** ⚠ Our bound: IAM's model has none. Ten identity policies plus inline ones fit easily. */
export const MAX_INPUT_POLICIES = 100;
/** ⚠ Our bound on ActionNames, ResourceArns and ContextEntries (the model has none). */
export const MAX_SIMULATION_ITEMS = 1000;
/** ⚠ Our bound on actions × resources in one simulation. */
export const MAX_EVALUATIONS = 10000;

export const policyInputListType = () =>
  list(string({ min: 1, max: 131072, pattern: '[\\u0009\\u000A\\u000D\\u0020-\\u00FF]+' }), {
    max: MAX_INPUT_POLICIES,
  });
export const resourcePolicyType = () =>
  string({ min: 1, max: 131072, pattern: '[\\u0009\\u000A\\u000D\\u0020-\\u00FF]+' });
export const actionNamesType = () =>
  list(string({ min: 3, max: 128 }), { required: true, max: MAX_SIMULATION_ITEMS });
export const resourceArnsType = () => list(string({ min: 1, max: 2048 }), { max: MAX_SIMULATION_ITEMS });
export const resourceNameType = () => string({ min: 1, max: 2048 });

export const CONTEXT_KEY_TYPES = [
  'string',
  'stringList',
  'numeric',
  'numericList',
  'boolean',
  'booleanList',
  'ip',
  'ipList',
  'binary',
  'binaryList',
  'date',
  'dateList',
] as const;

export const contextEntryShape = structure({
  ContextKeyName: string({ min: 5, max: 256 }),
  ContextKeyValues: list(string({ max: 2048 }), { max: MAX_SIMULATION_ITEMS }),
  ContextKeyType: string({ enum: CONTEXT_KEY_TYPES }),
});
export const contextEntriesType = () => list(contextEntryShape, { max: MAX_SIMULATION_ITEMS });

/** The members both Simulate* actions share, in the model's order after `PolicyInputList`. */
export const simulationMembers = () => ({
  PermissionsBoundaryPolicyInputList: policyInputListType(),
  ActionNames: actionNamesType(),
  ResourceArns: resourceArnsType(),
  ResourcePolicy: resourcePolicyType(),
  ResourceOwner: resourceNameType(),
  CallerArn: resourceNameType(),
  ContextEntries: contextEntriesType(),
  ResourceHandlingOption: string({ min: 1, max: 64 }),
  MaxItems: maxItemsType(),
  Marker: markerType(),
});

const decisionType = () => string({ required: true, enum: ['allowed', 'explicitDeny', 'implicitDeny'] });
const positionShape = structure({ Line: integer(), Column: integer() });

export const statementShape = structure({
  SourcePolicyId: string(),
  SourcePolicyType: string({
    enum: ['user', 'group', 'role', 'aws-managed', 'user-managed', 'resource', 'none'],
  }),
  StartPosition: positionShape,
  EndPosition: positionShape,
});

const boundaryDetailShape = structure({ AllowedByPermissionsBoundary: boolean() });
const decisionDetailsType = () => map(string({ min: 3, max: 256 }), string());

export const resourceSpecificResultShape = structure({
  EvalResourceName: string({ required: true }),
  EvalResourceDecision: decisionType(),
  MatchedStatements: list(statementShape),
  MissingContextValues: list(string()),
  EvalDecisionDetails: decisionDetailsType(),
  PermissionsBoundaryDecisionDetail: boundaryDetailShape,
});

export const evaluationResultShape = structure({
  EvalActionName: string({ required: true }),
  EvalResourceName: string(),
  EvalDecision: decisionType(),
  MatchedStatements: list(statementShape),
  MissingContextValues: list(string()),
  PermissionsBoundaryDecisionDetail: boundaryDetailShape,
  EvalDecisionDetails: decisionDetailsType(),
  ResourceSpecificResults: list(resourceSpecificResultShape),
});

export const simulatePolicyResponse = structure({
  EvaluationResults: list(evaluationResultShape),
  IsTruncated: boolean(),
  Marker: string(),
});

export const contextKeysResponse = structure({ ContextKeyNames: list(string()) });

export type WireEvaluationResult = ValueOf<typeof evaluationResultShape>;
export type WireResourceSpecificResult = ValueOf<typeof resourceSpecificResultShape>;
export type WireStatement = ValueOf<typeof statementShape>;
export type WireContextEntry = ValueOf<typeof contextEntryShape>;
export type PolicySourceType = NonNullable<WireStatement['SourcePolicyType']>;

/**
 * The request context a simulation's `ContextEntries` give: `*List` types are multivalued keys, the
 * others single-valued. Key names are case-insensitive (stored lower-cased, as the engine expects).
 * ⚠ AWS's wording for a malformed entry is unconfirmed: these are ours, `InvalidInput` 400 as IAM
 * answers "an invalid or out-of-range value ... for an input parameter" (API reference, InvalidInput).
 */
export function contextFromEntries(
  entries: readonly WireContextEntry[] | undefined,
): Map<string, ContextValue> {
  const ctx = new Map<string, ContextValue>();
  for (const [i, e] of (entries ?? []).entries()) {
    const where = `ContextEntries.member.${i + 1}`;
    if (e.ContextKeyName === undefined) {
      throw iamError('InvalidInput', `${where} is missing ContextKeyName.`);
    }
    const values = e.ContextKeyValues ?? [];
    // ⚠ A missing ContextKeyType is taken from the number of values (one: single-valued).
    const type = e.ContextKeyType ?? (values.length === 1 ? 'string' : 'stringList');
    const multi = type.endsWith('List');
    if (!multi && values.length !== 1) {
      throw iamError(
        'InvalidInput',
        `${where}: a context key of type ${type} takes exactly one value, found ${values.length}.`,
      );
    }
    const base = multi ? type.slice(0, -'List'.length) : type;
    const normalised = values.map((v) => contextValueOf(base, v, e.ContextKeyName ?? '', where));
    const key = e.ContextKeyName.toLowerCase();
    if (ctx.has(key)) {
      throw iamError('InvalidInput', `${where}: context key ${e.ContextKeyName} is given more than once.`);
    }
    ctx.set(key, multi ? normalised : (normalised[0] ?? ''));
  }
  return ctx;
}

function contextValueOf(type: string, value: string, key: string, where: string): string {
  const bad = () =>
    iamError('InvalidInput', `${where}: value ${value} of context key ${key} is not a valid ${type}.`);
  switch (type) {
    case 'boolean': {
      const lower = value.toLowerCase();
      if (lower !== 'true' && lower !== 'false') throw bad();
      return lower;
    }
    case 'numeric':
      if (value.trim() === '' || !Number.isFinite(Number(value))) throw bad();
      return value;
    default:
      return value;
  }
}
