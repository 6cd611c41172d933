/**
 * A JSON reader (RFC 8259) for documents where `JSON.parse` is not strict enough: it keeps every entry
 * and reports repeated member names (IAM rejects a policy that repeats an element, "you cannot include
 * the Effect block twice", IAM User Guide, policy grammar; RFC 7515 §4 lets JWS readers reject repeated
 * header names), gives every value its JSON pointer, and keeps numbers as their source text (IAM
 * compares condition values as text: `1.20` is not `1.2` to `StringEquals`). It never throws.
 */

export type JsonNode =
  | {
      readonly kind: 'object';
      readonly entries: readonly JsonEntry[];
      readonly pointer: string;
      /** Where the object stands in the text it was read from (`readJson` only). */
      readonly span?: readonly [number, number];
    }
  | { readonly kind: 'array'; readonly items: readonly JsonNode[]; readonly pointer: string }
  | { readonly kind: 'string'; readonly value: string; readonly pointer: string }
  | { readonly kind: 'number'; readonly text: string; readonly pointer: string }
  | { readonly kind: 'boolean'; readonly value: boolean; readonly pointer: string }
  | { readonly kind: 'null'; readonly pointer: string };

export interface JsonEntry {
  readonly key: string;
  readonly value: JsonNode;
}

export interface JsonSyntaxError {
  readonly message: string;
  readonly line: number;
  readonly column: number;
}

export type JsonReadResult =
  | { readonly ok: true; readonly node: JsonNode; readonly duplicates: readonly string[] }
  | { readonly ok: false; readonly error: JsonSyntaxError };

/** Nesting deeper than this is refused: no policy needs it, and it bounds recursion. */
const MAX_DEPTH = 64;

