import type { AuditEvent } from './event.js';

/**
 * Writes audit events as JSON lines: `${JSON.stringify(event)}\n`, the same bytes, built with less
 * work. The encoder walks the event as `JSON.stringify` does (own enumerable keys in `Object.keys`
 * order, arrays by index, `undefined`, functions and symbols left out of objects and `null` in arrays,
 * non-finite numbers `null`), with three shortcuts, each exact:
 *
 * - a value given to `internJson` (a session caller's userIdentity, shared by every event of an opened
 *   session; the decision of an action that needs no authorization) is written from the JSON made once
 *   for it;
 * - a key, or a string value, equal to the one at the same place in the previous event (the event
 *   source, action, region, address, user agent, account, a decision's action and reason repeat from
 *   event to event) reuses its quoted form; the places nest, so this holds inside objects and arrays too;
 * - another string is quoted without a call into JSON when it holds nothing to escape.
 *
 * Anything else — an object with `toJSON`, one that is not a plain object or array (a Date, a Map, a
 * class instance), a BigInt, nesting deeper than `MAX_DEPTH` (a cycle) — sends the whole event through
 * `JSON.stringify`, which then writes (or refuses) it exactly. One encoder per sink: what it remembers is
 * one value per place, kept for at most `MAX_PLACES` places per object and `MAX_NESTED` nested
 * objects and arrays in all (past them, values are encoded without memory), so it stays bounded. The property test in event-line.test.ts holds it to the bytes `JSON.stringify` writes,
 * over random events with characters that need escaping, nested objects and arrays, and values JSON
 * leaves out or refuses.
 */
export class AuditLineEncoder {
  /** The places of the previous events' top-level members. */
  private readonly root = new Places({ left: MAX_NESTED });

  line(event: AuditEvent): string {
    const record = event as unknown as Readonly<Record<string, unknown>>;
    // JSON.stringify would serialize what toJSON answers instead: leave that to it.
    if (typeof record['toJSON'] === 'function') return `${JSON.stringify(event)}\n`;
    const json = objectJson(record, this.root, 0);
    return json === UNUSUAL ? `${JSON.stringify(event)}\n` : `${json}\n`;
  }
}

/**
 * What the encoder remembers of the previous events at one object or array: by place (index), the key
 * and its quoted form, the last string value and its quoted form, and the places of a nested value.
 * Each pair is written together, so a place is always consistent; a place is only a cache.
 */
class Places {
  /** The encoder's budget of nested Places, shared by all of them. */
  constructor(readonly budget: { left: number }) {}

  readonly keys: (string | undefined)[] = [];
  readonly keyJson: string[] = [];
  readonly strings: (string | undefined)[] = [];
  readonly stringJson: string[] = [];
  readonly nested: (Places | undefined)[] = [];
}

/** Places remembered per object or array; later members are encoded without memory. */
const MAX_PLACES = 32;
/** Deeper than this (an audit event nests four levels), the event goes to JSON.stringify. */
const MAX_DEPTH = 16;
/**
 * Nested objects and arrays remembered per encoder, over all events (an event holds a dozen; the places
 * of events of other shapes add up, so they are counted).
 */
const MAX_NESTED = 1024;

/** What a value the encoder does not handle itself answers: the event goes to JSON.stringify whole. */
const UNUSUAL = Symbol('unusual');

function objectJson(
  record: Readonly<Record<string, unknown>>,
  places: Places | undefined,
  depth: number,
): string | typeof UNUSUAL {
  const keys = Object.keys(record);
  let out = '';
  let any = false;
  for (let i = 0; i < keys.length; i++) {
    // INVARIANT: i < keys.length.
    const key = keys[i] as string;
    const json = valueJson(record[key], places, i, depth);
    if (json === UNUSUAL) return UNUSUAL;
    // undefined, a function or a symbol: JSON.stringify leaves the member out.
    if (json === undefined) continue;
    const member = `${keyJsonAt(key, places, i)}${json}`;
    out = any ? `${out},${member}` : member;
    any = true;
  }
  return `{${out}}`;
}

