/**
 * Declarative shapes for the awsQuery protocol: an action declares its input (and output) once, as AWS's
 * service models do, and gets from it the wire reader (`readQueryInput`), AWS-worded validation messages
 * and the XML writer (`encodeQueryResponse`). The constraint names follow the Smithy/botocore model traits
 * (`min`, `max`, `pattern`, `enum`, `required`, `sensitive`), so an action file copies them from the
 * model one to one:
 *
 * ```ts
 * const input = structure({
 *   RoleSessionName: string({ required: true, min: 2, max: 64, pattern: '[\\w+=,.@-]*' }),
 *   DurationSeconds: integer({ min: 900, max: 43200 }),
 *   Tags: list(structure({ Key: string({ required: true }), Value: string() }), { max: 50 }),
 * });
 * type Input = ValueOf<typeof input>; // { RoleSessionName: string; DurationSeconds?: number; Tags?: ... }
 * ```
 *
 * Builders throw `TypeError` for a bad declaration (an invalid pattern, min > max): that is a programming
 * error found when the action module loads, never a reaction to user input.
 */

interface Presence<R extends boolean> {
  /** AWS's `required` trait: absence is `Value null at '...' ... Member must not be null`. */
  readonly required: R;
}

export interface StringShape<R extends boolean = boolean, E extends string = string> extends Presence<R> {
  readonly kind: 'string';
  /** Length bounds in Unicode code points, as AWS counts them. */
  readonly min?: number;
  readonly max?: number;
  /** The model's pattern text, printed in the message as AWS prints it. */
  readonly pattern?: string;
  /** `pattern` compiled as a whole-value match (Java `matches()`), with the `u` flag (code points). */
  readonly regex?: RegExp;
  readonly enum?: readonly E[];
  /** AWS's `sensitive` trait: the value is never printed in a message (`Value at '...'`). */
  readonly sensitive: boolean;
}

export interface IntegerShape<R extends boolean = boolean> extends Presence<R> {
  readonly kind: 'integer';
  readonly min?: number;
  readonly max?: number;
}

export interface BooleanShape<R extends boolean = boolean> extends Presence<R> {
  readonly kind: 'boolean';
}

/** A point in time; read from and written as ISO 8601, held as milliseconds since the Unix epoch. */
export interface TimestampShape<R extends boolean = boolean> extends Presence<R> {
  readonly kind: 'timestamp';
}

export interface ListShape<M extends Shape = Shape, R extends boolean = boolean> extends Presence<R> {
  readonly kind: 'list';
  readonly member: M;
  /** Number of elements. */
  readonly min?: number;
  readonly max?: number;
  /** `member` unless the model renames it (`locationName`); EC2-style lists are `flattened`. */
  readonly memberName: string;
  readonly flattened: boolean;
  readonly sensitive: boolean;
}

export type ScalarShape = StringShape | IntegerShape | BooleanShape | TimestampShape;

export interface MapShape<
  V extends ScalarShape = ScalarShape,
  R extends boolean = boolean,
> extends Presence<R> {
  readonly kind: 'map';
  readonly key: StringShape;
  readonly value: V;
  readonly min?: number;
  readonly max?: number;
  readonly keyName: string;
  readonly valueName: string;
  readonly flattened: boolean;
  readonly sensitive: boolean;
}

export type Members = Readonly<Record<string, Shape>>;

export interface StructureShape<
  M extends Members = Members,
  R extends boolean = boolean,
> extends Presence<R> {
  readonly kind: 'structure';
  /** Wire member names (`RoleArn`), in the model's order: messages and XML follow it. */
  readonly members: M;
  readonly sensitive: boolean;
}

export type Shape =
  StringShape | IntegerShape | BooleanShape | TimestampShape | ListShape | MapShape | StructureShape;

/** The TypeScript value a shape reads into (and that the XML writer takes). */
export type ValueOf<S> = S extends { readonly kind: 'string'; readonly enum?: readonly (infer E)[] }
  ? E
  : S extends { readonly kind: 'integer' }
    ? number
    : S extends { readonly kind: 'boolean' }
      ? boolean
      : S extends { readonly kind: 'timestamp' }
        ? number
        : S extends { readonly kind: 'list'; readonly member: infer M }
          ? readonly ValueOf<M>[]
          : S extends { readonly kind: 'map'; readonly value: infer V }
            ? ReadonlyMap<string, ValueOf<V>>
            : S extends { readonly kind: 'structure'; readonly members: infer M }
              ? StructureValue<M>
              : never;

type Flatten<T> = { [K in keyof T]: T[K] } & {};

type RequiredKeys<M> = { [K in keyof M]: M[K] extends { readonly required: true } ? K : never }[keyof M];

export type StructureValue<M> = Flatten<
  { readonly [K in RequiredKeys<M>]: ValueOf<M[K]> } & {
    readonly [K in Exclude<keyof M, RequiredKeys<M>>]?: ValueOf<M[K]>;
  }
>;

type Req<O> = O extends { readonly required: true } ? true : false;

export interface StringOptions {
  readonly required?: boolean;
  readonly min?: number;
  readonly max?: number;
  readonly pattern?: string;
  readonly enum?: readonly string[];
  readonly sensitive?: boolean;
}

type EnumOf<O> = O extends { readonly enum: readonly (infer E extends string)[] } ? E : string;