/** Escapes one reference token of a JSON pointer (RFC 6901 §3). */
export function pointerToken(key: string | number): string {
  return String(key).replace(/~/g, '~0').replace(/\//g, '~1');
}

export function readJson(text: string): JsonReadResult {
  const reader = new Reader(text);
  try {
    reader.skipSpace();
    const node = reader.value('', 0);
    reader.skipSpace();
    if (reader.pos < text.length) reader.fail('unexpected text after the JSON value');
    return { ok: true, node, duplicates: reader.duplicates };
  } catch (e) {
    if (e instanceof ReadFailure) return { ok: false, error: e.error };
    throw e;
  }
}

/**
 * Turns an already-parsed value (from `JSON.parse` or a YAML loader) into nodes. Values JSON cannot hold
 * (undefined, functions, symbols, bigints, non-finite numbers) become `null` nodes, which every caller
 * rejects as the wrong type.
 */
export function jsonFromValue(value: unknown, pointer = '', depth = 0): JsonNode {
  if (depth > MAX_DEPTH) return { kind: 'null', pointer };
  if (typeof value === 'string') return { kind: 'string', value, pointer };
  if (typeof value === 'boolean') return { kind: 'boolean', value, pointer };
  if (typeof value === 'number') {
    return Number.isFinite(value)
      ? { kind: 'number', text: String(value), pointer }
      : { kind: 'null', pointer };
  }
  if (Array.isArray(value)) {
    return {
      kind: 'array',
      items: value.map((v: unknown, i) => jsonFromValue(v, `${pointer}/${i}`, depth + 1)),
      pointer,
    };
  }
  if (value !== null && typeof value === 'object') {
    const entries: JsonEntry[] = [];
    for (const [key, v] of Object.entries(value as Record<string, unknown>)) {
      entries.push({ key, value: jsonFromValue(v, `${pointer}/${pointerToken(key)}`, depth + 1) });
    }
    return { kind: 'object', entries, pointer };
  }
  return { kind: 'null', pointer };
}

/**
 * Compact JSON text for a node tree: what `readJson` would read back to the same tree. Used as the
 * canonical text of an object document (cache keys, size checks), where `JSON.stringify` would differ
 * from what compilation sees (`toJSON` methods, `undefined` members) or throw (bigints).
 */
export function jsonText(node: JsonNode): string {
  switch (node.kind) {
    case 'object':
      return `{${node.entries.map((e) => `${JSON.stringify(e.key)}:${jsonText(e.value)}`).join(',')}}`;
    case 'array':
      return `[${node.items.map(jsonText).join(',')}]`;
    case 'string':
      return JSON.stringify(node.value);
    case 'number':
      return node.text;
    case 'boolean':
      return String(node.value);
    case 'null':
      return 'null';
  }
}

class ReadFailure extends Error {
  constructor(readonly error: JsonSyntaxError) {
    super(error.message);
  }
}

class Reader {
  pos = 0;
  readonly duplicates: string[] = [];
  constructor(private readonly text: string) {}

  fail(message: string): never {
    let line = 1;
    let col = 1;
    for (let i = 0; i < this.pos && i < this.text.length; i++) {
      if (this.text.charCodeAt(i) === 10) {
        line++;
        col = 1;
      } else col++;
    }
    throw new ReadFailure({ message, line, column: col });
  }

  skipSpace(): void {
    const t = this.text;
    while (this.pos < t.length) {
      const c = t.charCodeAt(this.pos);
      if (c === 32 || c === 9 || c === 10 || c === 13) this.pos++;
      else break;
    }
  }

  value(pointer: string, depth: number): JsonNode {
    if (depth > MAX_DEPTH) this.fail(`nesting deeper than ${MAX_DEPTH} levels`);
    const c = this.text[this.pos];
    switch (c) {
      case '{':
        return this.object(pointer, depth);
      case '[':
        return this.array(pointer, depth);
      case '"':
        return { kind: 'string', value: this.string(), pointer };
      case 't':
        this.literal('true');
        return { kind: 'boolean', value: true, pointer };
      case 'f':
        this.literal('false');
        return { kind: 'boolean', value: false, pointer };
      case 'n':
        this.literal('null');
        return { kind: 'null', pointer };
      case undefined:
        return this.fail('unexpected end of the document');
      default:
        if (c === '-' || (c >= '0' && c <= '9')) return { kind: 'number', text: this.number(), pointer };
        return this.fail(`unexpected character \`${c}\``);
    }
  }

  literal(word: string): void {
    if (this.text.startsWith(word, this.pos)) this.pos += word.length;
    else this.fail(`unexpected character \`${this.text[this.pos] ?? ''}\``);
  }

  number(): string {
    // RFC 8259 §6: -? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?
    const m = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
    m.lastIndex = this.pos;
    const found = m.exec(this.text);
    if (!found) return this.fail('malformed number');
    this.pos += found[0].length;
    return found[0];
  }

  string(): string {
    const t = this.text;
    this.pos++; // opening quote
    let out = '';
    let start = this.pos;
    for (;;) {
      if (this.pos >= t.length) this.fail('unterminated string');
      const c = t.charCodeAt(this.pos);
      if (c === 34) {
        out += t.slice(start, this.pos);
        this.pos++;
        return out;
      }
      if (c < 0x20) this.fail('control character in a string');
      if (c === 92) {
        out += t.slice(start, this.pos);
        const e = t[this.pos + 1];
        this.pos += 2;
        switch (e) {
          case '"':
            out += '"';
            break;
          case '\\':
            out += '\\';
            break;
          case '/':
            out += '/';
            break;
          case 'b':
            out += '\b';
            break;
          case 'f':
            out += '\f';
            break;
          case 'n':
            out += '\n';
            break;
          case 'r':
            out += '\r';
            break;
          case 't':
            out += '\t';
            break;
          case 'u': {
            const hex = t.slice(this.pos, this.pos + 4);
            if (!/^[0-9a-fA-F]{4}$/.test(hex)) this.fail('malformed \\u escape');
            out += String.fromCharCode(parseInt(hex, 16));
            this.pos += 4;
            break;
          }
          default:
            this.pos -= 2;
            this.fail('malformed escape in a string');
        }
        start = this.pos;
      } else this.pos++;
    }
  }

  object(pointer: string, depth: number): JsonNode {
    const start = this.pos;
    this.pos++;
    const entries: JsonEntry[] = [];
    const seen = new Set<string>();
    this.skipSpace();
    if (this.text[this.pos] === '}') {
      this.pos++;
      return { kind: 'object', entries, pointer, span: [start, this.pos] };
    }
    for (;;) {
      this.skipSpace();
      if (this.text[this.pos] !== '"') this.fail('expected a quoted member name');
      const key = this.string();
      this.skipSpace();
      if (this.text[this.pos] !== ':') this.fail('expected `:` after a member name');
      this.pos++;
      this.skipSpace();
      const childPointer = `${pointer}/${pointerToken(key)}`;
      if (seen.has(key)) this.duplicates.push(childPointer);
      seen.add(key);
      entries.push({ key, value: this.value(childPointer, depth + 1) });
      this.skipSpace();
      const c = this.text[this.pos];
      this.pos++;
      if (c === '}') return { kind: 'object', entries, pointer, span: [start, this.pos] };
      if (c !== ',') {
        this.pos--;
        this.fail('expected `,` or `}` in an object');
      }
    }
  }

  array(pointer: string, depth: number): JsonNode {
    this.pos++;
    const items: JsonNode[] = [];
    this.skipSpace();
    if (this.text[this.pos] === ']') {
      this.pos++;
      return { kind: 'array', items, pointer };
    }
    for (;;) {
      this.skipSpace();
      items.push(this.value(`${pointer}/${items.length}`, depth + 1));
      this.skipSpace();
      const c = this.text[this.pos];
      this.pos++;
      if (c === ']') return { kind: 'array', items, pointer };
      if (c !== ',') {
        this.pos--;
        this.fail('expected `,` or `]` in an array');
      }
    }
  }
}

/** The plain value of a node tree (numbers as JS numbers). */
export function jsonValue(node: JsonNode): unknown {
  switch (node.kind) {
    case 'object': {
      const o: Record<string, unknown> = {};
      for (const e of node.entries) {
        const value = jsonValue(e.value);
        // Assigning `__proto__` would call Object.prototype's setter and replace the object's prototype;
        // defining it keeps the member an own data property, as JSON.parse makes it.
        if (e.key === '__proto__')
          Object.defineProperty(o, e.key, { value, enumerable: true, writable: true, configurable: true });
        else o[e.key] = value;
      }
      return o;
    }
    case 'array':
      return node.items.map(jsonValue);
    case 'string':
      return node.value;
    case 'number':
      return Number(node.text);
    case 'boolean':
      return node.value;
    case 'null':
      return null;
  }
}

/** Whether a parsed JSON value (or anything) is an object with members: not null, not an array. */
export function isJsonObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}
