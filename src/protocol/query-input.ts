import { AwsError } from '../shared/aws-error.js';
import type {
  ListShape,
  MapShape,
  ScalarShape,
  Shape,
  StringShape,
  StructureShape,
  ValueOf,
} from './shape.js';
import { isSensitive } from './shape.js';

/**
 * Reads awsQuery parameters (`Name=value`, `List.member.N`, `List.member.N.Field`, `Map.entry.N.key`,
 * `Struct.Field`) into the typed value a shape declares, and checks its constraints the way AWS's
 * front end does: every violation is collected, in the model's member order, and reported as one
 * `ValidationError` whose message AWS clients and users recognise word for word:
 *
 *   1 validation error detected: Value 'a:b' at 'roleSessionName' failed to satisfy constraint: Member
 *   must satisfy regular expression pattern: [\w+=,.@-]*
 *
 * Sources for the wordings (real responses quoted in issues): `Member must satisfy regular expression
 * pattern` and `Member must have length less than or equal to 64` (STS AssumeRole,
 * JuliaCloud/AWSCore.jl#38, zalando-incubator/kube-aws-iam-controller#16); `Member must have length
 * greater than or equal to 20`, several errors joined by `; ` under `4 validation errors detected:`, the
 * pattern before the length and the members in model order (STS AssumeRoleWithSAML,
 * mmmorris1975/aws-runas#80); `Value null at 'roleSessionName' ... Member must not be null` (STS,
 * aws/aws-sdk-cpp#1252); `Value '600' at 'durationSeconds' ... Member must have value greater than or
 * equal to 900` (STS GetSessionToken, goldstack/goldstack#425); list elements as `'tags.6.member.value'`
 * (IAM, SWO-GS/auto-tag#90); member names with only the first letter lowered (`sAMLOptions`) and a
 * sensitive value left out as `Value at '...'` (OpenSearch, ministryofjustice/cloud-platform-
 * infrastructure#4097).
 *
 * Never throws: every problem with the input is a violation.
 */

export interface Violation {
  /** Where, as AWS prints it: lowerCamel member names, `N.member` for list elements (1-based). */
  readonly path: string;
  /** The whole sentence: `Value 'x' at 'path' failed to satisfy constraint: Member must ...`. */
  readonly message: string;
}

export type InputResult<T> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly violations: readonly Violation[] };

/**
 * The highest list or map index read. Far above any AWS list limit (STS takes at most 50 tags, IAM at
 * most 100 client ids); an index beyond it is a violation, so that no key is silently dropped.
 */
export const MAX_INDEX = 1000;

export function readQueryInput<S extends StructureShape>(
  shape: S,
  params: ReadonlyMap<string, string>,
): InputResult<ValueOf<S>> {
  const reader = new Reader(params);
  const value = reader.structure(shape, '', '', [...params.keys()], true);
  if (reader.violations.length > 0) return { ok: false, violations: reader.violations };
  return { ok: true, value: value as ValueOf<S> };
}

/**
 * `1 validation error detected: ...` / `N validation errors detected: a; b`. No final period: none of
 * the single-error responses quoted above has one (⚠ unconfirmed for several errors).
 */
export function validationMessage(violations: readonly Violation[]): string {
  const n = violations.length;
  return `${n} validation error${n === 1 ? '' : 's'} detected: ${violations.map((v) => v.message).join('; ')}`;
}

/** The awsQuery `ValidationError` (400, Sender) for a failed read. */
export function validationError(violations: readonly Violation[]): AwsError {
  return new AwsError('ValidationError', 400, validationMessage(violations));
}

/**
 * AWS prints member names with only the first letter lowered: `RoleArn` → `roleArn`, `SAMLOptions` →
 * `sAMLOptions`.
 */
export function memberPath(name: string): string {
  return name.charAt(0).toLowerCase() + name.slice(1);
}

/**
 * What a read returns for "no such parameter", apart from an empty string, which is a present value.
 * Reads return `unknown`: the value, or this marker.
 */
const ABSENT = Symbol('absent');

const INTEGER = /^[+-]?[0-9]{1,10}$/;
const INDEX = /^[1-9][0-9]{0,3}$/;
/** ISO 8601 date-time as botocore (`2026-01-01T00:00:00Z`, `.ffffffZ`) and the JS SDK (`.000Z`) send it. */
const TIMESTAMP =
  /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(?:([Zz])|([+-])(\d{2}):?(\d{2}))$/;

