import { AwsError } from '../shared/aws-error.js';
import { isoSecond } from '../shared/iso-second.js';
import type { Shape, StructureShape, ValueOf } from './shape.js';
import type { XmlNode } from './xml.js';
import { element, renderXml, textElement } from './xml.js';

/** The XML namespaces of the awsQuery services (botocore `service-2.json` `xmlNamespace`). */
export const STS_NAMESPACE = 'https://sts.amazonaws.com/doc/2011-06-15/';
export const IAM_NAMESPACE = 'https://iam.amazonaws.com/doc/2010-05-08/';

/** What the HTTP layer writes: status, headers as AWS names them, and the body. */
export interface WireResponse {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

export interface ErrorEnvelope {
  /** The service's XML namespace: `STS_NAMESPACE`, `IAM_NAMESPACE`. */
  readonly namespace: string;
  readonly requestId: string;
}

export interface QueryEnvelope extends ErrorEnvelope {
  /** The operation: `AssumeRoleWithWebIdentity` gives `<AssumeRoleWithWebIdentityResponse>`. */
  readonly action: string;
}

/**
 * The awsQuery success body (irsa-wire.md §5.5):
 *
 * ```xml
 * <{Action}Response xmlns="...">
 *   <{Action}Result>...</{Action}Result>
 *   <ResponseMetadata>
 *     <RequestId>...</RequestId>
 *   </ResponseMetadata>
 * </{Action}Response>
 * ```
 *
 * The `Result` wrapper is required: botocore looks the output up as `mapping["<Op>Result"]` and fails
 * without it, and the JS SDK reads it as `data["<Op>Result"]`. An operation without output (IAM
 * `DeleteRole`) has no `Result` element, as AWS sends it. The request id goes in the body (botocore) and
 * in `x-amzn-RequestId` (the JS SDK's `$metadata.requestId`).
 *
 * Throws `TypeError` when the value does not fit the shape (a non-integer for an integer, an invalid
 * date): the value comes from our code, so that is our bug, which the pipeline answers as
 * `InternalFailure`.
 */
export function encodeQueryResponse(envelope: QueryEnvelope): WireResponse;
export function encodeQueryResponse<S extends StructureShape>(
  envelope: QueryEnvelope,
  shape: S,
  value: ValueOf<S>,
): WireResponse;
export function encodeQueryResponse(
  envelope: QueryEnvelope,
  shape?: StructureShape,
  value?: unknown,
): WireResponse {
  const children: XmlNode[] = [];
  if (shape !== undefined) {
    children.push(element(`${envelope.action}Result`, structureChildren(shape, value)));
  }
  children.push(element('ResponseMetadata', [textElement('RequestId', envelope.requestId)]));
  const root = element(`${envelope.action}Response`, children, { xmlns: envelope.namespace });
  return { status: 200, headers: queryHeaders(envelope.requestId), body: renderXml(root) };
}

/**
 * AWS's description of `InternalFailure` in the Query APIs' common errors. ⚠ That the service sends this
 * text on the wire is unconfirmed; it says nothing about us, which is the point.
 */
export const INTERNAL_FAILURE_MESSAGE =
  'The request processing has failed because of an unknown error, exception or failure.';

/**
 * The awsQuery error body (irsa-wire.md §5.6, verbatim from a real STS response): `RequestId` is a
 * child of `ErrorResponse`, not of `Error`; `Type` is `Sender` for client faults and `Receiver` for
 * server faults. The error's extra fields follow `Message` inside `Error`.
 *
 * An `AwsError` is sent as it is; anything else is our bug and becomes `InternalFailure` 500 with a
 * generic message: no stack, no text from the thrown value (it could hold a token or a path). Total: it
 * never throws, whatever it is given.
 */
export function encodeQueryError(error: unknown, envelope: ErrorEnvelope): WireResponse {
  try {
    if (error instanceof AwsError && isWellFormed(error)) return errorResponse(error, envelope);
  } catch {
    // Falls through to InternalFailure: a malformed AwsError is our bug too.
  }
  return errorResponse(
    new AwsError('InternalFailure', 500, INTERNAL_FAILURE_MESSAGE, { fault: 'Receiver' }),
    envelope,
  );
}

/**
 * `2026-01-01T12:00:00Z`: UTC, whole seconds, `Z` — what IAM and STS send and what the strictest client
 * parser (the JS SDK's RFC 3339 `parseRfc3339DateTime`) accepts. Fractions are cut, never rounded, so an
 * `Expiration` is never later than the real one.
 */
export function formatTimestamp(ms: number): string {
  if (!Number.isFinite(ms)) throw new TypeError(`\`${ms}\` is not a timestamp`);
  // Floored to its second first: below 1970 `Date` would truncate a fraction toward zero instead.
  return isoSecond(Math.floor(ms / 1000) * 1000);
}

/**
 * `formatTimestamp` that remembers the last second it formatted and its text: the requests of one second
 * answer expirations of one second (issued now, for the same duration), so most calls format nothing
 * (510 -> 48 ns a call, session 6). A pure function's memo, held by whoever formats request after request
 * (a compiled response writer, query-template.ts), not by the module (DESIGN.md: no module-level state).
 */
export class TimestampFormatter {
  #second = Number.NaN;
  #text = '';

