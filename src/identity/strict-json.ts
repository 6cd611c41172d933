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

export function parseStrictJson(text: string): StrictJsonResult {
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
