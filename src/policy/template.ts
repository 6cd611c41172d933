import { literalCodes, patternCodes } from './glob.js';
import type { RequestContext } from './types.js';

/**
 * Policy variables (IAM User Guide, "IAM policy elements: Variables and tags"): `${key}` is replaced by
 * the request's value for the single-valued condition key `key` (name case-insensitive);
 * `${key, 'default'}` falls back to the quoted default — a comma, exactly one space, single quotes;
 * `${*}`, `${?}` and `${$}` stand for a literal `*`, `?` and `$`. Substituted text is literal: a `*` in
 * a tag value is not a wildcard. Variables work only under `"Version": "2012-10-17"`; otherwise (and
 * when `Version` is absent) `${...}` is plain text.
 */

export type TemplatePart =
  | { readonly kind: 'text'; readonly text: string }
  | { readonly kind: 'literal'; readonly text: string }
  | {
      readonly kind: 'var';
      /** Lower-cased key name, as the context stores it. */
      readonly key: string;
      /** The key name as written. */
      readonly name: string;
      readonly raw: string;
      readonly fallback?: string;
    };

export interface Template {
  readonly parts: readonly TemplatePart[];
  readonly hasVariables: boolean;
  /** The literal text every match must start with: the first part's text up to its first wildcard. */
  readonly lead: string;
}

/** A problem with variable syntax, for validation. */
export interface TemplateProblem {
  readonly code: 'MISSING_BRACE' | 'MISSING_QUOTE' | 'UNSUPPORTED_SPACE' | 'EMPTY_VARIABLE';
  readonly message: string;
}

export interface ParsedTemplate {
  readonly template: Template;
  readonly problems: readonly TemplateProblem[];
}

const SPECIAL: Record<string, string> = { '*': '*', '?': '?', $: '$' };

export function parseTemplate(text: string, variables: boolean): ParsedTemplate {
  if (!variables || !text.includes('${')) {
    return {
      template: { parts: [{ kind: 'text', text }], hasVariables: false, lead: leadOf(text) },
      problems: [],
    };
  }
  const parts: TemplatePart[] = [];
  const problems: TemplateProblem[] = [];
  let pos = 0;
  let hasVariables = false;
  while (pos < text.length) {
    const open = text.indexOf('${', pos);
    if (open < 0) {
      parts.push({ kind: 'text', text: text.slice(pos) });
      break;
    }
    if (open > pos) parts.push({ kind: 'text', text: text.slice(pos, open) });
    const close = text.indexOf('}', open + 2);
    if (close < 0) {
      problems.push({ code: 'MISSING_BRACE', message: `the variable in \`${text}\` has no closing \`}\`` });
      parts.push({ kind: 'text', text: text.slice(open) });
      break;
    }
    const inner = text.slice(open + 2, close);
    const raw = text.slice(open, close + 1);
    pos = close + 1;
    const special = SPECIAL[inner];
    if (special !== undefined) {
      parts.push({ kind: 'literal', text: special });
      continue;
    }
    const comma = inner.indexOf(',');
    const key = comma < 0 ? inner : inner.slice(0, comma);
    if (key.trim() === '') {
      problems.push({ code: 'EMPTY_VARIABLE', message: `\`${raw}\` names no condition key` });
      parts.push({ kind: 'text', text: raw });
      continue;
    }
    if (/\s/.test(key)) {
      problems.push({
        code: 'UNSUPPORTED_SPACE',
        message: `\`${raw}\`: a variable name cannot contain spaces`,
      });
    }
    let fallback: string | undefined;
    if (comma >= 0) {
      const rest = inner.slice(comma + 1);
      const m = /^ '([^']*)'$/.exec(rest);
      if (m) fallback = m[1];
      else if (/^\s*'[^']*'\s*$/.test(rest)) {
        problems.push({
          code: 'UNSUPPORTED_SPACE',
          message: `\`${raw}\`: write the default as a comma, one space and a single-quoted value: \`\${${key}, 'value'}\``,
        });
        fallback = rest.trim().slice(1, -1);
      } else {
        problems.push({
          code: 'MISSING_QUOTE',
          message: `\`${raw}\`: the default value must be in single quotes: \`\${${key}, 'value'}\``,
        });
      }
    }
    hasVariables = true;
    parts.push({
      kind: 'var',
      key: key.trim().toLowerCase(),
      name: key.trim(),
      raw,
      ...(fallback !== undefined ? { fallback } : {}),
    });
  }
  const first = parts[0];
  return {
    template: { parts, hasVariables, lead: first?.kind === 'text' ? leadOf(first.text) : '' },
    problems,
  };
}