class Reader {
  readonly violations: Violation[] = [];

  constructor(private readonly params: ReadonlyMap<string, string>) {}

  /**
   * `keys` holds every parameter name at or under `prefix` (all names at the root); each level narrows
   * it, so a read costs the number of parameters times the shape's depth.
   */
  read(shape: Shape, prefix: string, path: string, keys: readonly string[]): unknown {
    switch (shape.kind) {
      case 'structure':
        return this.structure(shape, prefix, path, keys, false);
      case 'list':
        return this.list(shape, prefix, path, keys);
      case 'map':
        return this.map(shape, prefix, path, keys);
      default:
        return this.scalar(shape, prefix, path);
    }
  }

  structure(
    shape: StructureShape,
    prefix: string,
    path: string,
    keys: readonly string[],
    root: boolean,
  ): unknown {
    // A structure is present when any parameter names one of its fields; its own bare key carries nothing.
    if (!root && !keys.some((k) => k.length > prefix.length)) return ABSENT;
    const out: Record<string, unknown> = {};
    for (const [name, member] of Object.entries(shape.members)) {
      const childPrefix = root ? name : `${prefix}.${name}`;
      const childPath = root ? memberPath(name) : `${path}.${memberPath(name)}`;
      const childKeys = under(keys, childPrefix);
      const value = this.read(member, childPrefix, childPath, childKeys);
      if (value === ABSENT) {
        if (member.required) this.violate(childPath, null, 'Member must not be null');
        continue;
      }
      out[name] = value;
    }
    return out;
  }

  list(shape: ListShape, prefix: string, path: string, keys: readonly string[]): unknown {
    const elementsPrefix = shape.flattened ? `${prefix}.` : `${prefix}.${shape.memberName}.`;
    const groups = this.indexed(prefix, elementsPrefix, path, keys);
    if (groups === undefined) {
      // Only the bare key, if anything: `PolicyArns=` is how the JS SDK sends an empty list.
      const bare = this.params.get(prefix);
      if (bare === undefined) return ABSENT;
      if (bare !== '') this.violate(path, bare, 'Member must be a list'); // ⚠ our wording
      return [];
    }
    const items: unknown[] = [];
    for (let i = 1; i < groups.length; i++) {
      const elementKeys = groups[i];
      const elementPath = `${path}.${i}.member`;
      if (elementKeys === undefined) {
        // A gap (`member.1`, `member.3`): a null element, reported rather than closed up or cut off.
        this.violate(elementPath, null, 'Member must not be null'); // ⚠ AWS's handling unconfirmed
        continue;
      }
      const value = this.read(shape.member, `${elementsPrefix}${i}`, elementPath, elementKeys);
      if (value === ABSENT) this.violate(elementPath, null, 'Member must not be null');
      else items.push(value);
    }
    this.checkCount(shape, items.length, path, () => displayList(shape, items));
    return items;
  }

  map(shape: MapShape, prefix: string, path: string, keys: readonly string[]): unknown {
    const entriesPrefix = shape.flattened ? `${prefix}.` : `${prefix}.entry.`;
    const groups = this.indexed(prefix, entriesPrefix, path, keys);
    if (groups === undefined) return this.params.has(prefix) ? new Map<string, unknown>() : ABSENT;
    const out = new Map<string, unknown>();
    for (let i = 1; i < groups.length; i++) {
      // ⚠ Path of a map entry: our choice, by analogy with `tags.1.member.key`.
      const entryPath = `${path}.${i}.entry`;
      const entryKeys = groups[i];
      if (entryKeys === undefined) {
        this.violate(entryPath, null, 'Member must not be null');
        continue;
      }
      const key = this.scalar(shape.key, `${entriesPrefix}${i}.${shape.keyName}`, `${entryPath}.key`);
      const value = this.scalar(shape.value, `${entriesPrefix}${i}.${shape.valueName}`, `${entryPath}.value`);
      if (key === ABSENT) this.violate(`${entryPath}.key`, null, 'Member must not be null');
      if (value === ABSENT) this.violate(`${entryPath}.value`, null, 'Member must not be null');
      if (typeof key !== 'string' || value === ABSENT) continue;
      if (out.has(key)) {
        // ⚠ our wording: AWS's answer to a repeated map key is unconfirmed.
        this.violate(`${entryPath}.key`, shape.key.sensitive ? undefined : key, 'Map keys must be unique');
        continue;
      }
      out.set(key, value);
    }
    this.checkCount(shape, out.size, path, () => displayMap(shape, out));
    return out;
  }

