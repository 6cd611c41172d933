import type { AuditEvent } from './event.js';

/**
 * Writes audit events as JSON lines: `${JSON.stringify(event)}\n`, the same bytes, built with less
 * work. The members are written in the order `JSON.stringify` writes them (the own enumerable keys, in
 * `Object.keys` order). Three shortcuts, each exact:
 *
 * - a member value given to `internJson` (a session caller's userIdentity, shared by every event of an
 *   opened session; the decision of an action that needs no authorization) is written from the JSON
 *   made once for it;
 * - a string member equal to the one at the same place in the previous event (the event source,
 *   action, region, address, user agent, account repeat from event to event) reuses its quoted form;
 * - another string is quoted without a call into JSON when it holds nothing to escape.
 *
 * Everything else goes through `JSON.stringify`, member by member. One encoder per sink: what it
 * remembers is one event's members, so it stays bounded. The property test in event-line.test.ts holds
 * it to the bytes `JSON.stringify` writes, over random events with characters that need escaping.
 */
export class AuditLineEncoder {
  private lastKeys: readonly string[] = [];
  private lastValues: unknown[] = [];
  /** `"key":` of each member of the previous event. */
  private lastKeyJson: string[] = [];
  /** `"key":value` of each member of the previous event; '' for a member left out. */
  private lastMembers: string[] = [];

  line(event: AuditEvent): string {
    const record = event as unknown as Readonly<Record<string, unknown>>;
    // JSON.stringify would serialize what toJSON answers instead: leave that to it.
    if (typeof record['toJSON'] === 'function') return `${JSON.stringify(event)}\n`;
    const keys = Object.keys(record);
    const values: unknown[] = [];
    const keyJson: string[] = [];
    const members: string[] = [];
    let out = '';
    for (let i = 0; i < keys.length; i++) {
      // INVARIANT: i < keys.length.
      const key = keys[i] as string;
      const value = record[key];
      const sameKey = key === this.lastKeys[i];
      const quotedKey = sameKey ? (this.lastKeyJson[i] ?? '') : `${quote(key)}:`;
      let member: string;
      if (sameKey && value === this.lastValues[i] && typeof value === 'string') {
        member = this.lastMembers[i] ?? '';
      } else {
        const json = memberJson(value);
        // undefined, a function or a symbol: JSON.stringify leaves the member out.
        member = json === undefined ? '' : `${quotedKey}${json}`;
      }
      values.push(value);
      keyJson.push(quotedKey);
      members.push(member);
      if (member !== '') out = out === '' ? member : `${out},${member}`;
    }
    this.lastKeys = keys;
    this.lastValues = values;
    this.lastKeyJson = keyJson;
    this.lastMembers = members;
    return `{${out}}\n`;
  }
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

function memberJson(value: unknown): string | undefined {
  if (typeof value === 'string') return quote(value);
  if (typeof value === 'object' && value !== null) {
    const known = INTERNED.get(value);
    if (known !== undefined) return known;
  }
  // lib.d.ts types it `string`, but it is undefined for undefined, functions and symbols.
  const json: string | undefined = JSON.stringify(value);
  return json;
}

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
