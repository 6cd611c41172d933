import { splitArn } from '../shared/arn.js';
import type { ConditionEntry, PolicyDocument, Statement } from './ast.js';
import { compileGlob, exactGlob, globFromPattern, type Glob } from './glob.js';
import { parseOperator, type ParsedOperator } from './operators.js';
import { jsonFromValue, jsonText } from '../shared/json.js';
import { parsePolicy, syntaxError } from './parse.js';
import { splitAction, statementMatchesAction } from './match.js';
import { compilePrincipals, type CompiledPrincipals } from './principal.js';
import { parseTemplate, splitArnPattern, staticCodes, staticText, type Template } from './template.js';
import type { Finding } from './types.js';
import { canonicalBase64, parseBool, parseCidr, parseDate, parseNumber, type Cidr } from './values.js';

/**
 * Compilation turns a parsed document into the form `authorize` evaluates: action patterns lower-cased
 * (actions are case-insensitive) and split at the service prefix, ARN patterns split into their six
 * components, condition values parsed for their operator (CIDRs, dates, numbers, base64), variables
 * pre-split, statements indexed by service prefix. It is done once per document (see `PolicyCache`).
 *
 * A document whose meaning is unknown — it does not parse, an `Effect` is neither `Allow` nor `Deny`,
 * a condition operator is unknown, a typed condition value does not parse — compiles with `errors`,
 * and `authorize` never allows a request that such a policy takes part in: nothing unparseable grants.
 */

export interface ActionPattern {
  readonly raw: string;
  /** `*` alone: every action of every service. */
  readonly all: boolean;
  readonly service: Glob;
  readonly name: Glob;
}

export type ArnSegments = readonly [Glob, Glob, Glob, Glob, Glob];

export type ResourcePattern =
  | { readonly kind: 'any'; readonly raw: string }
  | { readonly kind: 'never'; readonly raw: string }
  /** The first five components are literal: match `prefix` then `rest` on the remainder. */
  | { readonly kind: 'prefixed'; readonly raw: string; readonly prefix: string; readonly rest: Glob }
  | { readonly kind: 'segments'; readonly raw: string; readonly segments: ArnSegments; readonly rest: Glob }
  /** A short pattern whose last component ends in `*`: that `*` spans the rest, colons included. */
  | { readonly kind: 'spanning'; readonly raw: string; readonly glob: Glob }
  /** Variables in the resource component, resolved per request; `prefix` when the head is literal. */
  | {
      readonly kind: 'template';
      readonly raw: string;
      readonly prefix: string | null;
      readonly segments: ArnSegments;
      readonly rest: Template;
    };

export type ConditionValue =
  | { readonly kind: 'text'; readonly text: string }
  | { readonly kind: 'glob'; readonly glob: Glob }
  | { readonly kind: 'template'; readonly template: Template }
  | { readonly kind: 'number'; readonly value: number }
  | { readonly kind: 'date'; readonly ms: number }
  | { readonly kind: 'bool'; readonly value: boolean }
  | { readonly kind: 'binary'; readonly base64: string }
  | { readonly kind: 'cidr'; readonly cidr: Cidr }
  | { readonly kind: 'arn'; readonly segments: ArnSegments; readonly rest: Glob }
  /** An ARN pattern with variables: six component templates, resolved per request. */
  | { readonly kind: 'arnTemplate'; readonly pieces: readonly Template[] }
  /** A value that can never match (an ARN pattern with fewer than six components). */
  | { readonly kind: 'never' };

export interface CompiledCondition {
  readonly operator: ParsedOperator;
  readonly operatorText: string;
  /** Lower-cased key name, as the context stores it. */
  readonly key: string;
  readonly keyText: string;
  readonly values: readonly ConditionValue[];
  readonly valueTexts: readonly string[];
  /** Whether any value holds a policy variable. */
  readonly hasVariables: boolean;
  readonly path: string;
}

