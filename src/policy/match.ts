import { splitArn } from '../shared/arn.js';
import type {
  ActionPattern,
  ArnSegments,
  CompiledCondition,
  ConditionValue,
  ResourcePattern,
} from './compile.js';
import { compileGlob, matchGlob, type Glob } from './glob.js';
import { resolveCodes, resolveText, unresolvedKeys } from './template.js';
import type { ContextValue, RequestContext } from './types.js';
import { cidrContains, parseBool, parseDate, parseIp, parseNumber, canonicalBase64 } from './values.js';

/**
 * The matching half of evaluation: actions, resources and conditions against one request. Everything
 * here is total and allocation-light; `authorize.ts` decides what the matches mean.
 */

/** The request's action split once: lower-cased service prefix and name. */
export interface RequestAction {
  readonly service: string;
  readonly name: string;
}

export function splitAction(action: string): RequestAction {
  const lower = action.toLowerCase();
  const colon = lower.indexOf(':');
  return colon < 0
    ? { service: '', name: lower }
    : { service: lower.slice(0, colon), name: lower.slice(colon + 1) };
}

export function matchAction(p: ActionPattern, a: RequestAction): boolean {
  return p.all || (matchGlob(p.service, a.service) && matchGlob(p.name, a.name));
}

/** The request's resource, split into ARN components on first use. */
export class RequestResource {
  private parts: readonly string[] | null | undefined;
  constructor(readonly text: string) {}

  /** `[arn, partition, service, region, account, resource]`, or `null` when not an ARN. */
  segments(): readonly string[] | null {
    if (this.parts === undefined) this.parts = splitArn(this.text) ?? null;
    return this.parts;
  }
}

export function matchResource(p: ResourcePattern, r: RequestResource, context: RequestContext): boolean {
  switch (p.kind) {
    case 'any':
      return true;
    case 'never':
      return false;
    case 'prefixed':
      return r.text.startsWith(p.prefix) && matchGlob(p.rest, r.text, p.prefix.length);
    case 'spanning':
      return matchGlob(p.glob, r.text);
    case 'segments': {
      const parts = r.segments();
      return parts !== null && matchSegments(p.segments, parts) && matchGlob(p.rest, parts[5]!);
    }
    case 'template': {
      const parts = r.segments();
      if (parts === null || !matchSegments(p.segments, parts)) return false;
      // An unresolvable variable makes the pattern match nothing (IAM User Guide, "Policy variables":
      // "If there is no value ... the policy element isn't matched").
      const codes = resolveCodes(p.rest, context);
      return codes !== undefined && matchGlob(compileGlob(codes), parts[5]!);
    }
  }
}

/** Whether a pattern's variables cannot all be resolved in this request. */
export function isUnresolved(p: ResourcePattern, context: RequestContext): boolean {
  return p.kind === 'template' && resolveCodes(p.rest, context) === undefined;
}

function matchSegments(segments: ArnSegments, parts: readonly string[]): boolean {
  for (let i = 0; i < 5; i++) if (!matchGlob(segments[i]!, parts[i]!)) return false;
  return true;
}

/** The outcome of one condition, with enough detail for a trace. */
export interface ConditionOutcome {
  readonly matched: boolean;
  readonly reason: ConditionReason;
  readonly value: ContextValue | undefined;
}

export type ConditionReason =
  | 'matched'
  | 'valueMismatch'
  | 'missingKey'
  | 'missingKeyNegated'
  | 'ifExistsMissing'
  | 'nullCheck'
  | 'emptySetForAll'
  | 'emptySetForAny'
  | 'multivaluedWithoutQualifier';

/**
 * Evaluates one condition (one operator, one key) against the context. The rules, from the IAM User
 * Guide ("Condition operators", "Multivalued context keys", "Policy variables"):
 * - several values for the key in the policy are ORed; for a negated operator they are a NOR;
 * - a missing key makes a positive operator false and a negated one true; `...IfExists` makes it true;
 *   `Null` tests presence itself;
 * - `ForAllValues:` is true when the key is absent or empty, else every request value must satisfy
 *   the operator; `ForAnyValue:` is false when absent or empty, else some value must;
 * - an unqualified operator on a key that holds several values does not match (Access Analyzer reports
 *   "missing qualifier"; the IAM simulator and iam-simulate answer no match), negated or not.
 */
