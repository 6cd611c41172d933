import {
  DEFAULT_XML_LIMITS,
  MALFORMED_XML_MESSAGE,
  parseXml,
  type XmlElement,
  type XmlFailure,
} from '../protocol/xml-parse.js';
import { Md5 } from './checksums.js';
import { s3Error } from './errors.js';
import type { S3Request } from './operation.js';
import { readSmallPayload } from './payload.js';
import { uploadIntegrity } from './upload-integrity.js';
import { xmlBodyError } from './wire-errors.js';

/** Options of `readXmlBody`. */
export interface XmlBodyOptions {
  /** The largest body read (at most the XML reader's 2 MiB). */
  readonly maxBytes?: number;
  /**
   * Whether `Content-MD5` or a flexible checksum must come with the body (DeleteObjects, PutObjectTagging,
   * PutPublicAccessBlock ... are "httpChecksumRequired" in S3's API model).
   */
  readonly integrityRequired?: boolean;
}

/**
 * Reads an XML request body whole (bounded), checks `Content-MD5` / the flexible checksum it came with,
 * and parses it; the root element must be `rootName`. Failures are S3's: MalformedXML (also for a wrong
 * root), MaxMessageLengthExceeded, BadDigest, InvalidRequest for a missing required digest.
 */
export async function readXmlBody(
  req: S3Request,
  rootName: string,
  options: XmlBodyOptions = {},
): Promise<XmlElement> {
  const payload = req.payload();
  const integrity = uploadIntegrity(req, payload);
  if (
    options.integrityRequired === true &&
    req.headers['content-md5'] === undefined &&
    !Object.keys(req.headers).some((h) => h.startsWith('x-amz-checksum-')) &&
    req.headers['x-amz-trailer'] === undefined
  ) {
    // ⚠ S3's classic wording for a Multi-Object Delete without Content-MD5 (quoted in SDK issues); since
    // 2024 a flexible checksum does as well.
    throw s3Error('InvalidRequest', 'Missing required header for this request: Content-MD5');
  }
  const maxBytes = Math.min(options.maxBytes ?? DEFAULT_XML_LIMITS.maxBytes, DEFAULT_XML_LIMITS.maxBytes);
  const bytes = await readSmallPayload(integrity.tapped(payload.stream), maxBytes, () =>
    s3Error('MalformedXML', 'Your request was too big.'),
  );
  const md5 = new Md5();
  md5.update(bytes);
  integrity.verify(md5.bytes());
  const parsed = parseXml(bytes);
  if (!parsed.ok) throw xmlBodyError(parsed.failure);
  if (parsed.root.localName !== rootName) throw xmlBodyError(malformed(`the root is not <${rootName}>`));
  return parsed.root;
}

/** MalformedXML for a body that parsed but does not follow the schema. */
export function malformed(detail: string): XmlFailure {
  return { code: 'MalformedXML', message: MALFORMED_XML_MESSAGE, detail, offset: 0 };
}
