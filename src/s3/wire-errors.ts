import { AwsError } from '../shared/aws-error.js';
import type { XmlFailure } from '../protocol/xml-parse.js';
import { STREAMING_STATUS, type StreamingFailure } from '../sigv4/streaming-failures.js';

/**
 * The `AwsError`s S3 answers for the typed failures of the pure wire modules: an aws-chunked body refused
 * by `AwsChunkedDecoder` / `readStreamingHeaders`, and a request body `parseXml` could not read. The code
 * and message are the failure's (each module says where its wording comes from); the status is S3's for
 * the code. Only the fields S3 returns go on the wire: `detail` and `reason` are for the log.
 */
export function streamingError(failure: StreamingFailure): AwsError {
  return new AwsError(failure.code, STREAMING_STATUS[failure.code], failure.message, {
    fields: failure.fields,
  });
}

/** MalformedXML (400), or MaxMessageLengthExceeded (400) for a body over the reader's size bound. */
export function xmlBodyError(failure: XmlFailure): AwsError {
  return new AwsError(failure.code, 400, failure.message);
}