export function evaluateCondition(c: CompiledCondition, context: RequestContext): ConditionOutcome {
  const raw = context.get(c.key);
  const op = c.operator;
  if (op.base.family === 'null') {
    // An empty list is no value at all ("key values resolve to a null data set"): Null is true.
    const absent = raw === undefined || (typeof raw !== 'string' && raw.length === 0);
    const matched = c.values.some((v) => v.kind === 'bool' && v.value === absent);
    return { matched, reason: 'nullCheck', value: raw };
  }
  if (op.qualifier !== 'none') {
    const set = raw === undefined ? [] : typeof raw === 'string' ? (raw === '' ? [] : [raw]) : raw;
    if (set.length === 0) {
      if (raw === undefined && op.ifExists) return { matched: true, reason: 'ifExistsMissing', value: raw };
      return op.qualifier === 'forAllValues'
        ? { matched: true, reason: 'emptySetForAll', value: raw }
        : { matched: false, reason: raw === undefined ? 'missingKey' : 'emptySetForAny', value: raw };
    }
    let matched: boolean;
    if (op.qualifier === 'forAllValues') matched = set.every((r) => satisfies(c, r, context));
    else matched = set.some((r) => satisfies(c, r, context));
    return { matched, reason: matched ? 'matched' : 'valueMismatch', value: raw };
  }
  // A list of one value is read as that value. UNCONFIRMED: AWS documents neither this nor the
  // alternative (iam-simulate answers no match for any list); a context with one tag key reads the same
  // whichever way a caller wrote it, and a policy variable resolves a one-value list the same way.
  let single: string | undefined;
  if (typeof raw === 'string') single = raw;
  else if (raw !== undefined && raw.length === 1) single = raw[0];
  else if (raw !== undefined && raw.length > 1) {
    return { matched: false, reason: 'multivaluedWithoutQualifier', value: raw };
  }
  if (single === undefined) {
    if (op.ifExists) return { matched: true, reason: 'ifExistsMissing', value: raw };
    return op.base.negated
      ? { matched: true, reason: 'missingKeyNegated', value: raw }
      : { matched: false, reason: 'missingKey', value: raw };
  }
  const matched = satisfies(c, single, context);
  return { matched, reason: matched ? 'matched' : 'valueMismatch', value: raw };
}

/** One request value against all the policy values: OR for positive operators, NOR for negated ones. */
function satisfies(c: CompiledCondition, r: string, context: RequestContext): boolean {
  const any = c.values.some((v) => compare(c, v, r, context));
  return c.operator.base.negated ? !any : any;
}

function compare(c: CompiledCondition, v: ConditionValue, r: string, context: RequestContext): boolean {
  const cmp = c.operator.base.comparison;
  switch (v.kind) {
    case 'text':
      return cmp === 'eqIgnoreCase' ? r.toLowerCase() === v.text : r === v.text;
    case 'glob':
      return matchGlob(v.glob, r);
    case 'template': {
      // An unresolvable variable leaves the value unmatched; for a negated operator that makes the
      // condition hold ("StringNotEquals ... matches", IAM User Guide, "Policy variables" / no value).
      if (cmp === 'like') {
        const codes = resolveCodes(v.template, context);
        return codes !== undefined && matchGlob(compileGlob(codes), r);
      }
      const text = resolveText(v.template, context);
      if (text === undefined) return false;
      return cmp === 'eqIgnoreCase' ? r.toLowerCase() === text.toLowerCase() : r === text;
    }
    case 'number': {
      const n = parseNumber(r);
      return n !== undefined && order(cmp, n, v.value);
    }
    case 'date': {
      const ms = parseDate(r);
      return ms !== undefined && order(cmp, ms, v.ms);
    }
    case 'bool':
      return parseBool(r) === v.value;
    case 'binary':
      return canonicalBase64(r) === v.base64;
    case 'cidr': {
      const ip = parseIp(r);
      return ip !== undefined && cidrContains(v.cidr, ip);
    }
    case 'arn':
      return matchArnValue(v.segments, v.rest, r);
    case 'arnTemplate': {
      // Split after substitution, on the codes, so a substituted `*` stays literal.
      const codes = resolveCodes(v.template, context);
      if (codes === undefined) return false;
      const parts = splitCodes(codes);
      if (!parts) return false;
      return matchArnValue(
        parts.slice(0, 5).map(compileGlob) as unknown as ArnSegments,
        compileGlob(parts[5]!),
        r,
      );
    }
    case 'never':
      return false;
  }
}

/** Splits glob codes at the first five colons, as `splitArn` splits text. */
function splitCodes(codes: readonly number[]): number[][] | undefined {
  const out: number[][] = [[]];
  for (const c of codes) {
    if (c === 58 && out.length < 6) out.push([]);
    else out[out.length - 1]!.push(c);
  }
  return out.length === 6 ? out : undefined;
}

function matchArnValue(segments: ArnSegments, rest: Glob, r: string): boolean {
  const parts = splitArn(r);
  return parts !== undefined && matchSegments(segments, parts) && matchGlob(rest, parts[5]);
}

function order(cmp: string, a: number, b: number): boolean {
  switch (cmp) {
    case 'eq':
      return a === b;
    case 'lt':
      return a < b;
    case 'lte':
      return a <= b;
    case 'gt':
      return a > b;
    case 'gte':
      return a >= b;
    default:
      return false;
  }
}

/** The variables of a condition's values that this request leaves unresolved (for traces). */
export function unresolvedInCondition(c: CompiledCondition, context: RequestContext): string[] {
  const out: string[] = [];
  for (const v of c.values) {
    if (v.kind === 'template' || v.kind === 'arnTemplate') out.push(...unresolvedKeys(v.template, context));
  }
  return out;
}
