/**
 * The condition operators of IAM (IAM User Guide, "IAM JSON policy elements: Condition operators"):
 * a base operator, an optional `IfExists` suffix (not for `Null`) and an optional set qualifier
 * `ForAllValues:` / `ForAnyValue:` (IAM User Guide, multivalued context keys).
 */

export type Family = 'string' | 'numeric' | 'date' | 'bool' | 'binary' | 'ip' | 'arn' | 'null';
export type Comparison = 'eq' | 'eqIgnoreCase' | 'like' | 'lt' | 'lte' | 'gt' | 'gte' | 'inCidr' | 'null';
export type Qualifier = 'none' | 'forAllValues' | 'forAnyValue';

export interface BaseOperator {
  readonly name: string;
  readonly family: Family;
  readonly comparison: Comparison;
  /** Negated operators hold when the key is absent and are a NOR over the policy values. */
  readonly negated: boolean;
}

const BASE: readonly BaseOperator[] = [
  { name: 'StringEquals', family: 'string', comparison: 'eq', negated: false },
  { name: 'StringNotEquals', family: 'string', comparison: 'eq', negated: true },
  { name: 'StringEqualsIgnoreCase', family: 'string', comparison: 'eqIgnoreCase', negated: false },
  { name: 'StringNotEqualsIgnoreCase', family: 'string', comparison: 'eqIgnoreCase', negated: true },
  { name: 'StringLike', family: 'string', comparison: 'like', negated: false },
  { name: 'StringNotLike', family: 'string', comparison: 'like', negated: true },
  { name: 'NumericEquals', family: 'numeric', comparison: 'eq', negated: false },
  { name: 'NumericNotEquals', family: 'numeric', comparison: 'eq', negated: true },
  { name: 'NumericLessThan', family: 'numeric', comparison: 'lt', negated: false },
  { name: 'NumericLessThanEquals', family: 'numeric', comparison: 'lte', negated: false },
  { name: 'NumericGreaterThan', family: 'numeric', comparison: 'gt', negated: false },
  { name: 'NumericGreaterThanEquals', family: 'numeric', comparison: 'gte', negated: false },
  { name: 'DateEquals', family: 'date', comparison: 'eq', negated: false },
  { name: 'DateNotEquals', family: 'date', comparison: 'eq', negated: true },
  { name: 'DateLessThan', family: 'date', comparison: 'lt', negated: false },
  { name: 'DateLessThanEquals', family: 'date', comparison: 'lte', negated: false },
  { name: 'DateGreaterThan', family: 'date', comparison: 'gt', negated: false },
  { name: 'DateGreaterThanEquals', family: 'date', comparison: 'gte', negated: false },
  { name: 'Bool', family: 'bool', comparison: 'eq', negated: false },
  { name: 'BinaryEquals', family: 'binary', comparison: 'eq', negated: false },
  { name: 'IpAddress', family: 'ip', comparison: 'inCidr', negated: false },
  { name: 'NotIpAddress', family: 'ip', comparison: 'inCidr', negated: true },
  // ArnEquals and ArnLike behave the same: both take wildcards per ARN component (IAM User Guide, ARN
  // condition operators).
  { name: 'ArnEquals', family: 'arn', comparison: 'like', negated: false },
  { name: 'ArnLike', family: 'arn', comparison: 'like', negated: false },
  { name: 'ArnNotEquals', family: 'arn', comparison: 'like', negated: true },
  { name: 'ArnNotLike', family: 'arn', comparison: 'like', negated: true },
  { name: 'Null', family: 'null', comparison: 'null', negated: false },
];

const BY_NAME = new Map(BASE.map((op) => [op.name.toLowerCase(), op]));

export interface ParsedOperator {
  readonly base: BaseOperator;
  readonly ifExists: boolean;
  readonly qualifier: Qualifier;
  /** The operator as AWS spells it (`ForAnyValue:StringLikeIfExists`). */
  readonly canonical: string;
}

export type OperatorParse =
  | { readonly ok: true; readonly operator: ParsedOperator }
  | { readonly ok: false; readonly reason: 'unknown' | 'nullIfExists' };

/**
 * Reads an operator name. Names are matched without regard to case, as the IAM policy simulator and
 * other engines do (AWS's own behaviour is unconfirmed): validation warns when the case differs from
 * `canonical`, so such a policy is flagged but still means what it plainly says.
 */
export function parseOperator(raw: string): OperatorParse {
  let rest = raw;
  let qualifier: Qualifier = 'none';
  const lower = raw.toLowerCase();
  if (lower.startsWith('forallvalues:')) {
    qualifier = 'forAllValues';
    rest = raw.slice('forallvalues:'.length);
  } else if (lower.startsWith('foranyvalue:')) {
    qualifier = 'forAnyValue';
    rest = raw.slice('foranyvalue:'.length);
  }
  let ifExists = false;
  let name = rest.toLowerCase();
  let base = BY_NAME.get(name);
  if (!base && name.endsWith('ifexists')) {
    name = name.slice(0, -'ifexists'.length);
    base = BY_NAME.get(name);
    ifExists = true;
  }
  if (!base) return { ok: false, reason: 'unknown' };
  if (base.family === 'null' && ifExists) return { ok: false, reason: 'nullIfExists' };
  const prefix =
    qualifier === 'forAllValues' ? 'ForAllValues:' : qualifier === 'forAnyValue' ? 'ForAnyValue:' : '';
  return {
    ok: true,
    operator: { base, ifExists, qualifier, canonical: `${prefix}${base.name}${ifExists ? 'IfExists' : ''}` },
  };
}

/** Every base operator name, for suggestions. */
export function operatorNames(): string[] {
  return BASE.map((op) => op.name);
}
