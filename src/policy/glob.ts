/**
 * IAM wildcard matching: `*` matches any run of characters (the empty one too), `?` exactly one
 * (IAM User Guide, "Resource" and "String condition operators"). Patterns are compiled once into a
 * shape with a fast path (exact, prefix, match-all), and the general case runs the classic greedy
 * two-pointer algorithm with single-star backtracking: linear in practice, O(n·m) at worst, and it
 * allocates nothing per match, unlike a RegExp built per pattern.
 *
 * A pattern is a list of codes: a UTF-16 code unit for a literal character, or STAR / ONE for the two
 * wildcards, so text substituted from a policy variable stays literal even when it holds `*` or `?`.
 */

export const STAR = -1;
export const ONE = -2;

/**
 * A compiled pattern. Every glob has the same three fields, whatever its kind, so the property reads on
 * the hot path see one object shape (V8 keeps them monomorphic). `text` is the literal of `exact` and
 * the prefix of `prefix`; `codes` is set for `general` only.
 */
export interface Glob {
  readonly kind: 'any' | 'exact' | 'prefix' | 'general';
  readonly text: string;
  readonly codes: Int32Array | null;
}

const ANY: Glob = { kind: 'any', text: '', codes: null };

/** A glob that matches exactly `text`. */
export function exactGlob(text: string): Glob {
  return { kind: 'exact', text, codes: null };
}

/** Codes for a pattern string in which `*` and `?` are wildcards. */
export function patternCodes(pattern: string, into: number[] = []): number[] {
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern.charCodeAt(i);
    into.push(c === 42 ? STAR : c === 63 ? ONE : c);
  }
  return into;
}

/** Codes for text that must match literally. */
export function literalCodes(text: string, into: number[] = []): number[] {
  for (let i = 0; i < text.length; i++) into.push(text.charCodeAt(i));
  return into;
}

export function globFromPattern(pattern: string): Glob {
  if (pattern === '*') return ANY;
  return compileGlob(patternCodes(pattern));
}

export function compileGlob(codes: readonly number[]): Glob {
  let wild = 0;
  let stars = 0;
  for (const c of codes) {
    if (c === STAR) stars++;
    if (c < 0) wild++;
  }
  if (wild === 0) return exactGlob(codesToString(codes, codes.length));
  if (stars === codes.length) return ANY;
  if (wild === 1 && codes[codes.length - 1] === STAR) {
    return { kind: 'prefix', text: codesToString(codes, codes.length - 1), codes: null };
  }
  return { kind: 'general', text: '', codes: Int32Array.from(codes) };
}

/** The literal text of the first `n` codes (all literal), built in chunks: no argument-count limit. */
function codesToString(codes: readonly number[], n: number): string {
  let out = '';
  for (let i = 0; i < n; i += 4096) out += String.fromCharCode(...codes.slice(i, Math.min(n, i + 4096)));
  return out;
}

/** Does `s` (from `start` on) match the glob? */
export function matchGlob(g: Glob, s: string, start = 0): boolean {
  switch (g.kind) {
    case 'any':
      return true;
    case 'exact':
      return start === 0 ? s === g.text : s.length - start === g.text.length && s.startsWith(g.text, start);
    case 'prefix':
      return s.startsWith(g.text, start);
    case 'general':
      return matchCodes(g.codes!, s, start);
  }
}

function matchCodes(p: Int32Array, s: string, start: number): boolean {
  let i = start;
  let j = 0;
  let star = -1;
  let mark = 0;
  const n = s.length;
  const m = p.length;
  while (i < n) {
    const c = j < m ? p[j]! : 0;
    if (j < m && (c === ONE || c === s.charCodeAt(i))) {
      i++;
      j++;
    } else if (j < m && c === STAR) {
      star = j++;
      mark = i;
    } else if (star >= 0) {
      j = star + 1;
      i = ++mark;
    } else return false;
  }
  while (j < m && p[j] === STAR) j++;
  return j === m;
}

/**
 * Matches a pattern given as text, `*` and `?` being wildcards, without compiling it: for patterns
 * built per request (substituted policy variables). The same algorithm as `matchCodes`, kept as a
 * second copy on purpose: reading the pattern through a shared accessor would cost both hot paths.
 */
export function matchPattern(p: string, s: string, start = 0): boolean {
  let i = start;
  let j = 0;
  let star = -1;
  let mark = 0;
  const n = s.length;
  const m = p.length;
  while (i < n) {
    const c = j < m ? p.charCodeAt(j) : -3;
    if (c === 63 || (c >= 0 && c !== 42 && c === s.charCodeAt(i))) {
      i++;
      j++;
    } else if (c === 42) {
      star = j++;
      mark = i;
    } else if (star >= 0) {
      j = star + 1;
      i = ++mark;
    } else return false;
  }
  while (j < m && p.charCodeAt(j) === 42) j++;
  return j === m;
}

/** Does the glob contain a wildcard at all? */
export function isWild(g: Glob): boolean {
  return g.kind !== 'exact';
}
