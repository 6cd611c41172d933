import { s3Error } from './errors.js';
import { header, type S3Request } from './operation.js';

/**
 * A body sent with `Transfer-Encoding: chunked` and no Content-Length, not aws-chunked framed (no
 * `STREAMING-*` payload hash): S3 answers 501 NotImplemented "A header you provided implies functionality
 * that is not implemented" with `<Header>Transfer-Encoding</Header>` (answered by AWS:
 * irods/irods_resource_plugin_s3#2301, chilts/awssum#30, aws/aws-sdk-js-v3#3403). Called where a plain
 * body needs its Content-Length, before MissingContentLength.
 */
export function refuseChunkedTransfer(req: S3Request): void {
  if (header(req, 'transfer-encoding') !== undefined && header(req, 'content-length') === undefined) {
    throw s3Error('NotImplemented', 'A header you provided implies functionality that is not implemented', {
      Header: 'Transfer-Encoding',
    });
  }
}
