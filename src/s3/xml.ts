import { renderXml, type XmlNode } from '../protocol/xml.js';

/** The namespace of every S3 response body except `<Error>` (S3 API Reference, response examples). */
export const S3_NAMESPACE = 'http://s3.amazonaws.com/doc/2006-03-01/';

const DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>\n';

/** An S3 response body: the declaration S3 sends, then the tree (protocol/xml.ts escapes every value). */
export function s3Xml(root: XmlNode): string {
  return DECLARATION + renderXml(root);
}

/** A text element, or nothing when the value is absent. */
export function optionalText(name: string, value: string | undefined): XmlNode[] {
  return value === undefined ? [] : [{ name, text: value }];
}

/** S3's timestamps in bodies: ISO 8601 with milliseconds (`2026-12-04T05:20:55.000Z`). */
export function s3Timestamp(ms: number): string {
  return new Date(ms).toISOString();
}

/** S3's timestamps in headers: RFC 7231 IMF-fixdate (`Last-Modified: Fri, 04 Dec 2026 05:20:55 GMT`). */
export function httpDate(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toUTCString();
}
