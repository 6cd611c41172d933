import { jsonValue, readJson, type JsonNode } from '../shared/json.js';

/**
 * A strict JSON (RFC 8259) reader for JOSE headers and JWT claim sets. `JSON.parse` silently keeps the
 * last of two equal member names; RFC 7515 §4 ("The Header Parameter names within the JOSE Header MUST
 * be unique; JWS parsers MUST either reject JWSs with duplicate Header Parameter names or use a JSON
 * parser that returns only the lexically last duplicate member name") and RFC 7519 §4 (the same for
 * claim names) allow either, and we reject: two readers of one token must never see different claims.
 * Duplicates are rejected at every depth (`kubernetes.io` is an object too). Never throws on input.
 *
 * The reading itself is `readJson` (src/shared/json.ts), which reports every repeated name; this module
 * turns its answer into a plain value or one failure.
 */

export type StrictJsonValue =
  | string
  | number
  | boolean
  | null
  | readonly StrictJsonValue[]
  | { readonly [name: string]: StrictJsonValue };

export type StrictJsonResult =
  | { readonly ok: true; readonly value: StrictJsonValue }
  | { readonly ok: false; readonly reason: 'syntax' | 'duplicate'; readonly message: string };

/**
 * Deeper nesting is refused: no token needs more than a few levels. The top-level value is at depth 0,
 * so a value may sit inside at most this many arrays or objects. `readJson` bounds recursion itself, at
 * a looser 64 levels; a text deeper than that fails there, with its message.
 */
export const MAX_JSON_DEPTH = 32;

/**
 * Reads `text` as strict JSON. The common case, a valid token part, takes `JSON.parse` (native, several
 * times faster than `readJson`) and accepts its value only when it provably equals what the full
 * reader gives: `JSON.parse` and `readJson` accept the same RFC 8259 texts and build the same values
 * (both keep a `__proto__` member as an own property); what `JSON.parse` cannot say is whether a name
 * was repeated, and how deep the value goes. Both are checked here (`hasNoRepeatedNames`, the depth
 * bound). Anything else, every failure included, goes through `parseStrictJsonFully`, so failures and
 * their messages are exactly the full reader's.
 */
export function parseStrictJson(text: string): StrictJsonResult {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return parseStrictJsonFully(text);
  }
  const members = countMembers(value, 0);
  if (members < 0 || members !== memberSeparators(text)) return parseStrictJsonFully(text);
  // INVARIANT: JSON.parse builds only strings, numbers, booleans, null, arrays and plain objects.
  return { ok: true, value: value as StrictJsonValue };
}

/**
 * The number of members of all objects in a parsed value, or -1 when any value in it sits deeper than
 * MAX_JSON_DEPTH (the top-level value is at depth 0, as `firstTooDeep` counts).
 *
 * Why this detects a repeated name: every object of the text that survives into the value keeps one
 * member per distinct name, so at most as many as the text gave it, and exactly as many only if it
 * repeats none; an object that does not survive was part of a value a repeated name overwrote. So the
 * value's total equals the text's total of members (its `:` outside strings, `memberSeparators`) if
 * and only if no object repeats a name.
 */
function countMembers(value: unknown, depth: number): number {
  if (depth > MAX_JSON_DEPTH) return -1;
  if (value === null || typeof value !== 'object') return 0;
  let total = 0;
  if (Array.isArray(value)) {
    for (const item of value as unknown[]) {
      const n = countMembers(item, depth + 1);
      if (n < 0) return -1;
      total += n;
    }
    return total;
  }
  // Own names only (`Object.keys`): a member inherited from a tampered prototype must not be counted.
  const record = value as Record<string, unknown>;
  for (const key of Object.keys(record)) {
    const n = countMembers(record[key], depth + 1);
    if (n < 0) return -1;
    total += n + 1;
  }
  return total;
}

/**
 * The `:` outside string literals of a valid JSON text: one per object member. Found with `indexOf`
 * (native) rather than by reading every character in JS: the colons before the next `"`, then that
 * string skipped to its closing `"`, the first one after an even run of backslashes (an odd run escapes
 * it). strict-json.test.ts holds it to a character-by-character count over random texts with escapes.
 */
export function memberSeparators(text: string): number {
  let count = 0;
  let from = 0;
  let colon = text.indexOf(':');
  while (colon >= 0) {
    const quote = text.indexOf('"', from);
    const end = quote < 0 ? text.length : quote;
    while (colon >= 0 && colon < end) {
      count++;
      colon = text.indexOf(':', colon + 1);
    }
    if (quote < 0) return count;
    let close = quote;
    for (;;) {
      close = text.indexOf('"', close + 1);
      // An unterminated string (never in a text JSON.parse read): nothing after it counts.
      if (close < 0) return count;
      let backslash = close - 1;
      while (text.charCodeAt(backslash) === 92) backslash--;
      if ((close - 1 - backslash) % 2 === 0) break;
    }
    from = close + 1;
    if (colon >= 0 && colon < from) colon = text.indexOf(':', from);
  }
  return count;
}

/**
 * `parseStrictJson` through the full reader only (`readJson`, which reports every repeated name and
 * where a text breaks): the reference the fast path is tested against, and the path of every failure.
 */
export function parseStrictJsonFully(text: string): StrictJsonResult {
  const read = readJson(text);
  if (!read.ok) {
    const { message, line, column } = read.error;
    return { ok: false, reason: 'syntax', message: `${message} at line ${line}, column ${column}` };
  }
  // The first repeat in document order: `readJson` records each as it reads the second name.
  const [repeated] = read.duplicates;
  if (repeated !== undefined) {
    return {
      ok: false,
      reason: 'duplicate',
      message: `member \`${clip(memberName(repeated))}\` appears more than once`,
    };
  }
  const deep = firstTooDeep(read.node, 0);
  if (deep !== undefined) {
    return {
      ok: false,
      reason: 'syntax',
      message: `nesting deeper than ${MAX_JSON_DEPTH} levels at \`${clip(deep.pointer)}\``,
    };
  }
  // INVARIANT: jsonValue builds only strings, finite numbers, booleans, null, arrays and plain objects
  // (a `__proto__` member as an own property), which is StrictJsonValue.
  return { ok: true, value: jsonValue(read.node) as StrictJsonValue };
}

/** The member name a JSON pointer ends with: its last reference token, unescaped (RFC 6901 §4). */
function memberName(pointer: string): string {
  return pointer
    .slice(pointer.lastIndexOf('/') + 1)
    .replace(/~1/g, '/')
    .replace(/~0/g, '~');
}

/** The first node, in document order, deeper than MAX_JSON_DEPTH. */
function firstTooDeep(node: JsonNode, depth: number): JsonNode | undefined {
  if (depth > MAX_JSON_DEPTH) return node;
  const children =
    node.kind === 'object' ? node.entries.map((e) => e.value) : node.kind === 'array' ? node.items : [];
  for (const child of children) {
    const found = firstTooDeep(child, depth + 1);
    if (found !== undefined) return found;
  }
  return undefined;
}

function clip(s: string): string {
  return s.length > 64 ? `${s.slice(0, 64)}…` : s;
}