function arrayJson(
  list: readonly unknown[],
  places: Places | undefined,
  depth: number,
): string | typeof UNUSUAL {
  let out = '';
  for (let i = 0; i < list.length; i++) {
    const json = valueJson(list[i], places, i, depth);
    if (json === UNUSUAL) return UNUSUAL;
    // In an array, what an object leaves out is written `null`.
    const element = json ?? 'null';
    out = i === 0 ? element : `${out},${element}`;
  }
  return `[${out}]`;
}

/** `"key":`, from the place's memory when the key is the one seen there. */
function keyJsonAt(key: string, places: Places | undefined, i: number): string {
  if (places !== undefined && places.keys[i] === key) return places.keyJson[i] ?? `${quote(key)}:`;
  const json = `${quote(key)}:`;
  if (places !== undefined && i < MAX_PLACES) {
    places.keys[i] = key;
    places.keyJson[i] = json;
  }
  return json;
}

/**
 * The JSON of a value at place `i` of its parent: `undefined` for what JSON.stringify leaves out of an
 * object, UNUSUAL for what the encoder leaves to JSON.stringify.
 */
function valueJson(
  value: unknown,
  places: Places | undefined,
  i: number,
  depth: number,
): string | undefined | typeof UNUSUAL {
  switch (typeof value) {
    case 'string': {
      if (places !== undefined && places.strings[i] === value) return places.stringJson[i] ?? quote(value);
      const json = quote(value);
      if (places !== undefined && i < MAX_PLACES) {
        places.strings[i] = value;
        places.stringJson[i] = json;
      }
      return json;
    }
    case 'number':
      // SerializeJSONProperty (ECMA-262 §25.5.2.2): a finite number is its ToString, anything else null.
      return Number.isFinite(value) ? String(value) : 'null';
    case 'boolean':
      return value ? 'true' : 'false';
    case 'object':
      return value === null ? 'null' : nestedJson(value, places, i, depth);
    case 'bigint':
      // JSON.stringify throws for it: the fallback does so.
      return UNUSUAL;
    default:
      // undefined, a function, a symbol.
      return undefined;
  }
}

function nestedJson(
  value: object,
  places: Places | undefined,
  i: number,
  depth: number,
): string | typeof UNUSUAL {
  const known = INTERNED.get(value);
  if (known !== undefined) return known;
  if (depth >= MAX_DEPTH || typeof (value as { toJSON?: unknown }).toJSON === 'function') return UNUSUAL;
  let inner: Places | undefined;
  if (places !== undefined && i < MAX_PLACES) {
    inner = places.nested[i];
    if (inner === undefined && places.budget.left > 0) {
      places.budget.left--;
      inner = places.nested[i] = new Places(places.budget);
    }
  }
  const prototype: unknown = Object.getPrototypeOf(value);
  if (Array.isArray(value)) {
    return prototype === Array.prototype ? arrayJson(value as unknown[], inner, depth + 1) : UNUSUAL;
  }
  if (prototype !== Object.prototype && prototype !== null) return UNUSUAL;
  return objectJson(value as Readonly<Record<string, unknown>>, inner, depth + 1);
}

/**
 * Freezes `value` deeply and keeps its JSON, so that the encoder writes it without serializing it
 * again. For values that many events share (the same object, by identity). Returns `value`.
 */
export function internJson<T extends object>(value: T): T {
  if (INTERNED.has(value)) return value;
  deepFreeze(value);
  // INVARIANT: a frozen value's JSON cannot change, so the text made now stays right.
  INTERNED.set(value, JSON.stringify(value));
  return value;
}

/** Frozen values and their JSON; weak, so it holds nothing alive. */
const INTERNED = new WeakMap<object, string>();

/**
 * A JSON string literal, as JSON.stringify writes it. It escapes `"`, `\`, the controls below U+0020
 * and lone surrogates (ES2019 well-formed JSON.stringify); a string without any of them, and without
 * surrogates at all (a pair is left to JSON.stringify too), is written between quotes as it is.
 */
function quote(s: string): string {
  return NEEDS_ESCAPE.test(s) ? JSON.stringify(s) : `"${s}"`;
}

// eslint-disable-next-line no-control-regex -- the controls are exactly what JSON escapes
const NEEDS_ESCAPE = /["\\\u0000-\u001f\ud800-\udfff]/;

function deepFreeze(value: object): void {
  for (const v of Object.values(value)) if (typeof v === 'object' && v !== null) deepFreeze(v as object);
  Object.freeze(value);
}