export function string<const O extends StringOptions = { required: false }>(
  options?: O,
): StringShape<Req<O>, EnumOf<O>> {
  const o: StringOptions = options ?? {};
  checkBounds('string', o.min, o.max);
  const shape: StringShape = {
    kind: 'string',
    required: o.required === true,
    sensitive: o.sensitive === true,
    ...(o.min !== undefined ? { min: o.min } : {}),
    ...(o.max !== undefined ? { max: o.max } : {}),
    ...(o.pattern !== undefined ? { pattern: o.pattern, regex: compilePattern(o.pattern) } : {}),
    ...(o.enum !== undefined ? { enum: [...o.enum] } : {}),
  };
  // INVARIANT: `required` and `enum` are copied from `options`, whose types the parameters carry.
  return shape as StringShape<Req<O>, EnumOf<O>>;
}

export interface RangeOptions {
  readonly required?: boolean;
  readonly min?: number;
  readonly max?: number;
}

/** A 32-bit signed integer (Smithy `integer`, Java `int`). */
export function integer<const O extends RangeOptions = { required: false }>(
  options?: O,
): IntegerShape<Req<O>> {
  const o: RangeOptions = options ?? {};
  checkBounds('integer', o.min, o.max);
  return {
    kind: 'integer',
    required: (o.required === true) as Req<O>,
    ...(o.min !== undefined ? { min: o.min } : {}),
    ...(o.max !== undefined ? { max: o.max } : {}),
  };
}

export interface PresenceOptions {
  readonly required?: boolean;
}

export function boolean<const O extends PresenceOptions = { required: false }>(
  options?: O,
): BooleanShape<Req<O>> {
  return { kind: 'boolean', required: (options?.required === true) as Req<O> };
}

export function timestamp<const O extends PresenceOptions = { required: false }>(
  options?: O,
): TimestampShape<Req<O>> {
  return { kind: 'timestamp', required: (options?.required === true) as Req<O> };
}

export interface ListOptions {
  readonly required?: boolean;
  readonly min?: number;
  readonly max?: number;
  readonly memberName?: string;
  readonly flattened?: boolean;
}

export function list<M extends Shape, const O extends ListOptions = { required: false }>(
  member: M,
  options?: O,
): ListShape<M, Req<O>> {
  const o: ListOptions = options ?? {};
  checkBounds('list', o.min, o.max);
  const memberName = o.memberName ?? 'member';
  checkName(memberName);
  return {
    kind: 'list',
    member,
    required: (o.required === true) as Req<O>,
    memberName,
    flattened: o.flattened === true,
    sensitive: isSensitive(member),
    ...(o.min !== undefined ? { min: o.min } : {}),
    ...(o.max !== undefined ? { max: o.max } : {}),
  };
}

export interface MapOptions {
  readonly required?: boolean;
  readonly min?: number;
  readonly max?: number;
  readonly keyName?: string;
  readonly valueName?: string;
  readonly flattened?: boolean;
}

/** A map with string keys and scalar values: `Name.entry.N.key` / `Name.entry.N.value` on the wire. */
export function map<V extends ScalarShape, const O extends MapOptions = { required: false }>(
  key: StringShape,
  value: V,
  options?: O,
): MapShape<V, Req<O>> {
  const o: MapOptions = options ?? {};
  checkBounds('map', o.min, o.max);
  const keyName = o.keyName ?? 'key';
  const valueName = o.valueName ?? 'value';
  checkName(keyName);
  checkName(valueName);
  return {
    kind: 'map',
    key,
    value,
    required: (o.required === true) as Req<O>,
    keyName,
    valueName,
    flattened: o.flattened === true,
    sensitive: isSensitive(key) || isSensitive(value),
    ...(o.min !== undefined ? { min: o.min } : {}),
    ...(o.max !== undefined ? { max: o.max } : {}),
  };
}

export function structure<const M extends Members, const O extends PresenceOptions = { required: false }>(
  members: M,
  options?: O,
): StructureShape<M, Req<O>> {
  for (const name of Object.keys(members)) checkName(name);
  return {
    kind: 'structure',
    members,
    required: (options?.required === true) as Req<O>,
    sensitive: Object.values(members).some(isSensitive),
  };
}

/** Whether a value of this shape carries anything sensitive, so that it is never printed. */
export function isSensitive(shape: Shape): boolean {
  switch (shape.kind) {
    case 'string':
    case 'list':
    case 'map':
    case 'structure':
      return shape.sensitive;
    case 'integer':
    case 'boolean':
    case 'timestamp':
      return false;
  }
}

/** XML element names and query-key segments: what both an XML Name and a form key can carry safely. */
const NAME = /^[A-Za-z_][A-Za-z0-9_-]*$/;

function checkName(name: string): void {
  // `__proto__` would be a prototype, not a member, of the object a structure reads into.
  if (!NAME.test(name) || name === '__proto__') {
    throw new TypeError(`shape member name \`${name}\` is not a plain identifier`);
  }
}

function checkBounds(kind: string, min: number | undefined, max: number | undefined): void {
  for (const bound of [min, max]) {
    if (bound !== undefined && !Number.isSafeInteger(bound)) {
      throw new TypeError(`${kind} shape bound \`${bound}\` is not an integer`);
    }
  }
  if (min !== undefined && max !== undefined && min > max) {
    throw new TypeError(`${kind} shape has min ${min} greater than max ${max}`);
  }
}

/**
 * AWS model patterns are Java regular expressions matched against the whole value. The ones IAM and STS
 * use (character classes, `\w`, `\p{L}`, `\uXXXX`) mean the same in a JavaScript `u` regex, including
 * the quirk that `\u10000` is `\u1000` followed by `0` in both.
 */
function compilePattern(pattern: string): RegExp {
  try {
    return new RegExp(`^(?:${pattern})$`, 'u');
  } catch {
    throw new TypeError(`shape pattern \`${pattern}\` is not a valid regular expression`);
  }
}