export interface CompiledStatement {
  readonly index: number;
  readonly sid?: string;
  readonly effect: 'Allow' | 'Deny';
  readonly path: string;
  readonly principal?: CompiledPrincipals;
  readonly notPrincipal?: CompiledPrincipals;
  readonly actions: readonly ActionPattern[];
  readonly notAction: boolean;
  /** `undefined` when the statement has neither `Resource` nor `NotResource` (trust policies). */
  readonly resources?: readonly ResourcePattern[];
  readonly notResource: boolean;
  readonly conditions: readonly CompiledCondition[];
}

export interface CompiledPolicy {
  readonly name?: string;
  readonly document?: PolicyDocument;
  /** Errors that leave the policy's meaning unknown: while there are any, it grants nothing. */
  readonly errors: readonly Finding[];
  readonly statements: readonly CompiledStatement[];
  /** Whether any statement names a principal: such a policy is not an identity-side policy. */
  readonly hasPrincipals: boolean;
  /** Whether any statement lacks a principal: such a policy is not a resource policy. */
  readonly lacksPrincipals: boolean;
  /** Whether any statement lacks `Resource` and `NotResource`: allowed only in resource policies. */
  readonly lacksResources: boolean;
  /**
   * The statements whose `Action`/`NotAction` matches the action (`service:Name`, any case), by
   * effect, in document order: the action check done once per policy and action, not per request.
   */
  candidates(action: string): Candidates;
}

export interface Candidates {
  readonly allow: readonly CompiledStatement[];
  readonly deny: readonly CompiledStatement[];
}

export interface CompileOptions {
  readonly name?: string;
}

/** Parses and compiles a policy document (JSON text or an object). Never throws on user input. */
export function compilePolicy(document: string | object, options: CompileOptions = {}): CompiledPolicy {
  const parsed = parsePolicy(document);
  const errors: Finding[] = [...parsed.findings];
  const statements: CompiledStatement[] = [];
  const doc = parsed.document;
  if (doc) {
    // Variables are substituted only under Version 2012-10-17; under 2008-10-17 or without a Version
    // they are literal text (IAM User Guide, "Version" and "Policy variables").
    const variables = doc.version?.text === '2012-10-17';
    if (doc.version && doc.version.text !== '2012-10-17' && doc.version.text !== '2008-10-17') {
      errors.push(
        syntaxError(
          'INVALID_VERSION',
          `\`Version\` must be "2012-10-17" or "2008-10-17", found "${doc.version.text}"`,
          doc.version.path,
          'The policy failed legacy parsing',
        ),
      );
    }
    for (const s of doc.statements) {
      const compiled = compileStatement(s, variables, errors);
      if (compiled) statements.push(compiled);
    }
  }
  return makePolicy(options.name, doc, errors, statements);
}

function makePolicy(
  name: string | undefined,
  document: PolicyDocument | undefined,
  errors: readonly Finding[],
  statements: readonly CompiledStatement[],
): CompiledPolicy {
  const byService = new Map<string, CompiledStatement[]>();
  const anyService: CompiledStatement[] = [];
  for (const s of statements) {
    const services = new Set<string>();
    let wild = s.notAction;
    for (const a of s.actions) {
      if (a.all || a.service.kind !== 'exact') wild = true;
      else services.add(a.service.text);
    }
    if (wild) anyService.push(s);
    else {
      for (const svc of services) {
        let list = byService.get(svc);
        if (!list) byService.set(svc, (list = []));
        list.push(s);
      }
    }
  }
  const split = (list: readonly CompiledStatement[]): Candidates => ({
    allow: list.filter((s) => s.effect === 'Allow'),
    deny: list.filter((s) => s.effect === 'Deny'),
  });
  const shared = split(anyService);
  const merged = new Map<string, Candidates>();
  for (const [svc, own] of byService)
    merged.set(svc, split([...own, ...anyService].sort((a, b) => a.index - b.index)));
  const byAction = new Map<string, Candidates>();
  return {
    ...(name !== undefined ? { name } : {}),
    ...(document ? { document } : {}),
    errors,
    statements,
    hasPrincipals: statements.some((s) => s.principal || s.notPrincipal),
    lacksPrincipals: statements.some((s) => !s.principal && !s.notPrincipal),
    lacksResources: statements.some((s) => s.resources === undefined),
    candidates(action: string): Candidates {
      const hit = byAction.get(action);
      if (hit) return hit;
      const a = splitAction(action);
      const forService = merged.get(a.service) ?? shared;
      const found: Candidates = {
        allow: forService.allow.filter((s) => statementMatchesAction(s, a)),
        deny: forService.deny.filter((s) => statementMatchesAction(s, a)),
      };
      // INVARIANT: bounded. Servers ask about the actions of their own operation tables; past the
      // bound, further actions are filtered per call instead of remembered.
      if (byAction.size < MAX_CACHED_ACTIONS) byAction.set(action, found);
      return found;
    },
  };
}

