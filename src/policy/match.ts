import { splitArn } from '../shared/arn.js';
import type {
  ActionPattern,
  ArnSegments,
  CompiledCondition,
  CompiledStatement,
  ConditionValue,
  ResourcePattern,
} from './compile.js';
import { compileGlob, matchGlob, matchPattern, type Glob } from './glob.js';
import {
  resolveCodes,
  resolveText,
  unresolvedVariables,
  variableValue,
  type Template,
  type TemplatePart,
} from './template.js';
import type { RequestContext } from './types.js';
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

/** Whether a statement's `Action` (or `NotAction`) covers the action. */
export function statementMatchesAction(s: CompiledStatement, a: RequestAction): boolean {
  let found = false;
  for (const p of s.actions) {
    if (matchAction(p, a)) {
      found = true;
      break;
    }
  }
  return s.notAction ? !found : found;
}

/** The request's resource, split into ARN components on first use. */
export class RequestResource {
  private parts: readonly string[] | null | undefined;
  private head: string | null | undefined;
  private tail: string | undefined;
  constructor(readonly text: string) {}

  /** `[arn, partition, service, region, account, resource]`, or `null` when not an ARN. */
  segments(): readonly string[] | null {
    if (this.parts === undefined) this.parts = splitArn(this.text) ?? null;
    return this.parts;
  }

  /** Everything up to and including the fifth colon, or `null` when not an ARN. */
  prefix(): string | null {
    if (this.head === undefined) this.cut();
    return this.head ?? null;
  }

  /** The ARN's account component when it is a 12-digit account id. */
  account(): string | undefined {
    if (this.head === undefined) this.cut();
    if (this.head === null || this.accountEnd - this.accountStart !== 12) return undefined;
    const account = this.text.slice(this.accountStart, this.accountEnd);
    return /^\d{12}$/.test(account) ? account : undefined;
  }

  private accountStart = 0;
  private accountEnd = 0;

  /** One pass over the characters to the fifth colon; no regular expressions, no full split. */
  private cut(): void {
    const t = this.text;
    let colons = 0;
    for (let i = 0; i < t.length; i++) {
      if (t.charCodeAt(i) !== 58) continue;
      colons++;
      if (colons === 4) this.accountStart = i + 1;
      else if (colons === 5) {
        this.accountEnd = i;
        this.head = t.slice(0, i + 1);
        this.tail = t.slice(i + 1);
        return;
      }
    }
    this.head = null;
    this.tail = '';
  }

  /** The resource component (after the fifth colon), `''` when not an ARN. */
  rest(): string {
    if (this.head === undefined) this.cut();
    return this.tail ?? '';
  }
}

export function matchResource(p: ResourcePattern, r: RequestResource, context: RequestContext): boolean {
  switch (p.kind) {
    case 'any':
      return true;
    case 'never':
      return false;
    case 'prefixed':
      return r.prefix() === p.prefix && matchGlob(p.rest, r.rest());
    case 'spanning':
      return matchGlob(p.glob, r.text);
    case 'segments': {
      const parts = r.segments();
      return parts !== null && matchSegments(p.segments, parts) && matchGlob(p.rest, parts[5]!);
    }
    case 'template': {
      if (p.prefix !== null) {
        if (r.prefix() !== p.prefix) return false;
      } else {
        const parts = r.segments();
        if (parts === null || !matchSegments(p.segments, parts)) return false;
      }
      // An unresolvable variable makes the pattern match nothing (IAM User Guide, "Policy variables":
      // "If there is no value ... the policy element isn't matched").
      return matchTemplate(p.rest, r.rest(), 0, context);
    }
  }
}

/**
 * Matches a wildcard template against `s`. The common case — substituted values hold no `*` or `?` —
 * matches the substituted text as a pattern directly; otherwise the values are made literal codes.
 */
function matchTemplate(t: Template, s: string, start: number, context: RequestContext): boolean {
  // Most templates start with literal text (`home/${aws:username}/*`): reject on it before building.
  const lead = t.lead;
  if (lead !== '' && !s.startsWith(lead, start)) return false;
  const text = resolveText(t, context);
  if (text === undefined) return false;
  if (!variablesHoldWildcards(t, context)) return matchPattern(text, s, start);
  const codes = resolveCodes(t, context);
  return codes !== undefined && matchGlob(compileGlob(codes), s, start);
}