function leadOf(text: string): string {
  const wild = text.search(/[*?]/);
  return wild < 0 ? text : text.slice(0, wild);
}

/** The value a variable takes in this request, or `undefined` when it cannot be resolved. */
export function variableValue(
  part: TemplatePart & { kind: 'var' },
  context: RequestContext,
): string | undefined {
  const v = context.get(part.key);
  if (typeof v === 'string') return v;
  // Multivalued keys cannot be variables (IAM User Guide, single- vs multivalued context keys); a list
  // of one value is the same as that value.
  if (v !== undefined && v.length === 1) return v[0];
  return part.fallback;
}

/** The template as plain text for this request (wildcards not interpreted), or `undefined`. */
export function resolveText(t: Template, context: RequestContext): string | undefined {
  let out = '';
  for (const p of t.parts) {
    if (p.kind === 'var') {
      const v = variableValue(p, context);
      if (v === undefined) return undefined;
      out += v;
    } else out += p.text;
  }
  return out;
}

/** The template as glob codes for this request (variable values literal), or `undefined`. */
export function resolveCodes(t: Template, context: RequestContext): number[] | undefined {
  const codes: number[] = [];
  for (const p of t.parts) {
    if (p.kind === 'text') patternCodes(p.text, codes);
    else if (p.kind === 'literal') literalCodes(p.text, codes);
    else {
      const v = variableValue(p, context);
      if (v === undefined) return undefined;
      literalCodes(v, codes);
    }
  }
  return codes;
}

/** The variables of a template that the request could not resolve, as written (`${aws:username}`). */
export function unresolvedVariables(
  t: Template,
  context: RequestContext,
): (TemplatePart & { kind: 'var' })[] {
  const out: (TemplatePart & { kind: 'var' })[] = [];
  for (const p of t.parts) if (p.kind === 'var' && variableValue(p, context) === undefined) out.push(p);
  return out;
}

/** Static codes for a template without variables. */
export function staticCodes(t: Template): number[] {
  const codes: number[] = [];
  for (const p of t.parts) {
    if (p.kind === 'text') patternCodes(p.text, codes);
    else literalCodes(p.kind === 'literal' ? p.text : p.raw, codes);
  }
  return codes;
}

/** Static text for a template without variables. */
export function staticText(t: Template): string {
  return t.parts.map((p) => (p.kind === 'var' ? p.raw : p.text)).join('');
}

/**
 * Splits an ARN pattern into its six components at the first five colons that stand outside a
 * `${...}` variable, so that a colon inside a substituted value can never move a component boundary.
 * Returns `undefined` when the pattern has fewer than six components.
 */
export function splitArnPattern(text: string, variables: boolean): string[] | undefined {
  const out: string[] = [];
  let start = 0;
  let inVariable = false;
  for (let i = 0; i < text.length && out.length < 5; i++) {
    const c = text[i];
    if (variables && !inVariable && c === '$' && text[i + 1] === '{') inVariable = true;
    else if (inVariable && c === '}') inVariable = false;
    else if (!inVariable && c === ':') {
      out.push(text.slice(start, i));
      start = i + 1;
    }
  }
  if (out.length < 5) return undefined;
  out.push(text.slice(start));
  return out;
}