const MAX_CACHED_ACTIONS = 2048;

function compileStatement(
  s: Statement,
  variables: boolean,
  errors: Finding[],
): CompiledStatement | undefined {
  let ok = true;
  const fail = (code: string, message: string, path: string, awsMessage?: string) => {
    errors.push(syntaxError(code, message, path, awsMessage));
    ok = false;
  };
  const effect = s.effect?.text;
  if (effect === undefined) fail('MISSING_EFFECT', 'the statement has no `Effect`', s.path);
  else if (effect !== 'Allow' && effect !== 'Deny') {
    // Effect is case-sensitive (IAM User Guide, "Effect").
    fail(
      'INVALID_EFFECT',
      `\`Effect\` must be "Allow" or "Deny", found "${effect}"`,
      s.effect?.path ?? s.path,
    );
  }
  if (s.action && s.notAction) {
    fail('UNSUPPORTED_ELEMENT_COMBINATION', 'a statement cannot have both `Action` and `NotAction`', s.path);
  }
  if (!s.action && !s.notAction) {
    fail(
      'MISSING_ACTION',
      'the statement has no `Action` or `NotAction`',
      s.path,
      'Policy statement must contain actions.',
    );
  }
  if (s.resource && s.notResource) {
    fail(
      'UNSUPPORTED_ELEMENT_COMBINATION',
      'a statement cannot have both `Resource` and `NotResource`',
      s.path,
    );
  }
  if (s.principal && s.notPrincipal) {
    fail(
      'UNSUPPORTED_ELEMENT_COMBINATION',
      'a statement cannot have both `Principal` and `NotPrincipal`',
      s.path,
    );
  }
  const conditions: CompiledCondition[] = [];
  for (const entry of s.condition ?? []) {
    const c = compileCondition(entry, variables, errors);
    if (c) conditions.push(c);
    else ok = false;
  }
  if (!ok) return undefined;
  const resourceList = s.resource ?? s.notResource;
  const principal = s.principal ? compilePrincipals(s.principal) : undefined;
  const notPrincipal = s.notPrincipal ? compilePrincipals(s.notPrincipal) : undefined;
  return {
    index: s.index,
    ...(s.sid ? { sid: s.sid.text } : {}),
    effect: effect as 'Allow' | 'Deny',
    path: s.path,
    ...(principal ? { principal } : {}),
    ...(notPrincipal ? { notPrincipal } : {}),
    actions: (s.action ?? s.notAction)?.values.map((v) => compileAction(v.text)) ?? [],
    notAction: s.notAction !== undefined,
    ...(resourceList
      ? { resources: resourceList.values.map((v) => compileResource(v.text, variables)) }
      : {}),
    notResource: s.notResource !== undefined,
    conditions,
  };
}