function variablesHoldWildcards(t: Template, context: RequestContext): boolean {
  for (const p of t.parts) {
    if (p.kind === 'literal' && (p.text === '*' || p.text === '?')) return true;
    if (p.kind === 'var') {
      const v = variableValue(p, context);
      if (v !== undefined && (v.includes('*') || v.includes('?'))) return true;
    }
  }
  return false;
}

/** Whether a pattern's variables cannot all be resolved in this request. */
export function isUnresolved(p: ResourcePattern, context: RequestContext): boolean {
  return p.kind === 'template' && resolveCodes(p.rest, context) === undefined;
}

function matchSegments(segments: ArnSegments, parts: readonly string[]): boolean {
  for (let i = 0; i < 5; i++) if (!matchGlob(segments[i]!, parts[i]!)) return false;
  return true;
}

export type ConditionReason =
  | 'matched'
  | 'valueMismatch'
  | 'missingKey'
  | 'missingKeyNegated'
  | 'ifExistsMissing'
  | 'nullTrue'
  | 'nullFalse'
  | 'emptySetForAll'
  | 'emptySetForAny'
  | 'multivaluedWithoutQualifier';

/** Whether the condition holds, for each outcome. */
export const HOLDS: Readonly<Record<ConditionReason, boolean>> = {
  matched: true,
  valueMismatch: false,
  missingKey: false,
  missingKeyNegated: true,
  ifExistsMissing: true,
  nullTrue: true,
  nullFalse: false,
  emptySetForAll: true,
  emptySetForAny: false,
  multivaluedWithoutQualifier: false,
};

/**
 * Evaluates one condition (one operator, one key) against the context and says why it holds or not;
 * `HOLDS[reason]` is the verdict. Allocation-free: it runs on every request. The rules, from the IAM
 * User Guide ("Condition operators", "Multivalued context keys", "Policy variables"):
 * - several values for the key in the policy are ORed; for a negated operator they are a NOR;
 * - a missing key makes a positive operator false and a negated one true; `...IfExists` makes it true;
 *   `Null` tests presence itself;
 * - `ForAllValues:` is true when the key is absent or empty, else every request value must satisfy
 *   the operator; `ForAnyValue:` is false when absent or empty, else some value must; an empty string
 *   counts as an empty set ("a null data set, such as an empty string");
 * - an unqualified operator on a key that holds several values does not match (Access Analyzer reports
 *   "missing qualifier"; the IAM simulator and iam-simulate answer no match), negated or not.
 */
export function evaluateCondition(c: CompiledCondition, context: RequestContext): ConditionReason {
  const raw = context.get(c.key);
  const op = c.operator;
  if (op.base.family === 'null') {
    // An empty list is no value at all ("key values resolve to a null data set"): Null is true.
    const absent = raw === undefined || (typeof raw !== 'string' && raw.length === 0);
    for (const v of c.values) if (v.kind === 'bool' && v.value === absent) return 'nullTrue';
    return 'nullFalse';
  }
  if (op.qualifier !== 'none') {
    const empty = raw === undefined || raw === '' || (typeof raw !== 'string' && raw.length === 0);
    if (empty) {
      if (raw === undefined && op.ifExists) return 'ifExistsMissing';
      if (op.qualifier === 'forAllValues') return 'emptySetForAll';
      return raw === undefined ? 'missingKey' : 'emptySetForAny';
    }
    if (typeof raw === 'string') return satisfies(c, raw, context) ? 'matched' : 'valueMismatch';
    const all = op.qualifier === 'forAllValues';
    for (const r of raw) {
      const ok = satisfies(c, r, context);
      if (all && !ok) return 'valueMismatch';
      if (!all && ok) return 'matched';
    }
    return all ? 'matched' : 'valueMismatch';
  }
  // A list of one value is read as that value. UNCONFIRMED: AWS documents neither this nor the
  // alternative (iam-simulate answers no match for any list); a context with one tag key reads the same
  // whichever way a caller wrote it, and a policy variable resolves a one-value list the same way.
  let single: string | undefined;
  if (typeof raw === 'string') single = raw;
  else if (raw !== undefined && raw.length === 1) single = raw[0];
  else if (raw !== undefined && raw.length > 1) return 'multivaluedWithoutQualifier';
  if (single === undefined) {
    if (op.ifExists) return 'ifExistsMissing';
    return op.base.negated ? 'missingKeyNegated' : 'missingKey';
  }
  return satisfies(c, single, context) ? 'matched' : 'valueMismatch';
}