  /**
   * Groups the keys under `elementsPrefix` by their index: `groups[i]` holds the keys of element `i`
   * (1-based). `undefined` when no key is under the prefix. A key whose index is not 1 to MAX_INDEX in
   * plain decimal (`member.0`, `member.01`, `member.x`) is a violation: dropping it silently could drop
   * a session policy or a tag the caller meant to send.
   */
  private indexed(
    prefix: string,
    elementsPrefix: string,
    path: string,
    keys: readonly string[],
  ): (string[] | undefined)[] | undefined {
    const groups: (string[] | undefined)[] = [];
    let any = false;
    for (const key of keys) {
      if (!key.startsWith(elementsPrefix)) continue;
      any = true;
      const rest = key.slice(elementsPrefix.length);
      const dot = rest.indexOf('.');
      const index = dot < 0 ? rest : rest.slice(0, dot);
      if (!INDEX.test(index) || Number(index) > MAX_INDEX) {
        // ⚠ our wording: AWS's answer to a malformed index is unconfirmed.
        this.violate(
          path,
          key,
          `Member must be indexed from 1 to ${MAX_INDEX} (${prefix} has a malformed index)`,
        );
        continue;
      }
      const i = Number(index);
      (groups[i] ??= []).push(key);
    }
    return any ? groups : undefined;
  }

  private checkCount(
    shape: ListShape | MapShape,
    count: number,
    path: string,
    display: () => string | undefined,
  ): void {
    if (shape.min !== undefined && count < shape.min) {
      this.violate(path, display(), `Member must have length greater than or equal to ${shape.min}`);
    }
    if (shape.max !== undefined && count > shape.max) {
      this.violate(path, display(), `Member must have length less than or equal to ${shape.max}`);
    }
  }

  scalar(shape: ScalarShape, key: string, path: string): unknown {
    const text = this.params.get(key);
    if (text === undefined) return ABSENT;
    switch (shape.kind) {
      case 'string':
        this.checkString(shape, text, path);
        return text;
      case 'integer': {
        const n = INTEGER.test(text) ? Number(text) : NaN;
        if (!Number.isSafeInteger(n) || n < -2147483648 || n > 2147483647) {
          this.violate(path, text, 'Member must be an integer'); // ⚠ our wording
          return text;
        }
        if (shape.min !== undefined && n < shape.min) {
          this.violate(path, String(n), `Member must have value greater than or equal to ${shape.min}`);
        }
        if (shape.max !== undefined && n > shape.max) {
          this.violate(path, String(n), `Member must have value less than or equal to ${shape.max}`);
        }
        return n;
      }
      case 'boolean': {
        const lower = text.toLowerCase();
        if (lower === 'true') return true;
        if (lower === 'false') return false;
        this.violate(path, text, 'Member must be true or false'); // ⚠ our wording
        return text;
      }
      case 'timestamp': {
        const ms = parseTimestamp(text);
        if (ms === undefined) this.violate(path, text, 'Member must be an ISO 8601 date-time'); // ⚠ ours
        return ms ?? text;
      }
    }
  }

  /** In AWS's order as observed (aws-runas#80): pattern, then length; then the enum. */
  private checkString(shape: StringShape, text: string, path: string): void {
    const shown = shape.sensitive ? undefined : text;
    if (shape.regex !== undefined && !shape.regex.test(text)) {
      this.violate(path, shown, `Member must satisfy regular expression pattern: ${shape.pattern ?? ''}`);
    }
    if (!lengthWithin(shape, text.length)) {
      const length = codePoints(text);
      if (shape.min !== undefined && length < shape.min) {
        this.violate(path, shown, `Member must have length greater than or equal to ${shape.min}`);
      }
      if (shape.max !== undefined && length > shape.max) {
        this.violate(path, shown, `Member must have length less than or equal to ${shape.max}`);
      }
    }
    if (shape.enum !== undefined && !shape.enum.includes(text)) {
      // ⚠ Coral's usual wording; not seen in an IAM or STS response.
      this.violate(path, shown, `Member must satisfy enum value set: [${shape.enum.join(', ')}]`);
    }
  }

