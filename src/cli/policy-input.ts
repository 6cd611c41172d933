import { jsonValue, readJson, type JsonNode } from '../shared/json.js';

/**
 * Reads simulation requests: one JSON value (an object, or an array of objects), or JSON Lines. A line
 * that does not parse yields an error entry in its place, so results stay aligned with the input.
 *
 * Policy documents inside a request are handed on as their exact source text, not as parsed objects:
 * `JSON.parse` would silently drop a repeated element (which IAM refuses) and turn `1.20` into `1.2`.
 */
export type RequestEntry =
  { readonly ok: true; readonly value: unknown } | { readonly ok: false; readonly error: string };

export function readRequests(text: string): RequestEntry[] {
  const trimmed = text.trim();
  if (trimmed === '') return [];
  const whole = readJson(trimmed);
  if (whole.ok) {
    if (whole.node.kind === 'array')
      return whole.node.items.map((item) => ({ ok: true, value: toRequest(item, trimmed) }));
    return [{ ok: true, value: toRequest(whole.node, trimmed) }];
  }
  const out: RequestEntry[] = [];
  text.split(/\r?\n/).forEach((line, i) => {
    if (line.trim() === '') return;
    const read = readJson(line);
    if (read.ok) out.push({ ok: true, value: toRequest(read.node, line) });
    else {
      out.push({
        ok: false,
        error: `line ${i + 1} is not valid JSON: ${read.error.message} at column ${read.error.column}`,
      });
    }
  });
  return out;
}

const POLICY_FIELDS = new Set(['resourcePolicy', 'permissionsBoundary', 'sessionPolicy']);

/** The request as a value, with its policy documents replaced by their source text. */
function toRequest(node: JsonNode, source: string): unknown {
  const value = jsonValue(node);
  if (node.kind !== 'object' || value === null || typeof value !== 'object' || Array.isArray(value))
    return value;
  const out = value as Record<string, unknown>;
  for (const { key, value: child } of node.entries) {
    if (POLICY_FIELDS.has(key)) out[key] = policyText(child, source);
    if (key === 'identityPolicies' && child.kind === 'array') {
      out[key] = child.items.map((item) => {
        if (item.kind === 'object' && item.entries.some((e) => e.key === 'document')) {
          const named = jsonValue(item) as Record<string, unknown>;
          const doc = item.entries.find((e) => e.key === 'document');
          if (doc) named.document = policyText(doc.value, source);
          return named;
        }
        return policyText(item, source);
      });
    }
  }
  return out;
}

function policyText(node: JsonNode, source: string): unknown {
  return node.kind === 'object' && node.span ? source.slice(node.span[0], node.span[1]) : jsonValue(node);
}