  format(ms: number): string {
    if (!Number.isFinite(ms)) throw new TypeError(`\`${ms}\` is not a timestamp`);
    const second = Math.floor(ms / 1000);
    if (second === this.#second) return this.#text;
    const text = formatTimestamp(ms);
    this.#second = second;
    this.#text = text;
    return text;
  }
}

/** A code that is an XML name and a 4xx/5xx status; anything else is sent as InternalFailure. */
function isWellFormed(error: AwsError): boolean {
  return (
    typeof error.code === 'string' &&
    FIELD_NAME.test(error.code) &&
    Number.isInteger(error.status) &&
    error.status >= 400 &&
    error.status <= 599
  );
}

function errorResponse(error: AwsError, envelope: ErrorEnvelope): WireResponse {
  // The envelope's types say strings; this function must not throw even when they lie.
  const requestId = typeof envelope.requestId === 'string' ? envelope.requestId : '';
  const namespace = typeof envelope.namespace === 'string' ? envelope.namespace : '';
  const fault = error.fault === 'Receiver' || error.fault === 'Sender' ? error.fault : 'Receiver';
  const fields: XmlNode[] = [];
  for (const [name, value] of Object.entries(error.fields)) {
    // Field names come from our catalogues; one that is no XML name is dropped rather than thrown on.
    if (RESERVED.has(name) || !FIELD_NAME.test(name) || typeof value !== 'string') continue;
    fields.push(textElement(name, value));
  }
  const root = element(
    'ErrorResponse',
    [
      element('Error', [
        textElement('Type', fault),
        textElement('Code', error.code),
        textElement('Message', String(error.message)),
        ...fields,
      ]),
      textElement('RequestId', requestId),
    ],
    { xmlns: namespace },
  );
  return { status: error.status, headers: queryHeaders(requestId), body: renderXml(root) };
}

const FIELD_NAME = /^[A-Za-z_][A-Za-z0-9_.-]*$/;
/** Members of `Error` that the envelope writes itself; a field cannot replace them. */
const RESERVED = new Set(['Type', 'Code', 'Message']);

/** As AWS sends them (irsa-wire.md §5.5, §5.6). */
export function queryHeaders(requestId: string): Record<string, string> {
  return { 'Content-Type': 'text/xml', 'x-amzn-RequestId': headerSafe(requestId) };
}

/**
 * Request ids are ours, but a header value never carries a control character: no header split. A value
 * with nothing to strip or replace (every request id the server makes) is returned after one scan: the
 * two replaces ran on every response, 1.4 µs of the GetCallerIdentity request path in the server's
 * profile. Exported for its test, which holds it to the two replaces over random strings.
 */
export function headerSafe(value: string): string {
  if (!HEADER_UNSAFE.test(value)) return value;
  // eslint-disable-next-line no-control-regex -- stripping control characters is the point
  return value.replace(/[\u0000-\u001f\u007f]/g, '').replace(/[^\u0020-\u00ff]/g, '?');
}

/** Any character either replace in headerSafe would change: the controls, DEL, and beyond U+00FF. */
const HEADER_UNSAFE = /[^\u0020-\u007e\u0080-\u00ff]/;

function structureChildren(shape: StructureShape, value: unknown): XmlNode[] {
  const record = isRecord(value) ? value : {};
  const out: XmlNode[] = [];
  for (const [name, member] of Object.entries(shape.members)) {
    const v = record[name];
    if (v === undefined || v === null) continue;
    out.push(...encodeMember(name, member, v));
  }
  return out;
}

/** One member as elements: one, or one per item for a flattened list or map. */
function encodeMember(name: string, shape: Shape, value: unknown): XmlNode[] {
  switch (shape.kind) {
    case 'structure':
      return [element(name, structureChildren(shape, value))];
    case 'list': {
      if (!Array.isArray(value)) throw new TypeError(`member \`${name}\` is not an array`);
      const items = (value as readonly unknown[]).flatMap((item) =>
        encodeMember(shape.flattened ? name : shape.memberName, shape.member, item),
      );
      return shape.flattened ? items : [element(name, items)];
    }
    case 'map': {
      if (!(value instanceof Map)) throw new TypeError(`member \`${name}\` is not a Map`);
      const entries = [...(value as Map<unknown, unknown>)].map(([k, v]) =>
        element(shape.flattened ? name : 'entry', [
          ...encodeMember(shape.keyName, shape.key, k),
          ...encodeMember(shape.valueName, shape.value, v),
        ]),
      );
      return shape.flattened ? entries : [element(name, entries)];
    }
    case 'string':
      if (typeof value !== 'string') throw new TypeError(`member \`${name}\` is not a string`);
      return [textElement(name, value)];
    case 'integer':
      if (typeof value !== 'number' || !Number.isSafeInteger(value)) {
        throw new TypeError(`member \`${name}\` is not an integer`);
      }
      return [textElement(name, String(value))];
    case 'boolean':
      if (typeof value !== 'boolean') throw new TypeError(`member \`${name}\` is not a boolean`);
      return [textElement(name, value ? 'true' : 'false')];
    case 'timestamp':
      if (typeof value !== 'number') throw new TypeError(`member \`${name}\` is not a timestamp`);
      return [textElement(name, formatTimestamp(value))];
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}
