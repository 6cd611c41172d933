import type { Shape, StructureShape } from './shape.js';
import { queryHeaders, TimestampFormatter, type QueryEnvelope, type WireResponse } from './query-response.js';
import { escapeXmlAttribute, escapeXmlText, xmlName } from './xml.js';

/** One action's success body writer: the request id and the action's output value in, the response out. */
export type QueryResponseWriter = (requestId: string, value: unknown) => WireResponse;

/**
 * `encodeQueryResponse` for one action, compiled once from its output shape: every tag, indentation and
 * the namespace attribute are fixed strings made here, so a call only checks and escapes the values and
 * joins the strings (no element tree, no name checks, no `Object.entries` per request). The bytes are
 * exactly those of `encodeQueryResponse` (query-template.test.ts compares them on random values), and a
 * value that does not fit the shape throws the same `TypeError`.
 *
 * Returns `undefined` for a shape holding a list or a map (their item layout is left to the generic
 * encoder, which the caller then uses): STS's fixed shapes (GetCallerIdentity, AssumeRoleWithWebIdentity)
 * have none.
 */
export function compileQueryResponse(
  envelope: Omit<QueryEnvelope, 'requestId'>,
  shape: StructureShape,
): QueryResponseWriter | undefined {
  const action = xmlName(envelope.action);
  // The writer's own memo of the last second formatted (one writer per action of one server).
  const timestamps = new TimestampFormatter();
  const result = memberWriter(`${action}Result`, shape, '  ', timestamps);
  if (result === undefined) return undefined;
  const head = `<${xmlName(`${action}Response`)} xmlns="${escapeXmlAttribute(envelope.namespace)}">\n`;
  const tail = `  </ResponseMetadata>\n</${action}Response>\n`;
  return (requestId, value) => ({
    status: 200,
    headers: queryHeaders(requestId),
    body: `${head}${result(value)}  <ResponseMetadata>\n    <RequestId>${escapeXmlText(requestId)}</RequestId>\n${tail}`,
  });
}

/** Writes one present member (never `undefined` or `null`) as its lines, indentation included. */
type MemberWriter = (value: unknown) => string;

function memberWriter(
  name: string,
  shape: Shape,
  indent: string,
  timestamps: TimestampFormatter,
): MemberWriter | undefined {
  const open = `${indent}<${xmlName(name)}>`;
  const close = `</${name}>\n`;
  switch (shape.kind) {
    case 'structure':
      return structureWriter(name, shape, indent, timestamps);
    case 'list':
    case 'map':
      return undefined;
    case 'string':
      return (value) => {
        if (typeof value !== 'string') throw new TypeError(`member \`${name}\` is not a string`);
        return `${open}${escapeXmlText(value)}${close}`;
      };
    case 'integer':
      return (value) => {
        if (typeof value !== 'number' || !Number.isSafeInteger(value)) {
          throw new TypeError(`member \`${name}\` is not an integer`);
        }
        return `${open}${String(value)}${close}`;
      };
    case 'boolean':
      return (value) => {
        if (typeof value !== 'boolean') throw new TypeError(`member \`${name}\` is not a boolean`);
        return `${open}${value ? 'true' : 'false'}${close}`;
      };
    case 'timestamp':
      return (value) => {
        if (typeof value !== 'number') throw new TypeError(`member \`${name}\` is not a timestamp`);
        return `${open}${escapeXmlText(timestamps.format(value))}${close}`;
      };
  }
}

/**
 * A structure member: its members in the shape's order, absent ones (`undefined`, `null`) left out, a
 * value that is no object read as one without members; with no member written, `<Name></Name>` on one
 * line, as the generic writer renders an element without children.
 */
function structureWriter(
  name: string,
  shape: StructureShape,
  indent: string,
  timestamps: TimestampFormatter,
): MemberWriter | undefined {
  const names: string[] = [];
  const writers: MemberWriter[] = [];
  for (const [member, memberShape] of Object.entries(shape.members)) {
    const writer = memberWriter(member, memberShape, `${indent}  `, timestamps);
    if (writer === undefined) return undefined;
    names.push(member);
    writers.push(writer);
  }
  const empty = `${indent}<${xmlName(name)}></${name}>\n`;
  const open = `${indent}<${name}>\n`;
  const close = `${indent}</${name}>\n`;
  const count = names.length;
  return (value) => {
    if (typeof value !== 'object' || value === null) return empty;
    const record = value as Readonly<Record<string, unknown>>;
    let body = '';
    for (let i = 0; i < count; i++) {
      // INVARIANT: i < count, the length of both arrays.
      const v = record[names[i] as string];
      if (v !== undefined && v !== null) body += (writers[i] as MemberWriter)(v);
    }
    return body === '' ? empty : `${open}${body}${close}`;
  };
}