/** One request value against all the policy values: OR for positive operators, NOR for negated ones. */
function satisfies(c: CompiledCondition, r: string, context: RequestContext): boolean {
  const any = anyValueMatches(c, r, context);
  return c.operator.base.negated ? !any : any;
}

/** The request value is parsed once for its family, then compared with each policy value. */
function anyValueMatches(c: CompiledCondition, r: string, context: RequestContext): boolean {
  const cmp = c.operator.base.comparison;
  switch (c.operator.base.family) {
    case 'numeric': {
      const n = parseNumber(r);
      if (n === undefined) return false;
      for (const v of c.values) if (v.kind === 'number' && order(cmp, n, v.value)) return true;
      return false;
    }
    case 'date': {
      const ms = parseDate(r);
      if (ms === undefined) return false;
      for (const v of c.values) if (v.kind === 'date' && order(cmp, ms, v.ms)) return true;
      return false;
    }
    case 'ip': {
      const ip = parseIp(r);
      if (ip === undefined) return false;
      for (const v of c.values) if (v.kind === 'cidr' && cidrContains(v.cidr, ip)) return true;
      return false;
    }
    case 'bool': {
      const b = parseBool(r);
      for (const v of c.values) if (v.kind === 'bool' && v.value === b) return true;
      return false;
    }
    case 'binary': {
      const b = canonicalBase64(r);
      for (const v of c.values) if (v.kind === 'binary' && v.base64 === b) return true;
      return false;
    }
    default: {
      const lower = cmp === 'eqIgnoreCase' ? r.toLowerCase() : r;
      for (const v of c.values) if (compare(cmp, v, lower, context)) return true;
      return false;
    }
  }
}

/** A string or ARN request value (already lower-cased for the IgnoreCase operators) against one value. */
function compare(cmp: string, v: ConditionValue, r: string, context: RequestContext): boolean {
  switch (v.kind) {
    case 'text':
      return r === v.text;
    case 'glob':
      return matchGlob(v.glob, r);
    case 'template': {
      // An unresolvable variable leaves the value unmatched; for a negated operator that makes the
      // condition hold ("StringNotEquals ... matches", IAM User Guide, "Policy variables" / no value).
      if (cmp === 'like') return matchTemplate(v.template, r, 0, context);
      const text = resolveText(v.template, context);
      if (text === undefined) return false;
      return cmp === 'eqIgnoreCase' ? r === text.toLowerCase() : r === text;
    }
    case 'arn':
      return matchArnValue(v.segments, v.rest, r);
    case 'arnTemplate': {
      const parts = splitArn(r);
      if (!parts) return false;
      for (let i = 0; i < 6; i++) {
        // Each component on its own: substituted values are literal and cannot cross a colon.
        if (!matchTemplate(v.pieces[i]!, parts[i]!, 0, context)) return false;
      }
      return true;
    }
    default:
      return false;
  }
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

/** The variables of a condition's values that this request leaves unresolved. */
export function unresolvedInCondition(
  c: CompiledCondition,
  context: RequestContext,
): (TemplatePart & { kind: 'var' })[] {
  const out: (TemplatePart & { kind: 'var' })[] = [];
  for (const v of c.values) {
    if (v.kind === 'template') out.push(...unresolvedVariables(v.template, context));
    else if (v.kind === 'arnTemplate') for (const t of v.pieces) out.push(...unresolvedVariables(t, context));
  }
  return out;
}