  /** `shown`: the text to quote; `null` for a missing value; `undefined` leaves the value out (sensitive). */
  private violate(path: string, shown: string | null | undefined, constraint: string): void {
    const value = shown === null ? 'Value null' : shown === undefined ? 'Value' : `Value '${shown}'`;
    this.violations.push({
      path,
      message: `${value} at '${path}' failed to satisfy constraint: ${constraint}`,
    });
  }
}

/** The names in `keys` that are `prefix` itself or below it (`prefix.`...). */
function under(keys: readonly string[], prefix: string): string[] {
  const out: string[] = [];
  for (const k of keys) {
    if (k.startsWith(prefix) && (k.length === prefix.length || k.charCodeAt(prefix.length) === 0x2e))
      out.push(k);
  }
  return out;
}

/**
 * Whether a text of `units` UTF-16 code units is within the shape's length bounds whatever it holds:
 * its code points number at least half its units (rounded up: two units make at most one code point)
 * and at most all of them. Only a text this cannot decide (a bound between the two) is counted, so a
 * 1 KB token under a 20000 limit is not walked code unit by code unit.
 */
function lengthWithin(shape: StringShape, units: number): boolean {
  return (
    (shape.min === undefined || Math.ceil(units / 2) >= shape.min) &&
    (shape.max === undefined || units <= shape.max)
  );
}

/** Length as AWS counts it: Unicode code points, so an emoji is 1, not 2. */
function codePoints(text: string): number {
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    // INVARIANT: a low surrogate that follows a high one completes a code point already counted.
    if (c >= 0xdc00 && c <= 0xdfff && i > 0) {
      const p = text.charCodeAt(i - 1);
      if (p >= 0xd800 && p <= 0xdbff) continue;
    }
    n++;
  }
  return n;
}

/** Milliseconds since the epoch, or `undefined` when the text is not a real ISO 8601 date-time. */
export function parseTimestamp(text: string): number | undefined {
  const m = TIMESTAMP.exec(text);
  if (m === null) return undefined;
  const [, y, mo, d, h, mi, s, frac, z, sign, oh, om] = m;
  const year = Number(y);
  const month = Number(mo);
  const day = Number(d);
  const hour = Number(h);
  const minute = Number(mi);
  const second = Number(s);
  if (month < 1 || month > 12 || day < 1 || hour > 23 || minute > 59 || second > 59) return undefined;
  // setUTCFullYear, unlike Date.UTC, takes years 0-99 as they are; 31 February rolls over into March,
  // so a real date is one whose day survives.
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day);
  date.setUTCHours(hour, minute, second, 0);
  if (date.getUTCDate() !== day) return undefined;
  const base = date.getTime();
  const ms = frac === undefined ? 0 : Math.floor(Number(`0.${frac}`) * 1000);
  let offset = 0;
  if (z === undefined) {
    const ohn = Number(oh);
    const omn = Number(om);
    if (ohn > 23 || omn > 59) return undefined;
    offset = (sign === '-' ? -1 : 1) * (ohn * 60 + omn) * 60_000;
  }
  return base + ms - offset;
}

/** Java-style rendering of a rejected list (`[a, b]`), or `undefined` when it holds sensitive values. */
function displayList(shape: ListShape, items: readonly unknown[]): string | undefined {
  if (shape.sensitive) return undefined;
  return `[${items.map((v) => display(shape.member, v)).join(', ')}]`;
}

function displayMap(shape: MapShape, entries: ReadonlyMap<string, unknown>): string | undefined {
  if (shape.sensitive) return undefined;
  return `{${[...entries].map(([k, v]) => `${k}=${display(shape.value, v)}`).join(', ')}}`;
}

/**
 * ⚠ How AWS renders a structure inside a rejected list is unconfirmed; `{Key=a, Value=b}` is the form
 * of a Java map.
 */
function display(shape: Shape, value: unknown): string {
  if (isSensitive(shape)) return '***';
  switch (shape.kind) {
    case 'list':
      return displayList(shape, Array.isArray(value) ? value : []) ?? '***';
    case 'map':
      return displayMap(shape, value instanceof Map ? (value as Map<string, unknown>) : new Map()) ?? '***';
    case 'structure': {
      const record = (value ?? {}) as Record<string, unknown>;
      const parts = Object.entries(shape.members)
        .filter(([name]) => record[name] !== undefined)
        .map(([name, member]) => `${name}=${display(member, record[name])}`);
      return `{${parts.join(', ')}}`;
    }
    default:
      return String(value);
  }
}
