/**
 * JSON text byte-for-byte as kube-apiserver writes it. Two Go encoders are involved:
 * - token headers and claim sets go through go-jose's `jwt` builder, which first turns the claims
 *   structs into `map[string]interface{}` (`normalize` in go-jose.v2 `jwt/builder.go`), so members come
 *   out sorted by name at every depth (`mapEncoder.encode` sorts keys, byte-wise);
 * - the discovery document and the JWKS are Go structs marshalled with `encoding/json`, so members keep
 *   their declaration order (`openIDMetadata` in `pkg/serviceaccount/openidmetadata.go`, go-jose's
 *   `rawJSONWebKey`): `sortKeys: false`, and the object literal gives the order.
 * Both escape strings the Go way (`encodeState.string`): `<`, `>`, `&` as `\u003c`, `\u003e`, `\u0026`,
 * U+2028/U+2029 as `\u2028`/`\u2029`, control characters other than `\n`, `\r`, `\t` as `\u00XX`.
 */

export type GoJsonValue =
  | string
  | number
  | boolean
  | null
  | readonly GoJsonValue[]
  | { readonly [name: string]: GoJsonValue | undefined };

export function goJson(value: GoJsonValue, options: { readonly sortKeys: boolean }): string {
  return write(value, options.sortKeys);
}

function write(value: GoJsonValue, sortKeys: boolean): string {
  if (value === null) return 'null';
  switch (typeof value) {
    case 'string':
      return goString(value);
    case 'boolean':
      return String(value);
    case 'number':
      // Claims hold NumericDates and counts only; Go would print other numbers differently.
      if (!Number.isSafeInteger(value)) throw new TypeError(`goJson writes safe integers only, got ${value}`);
      return String(value);
  }
  if (isArray(value)) return `[${value.map((v) => write(v, sortKeys)).join(',')}]`;
  const names = Object.keys(value).filter((k) => value[k] !== undefined);
  if (sortKeys) names.sort(byUtf8);
  return `{${names.map((k) => `${goString(k)}:${write(value[k] as GoJsonValue, sortKeys)}`).join(',')}}`;
}

function isArray(value: GoJsonValue): value is readonly GoJsonValue[] {
  return Array.isArray(value);
}

/** Go compares strings byte-wise over UTF-8; UTF-16 order differs above U+FFFF. */
function byUtf8(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}

function goString(s: string): string {
  let out = '"';
  for (const ch of s) {
    const c = ch.codePointAt(0) ?? 0;
    if (c === 0x22) out += '\\"';
    else if (c === 0x5c) out += '\\\\';
    else if (c === 0x0a) out += '\\n';
    else if (c === 0x0d) out += '\\r';
    else if (c === 0x09) out += '\\t';
    else if (c < 0x20 || c === 0x3c || c === 0x3e || c === 0x26)
      out += `\\u00${c.toString(16).padStart(2, '0')}`;
    else if (c === 0x2028 || c === 0x2029) out += `\\u${c.toString(16)}`;
    // A lone surrogate cannot be UTF-8; Go writes U+FFFD for invalid UTF-8.
    else if (c >= 0xd800 && c <= 0xdfff) out += '\\ufffd';
    else out += ch;
  }
  return `${out}"`;
}
