import { AwsError } from '../shared/aws-error.js';
import { element, textElement, type XmlNode } from '../protocol/xml.js';
import { hostId, type S3Response } from './operation.js';
import { s3Xml } from './xml.js';

/** S3's own wording for an error of ours (S3 API Reference, error codes: InternalError). */
const INTERNAL_ERROR_MESSAGE = 'We encountered an internal error. Please try again.';

/**
 * The S3 wire form of any thrown error: `<Error>` with `Code`, `Message`, the error's extra members
 * (`BucketName`, `Key`, ...), `RequestId` and `HostId` (S3 API Reference, "Error responses"), and the
 * `x-amz-request-id` / `x-amz-id-2` headers. A HEAD answer has no body, as S3 sends none. Anything that
 * is not an `AwsError` is our bug: InternalError 500, its details never sent.
 */
export function encodeS3Error(error: unknown, options: { requestId: string; method: string }): S3Response {
  const e =
    error instanceof AwsError
      ? error
      : new AwsError('InternalError', 500, INTERNAL_ERROR_MESSAGE, { fault: 'Receiver' });
  const id2 = hostId(options.requestId);
  const headers: Record<string, string> = {
    'x-amz-request-id': options.requestId,
    'x-amz-id-2': id2,
  };
  if (options.method === 'HEAD') return { status: e.status, headers };
  const children: XmlNode[] = [textElement('Code', e.code), textElement('Message', e.message)];
  for (const [name, value] of Object.entries(e.fields)) {
    if (/^[A-Za-z][A-Za-z0-9-]*$/.test(name)) children.push(textElement(name, value));
  }
  children.push(textElement('RequestId', options.requestId), textElement('HostId', id2));
  return {
    status: e.status,
    headers: { ...headers, 'Content-Type': 'application/xml' },
    body: s3Xml(element('Error', children)),
  };
}
