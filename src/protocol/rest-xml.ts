import type { AwsError } from '../shared/aws-error.js';
import { escapeXmlAttribute, escapeXmlText, type XmlNode } from './xml.js';

/**
 * S3's XML conventions (restXml): responses start with the XML declaration and carry the 2006-03-01
 * namespace on their root element, on one line without indentation; timestamps are ISO 8601 with
 * milliseconds (`2009-10-12T17:50:30.000Z`, S3 API Reference, ListObjectsV2 `LastModified`). Errors are an
 * `<Error>` element without a namespace: Code, Message, the error's own fields, then RequestId and HostId
 * (S3 API Reference, "Error responses", REST error response example).
 */
export const S3_XMLNS = 'http://s3.amazonaws.com/doc/2006-03-01/';

export const XML_DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>\n';

/** `2009-10-12T17:50:30.000Z`: S3's timestamp in XML bodies, always with milliseconds, always UTC. */
export function formatS3Timestamp(epochMs: number): string {
  return new Date(epochMs).toISOString();
}

/** The root element of an S3 response, in S3's namespace. */
export function s3Root(name: string, children: readonly XmlNode[]): XmlNode {
  return { name, attributes: { xmlns: S3_XMLNS }, children };
}

/** Renders a response body as S3 does: the declaration, then the tree on one line. */
export function renderS3Xml(root: XmlNode): string {
  const out: string[] = [XML_DECLARATION];
  write(root, out);
  return out.join('');
}

export interface S3ErrorBody {
  readonly code: string;
  readonly message: string;
  /** In the order S3 puts them: `Key`, `BucketName`, `Resource`, `StringToSign`, `CanonicalRequest`, ... */
  readonly fields?: Readonly<Record<string, string>>;
  readonly requestId: string;
  readonly hostId: string;
}

/**
 * `<Error><Code>NoSuchKey</Code><Message>The specified key does not exist.</Message><Key>k</Key>
 * <RequestId>...</RequestId><HostId>...</HostId></Error>`, after the declaration. A field named like one of
 * the fixed members is left out, so that no field can overwrite the code or the request id.
 */
export function renderS3Error(error: S3ErrorBody): string {
  const children: XmlNode[] = [
    { name: 'Code', text: error.code },
    { name: 'Message', text: error.message },
  ];
  for (const [name, value] of Object.entries(error.fields ?? {})) {
    if (!FIXED.has(name)) children.push({ name, text: value });
  }
  children.push({ name: 'RequestId', text: error.requestId }, { name: 'HostId', text: error.hostId });
  return renderS3Xml({ name: 'Error', children });
}

/** The `<Error>` body of an `AwsError`, with its extra fields. */
export function renderAwsErrorAsS3(error: AwsError, requestId: string, hostId: string): string {
  return renderS3Error({ code: error.code, message: error.message, fields: error.fields, requestId, hostId });
}

const FIXED: ReadonlySet<string> = new Set(['Code', 'Message', 'RequestId', 'HostId']);

/** An XML Name as S3 element names are: ASCII, `:` for `xmlns:prefix`. */
const NAME = /^[A-Za-z_][A-Za-z0-9._:-]*$/;

function checkName(name: string): string {
  if (!NAME.test(name)) throw new TypeError(`\`${name}\` is not an XML name`);
  return name;
}

function write(node: XmlNode, out: string[]): void {
  const name = checkName(node.name);
  let open = `<${name}`;
  for (const [attribute, value] of Object.entries(node.attributes ?? {})) {
    open += ` ${checkName(attribute)}="${escapeXmlAttribute(value)}"`;
  }
  if ('text' in node) {
    out.push(`${open}>${escapeXmlText(node.text)}</${name}>`);
    return;
  }
  out.push(`${open}>`);
  for (const child of node.children) write(child, out);
  out.push(`</${name}>`);
}