/** `service:ActionName` with wildcards in the name; prefix and name are case-insensitive. */
export function compileAction(raw: string): ActionPattern {
  const lower = raw.toLowerCase();
  if (lower === '*') return { raw, all: true, service: globFromPattern('*'), name: globFromPattern('*') };
  const colon = lower.indexOf(':');
  if (colon < 0 || lower.indexOf(':', colon + 1) >= 0) {
    // Not an action name; it can match nothing. Validation reports it.
    return {
      raw,
      all: false,
      service: exactGlob('\u0000'),
      name: exactGlob('\u0000'),
    };
  }
  return {
    raw,
    all: false,
    service: globFromPattern(lower.slice(0, colon)),
    name: globFromPattern(lower.slice(colon + 1)),
  };
}

/**
 * A `Resource` pattern. `*` and `?` match within one ARN component; the resource component (after the
 * fifth colon) is one component, so `*` there spans `/` and `:`. A pattern with fewer than six
 * components matches nothing, unless its last component ends in `*`, which then spans the rest
 * ("If the * wildcard is the last character of a resource ARN segment, it can expand to match beyond
 * the colon boundaries", IAM User Guide, "Resource"). Variables are honoured in the resource component
 * only (IAM User Guide, "Policy variables": "only in the resource part of the ARN").
 */
export function compileResource(raw: string, variables: boolean): ResourcePattern {
  if (raw === '*') return { kind: 'any', raw };
  const parts = splitArn(raw);
  if (!parts) {
    return raw.endsWith('*') && raw.startsWith('arn:') && !(variables && raw.includes('${'))
      ? { kind: 'spanning', raw, glob: globFromPattern(raw) }
      : { kind: 'never', raw };
  }
  const head = parts.slice(0, 5);
  if (variables && head.some((p) => p.includes('${'))) return { kind: 'never', raw };
  const segments = head.map(globFromPattern) as unknown as ArnSegments;
  const literalHead = segments.every((g) => g.kind === 'exact');
  const restTemplate = parseTemplate(parts[5], variables).template;
  if (restTemplate.hasVariables) {
    return {
      kind: 'template',
      raw,
      prefix: literalHead ? `${head.join(':')}:` : null,
      segments,
      rest: restTemplate,
    };
  }
  const rest = compileGlob(staticCodes(restTemplate));
  if (literalHead) return { kind: 'prefixed', raw, prefix: `${head.join(':')}:`, rest };
  return { kind: 'segments', raw, segments, rest };
}

function compileCondition(
  entry: ConditionEntry,
  variables: boolean,
  errors: Finding[],
): CompiledCondition | undefined {
  const parsed = parseOperator(entry.operator);
  if (!parsed.ok) {
    errors.push(
      syntaxError(
        parsed.reason === 'nullIfExists' ? 'NULL_WITH_IF_EXISTS' : 'INVALID_CONDITION_OPERATOR',
        parsed.reason === 'nullIfExists'
          ? '`NullIfExists` is not an operator: `Null` already tests whether the key exists'
          : `unknown condition operator \`${entry.operator}\``,
        entry.operatorPath,
      ),
    );
    return undefined;
  }
  const op = parsed.operator;
  const values: ConditionValue[] = [];
  let ok = true;
  for (const v of entry.values.values) {
    const compiled = compileConditionValue(op, v.text, variables);
    if (compiled === undefined) {
      ok = false;
      errors.push(
        syntaxError(
          'INVALID_CONDITION_DATA_TYPE',
          `\`${v.text}\` is not a valid value for \`${op.canonical}\`: ${expected(op)}`,
          v.path,
        ),
      );
    } else values.push(compiled);
  }
  if (!ok) return undefined;
  return {
    operator: op,
    operatorText: entry.operator,
    key: entry.key.toLowerCase(),
    keyText: entry.key,
    values,
    valueTexts: entry.values.values.map((v) => v.text),
    hasVariables: values.some((v) => v.kind === 'template' || v.kind === 'arnTemplate'),
    path: entry.values.path,
  };
}

function expected(op: ParsedOperator): string {
  switch (op.base.family) {
    case 'numeric':
      return 'expected an integer or decimal number';
    case 'date':
      return 'expected an ISO 8601 date such as 2026-01-31 or 2026-01-31T12:00:00Z, or epoch seconds';
    case 'bool':
    case 'null':
      return 'expected true or false';
    case 'binary':
      return 'expected base64 text';
    case 'ip':
      return 'expected an IPv4 or IPv6 address or CIDR block such as 203.0.113.0/24';
    default:
      return 'expected text';
  }
}

function compileConditionValue(
  op: ParsedOperator,
  text: string,
  variables: boolean,
): ConditionValue | undefined {
  switch (op.base.family) {
    case 'string': {
      const { template } = parseTemplate(text, variables);
      if (template.hasVariables) return { kind: 'template', template };
      if (op.base.comparison === 'like') return { kind: 'glob', glob: compileGlob(staticCodes(template)) };
      const t = staticText(template);
      return { kind: 'text', text: op.base.comparison === 'eqIgnoreCase' ? t.toLowerCase() : t };
    }
    case 'arn': {
      // Components are cut on the policy's own colons, before any substitution, and each keeps
      // `${*}`-style literals literal.
      const pieces = splitArnPattern(text, variables);
      if (!pieces) return { kind: 'never' };
      const templates = pieces.map((p) => parseTemplate(p, variables).template);
      if (templates.some((t) => t.hasVariables)) return { kind: 'arnTemplate', pieces: templates };
      const globs = templates.map((t) => compileGlob(staticCodes(t)));
      return { kind: 'arn', segments: globs.slice(0, 5) as unknown as ArnSegments, rest: globs[5]! };
    }
    case 'numeric': {
      const n = parseNumber(text);
      return n === undefined ? undefined : { kind: 'number', value: n };
    }
    case 'date': {
      const ms = parseDate(text);
      return ms === undefined ? undefined : { kind: 'date', ms };
    }
    case 'bool':
    case 'null': {
      const b = parseBool(text);
      return b === undefined ? undefined : { kind: 'bool', value: b };
    }
    case 'binary': {
      const b = canonicalBase64(text);
      return b === undefined ? undefined : { kind: 'binary', base64: b };
    }
    case 'ip': {
      const cidr = parseCidr(text);
      return cidr === undefined ? undefined : { kind: 'cidr', cidr };
    }
  }
}

/**
 * Compiled policies keyed by a hash of their text, so a document that many requests share is compiled
 * once. Bounded: the oldest entry goes when `max` is reached. Owned by whoever creates it (the server,
 * a CLI run); there is no module-level cache.
 */
export class PolicyCache {
  /**
   * By document text, then by `name` (which only labels the errors): a Map keyed by the text itself,
   * not a digest of it. A text the caller holds (a cached role's trust policy, a session's policy) is
   * hashed by V8 once per string and then found by identity; hashing it with SHA-256 on every lookup
   * cost more than the evaluation the compiled policy serves. Least recently used text goes first.
   */
  private readonly entries = new Map<string, Map<string, CompiledPolicy>>();
  constructor(private readonly max = 1024) {}

  compile(document: string | object, options: CompileOptions = {}): CompiledPolicy {
    // An object is keyed, and compiled, by its canonical JSON text: exactly what compilation would see.
    const text = typeof document === 'string' ? document : jsonText(jsonFromValue(document));
    const name = options.name ?? '';
    let byName = this.entries.get(text);
    if (byName !== undefined) {
      this.entries.delete(text);
      this.entries.set(text, byName);
      const hit = byName.get(name);
      if (hit !== undefined) return hit;
    } else {
      byName = new Map();
      this.entries.set(text, byName);
      if (this.entries.size > this.max) {
        const oldest = this.entries.keys().next();
        if (!oldest.done) this.entries.delete(oldest.value);
      }
    }
    const compiled = compilePolicy(text, options);
    byName.set(name, compiled);
    return compiled;
  }

  /** Drops everything, e.g. after a policy was written. */
  clear(): void {
    this.entries.clear();
  }
}
