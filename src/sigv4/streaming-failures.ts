/**
 * Why an aws-chunked body (S3 API Reference, "Signature Calculations for the Authorization Header:
 * Transferring Payload in Multiple Chunks" and "... Including Trailing Headers") was refused. The decoder is
 * S3's alone, so a failure's `code` is the S3 wire code it becomes; `reason` says which check failed, for
 * logs, tests and `openirsa explain`. The S3 layer adds the HTTP status (`STREAMING_STATUS`) and wraps it in
 * an `AwsError`.
 *
 * | code                  | when                                                        | wording            |
 * |-----------------------|-------------------------------------------------------------|--------------------|
 * | SignatureDoesNotMatch | a chunk or trailer signature is not the one computed         | confirmed          |
 * | InvalidChunkSizeError | a chunk other than the last is smaller than 8192 bytes       | confirmed          |
 * | IncompleteBody        | the body ends early, framing that cannot be followed, or a   | ⚠ code and wording |
 * |                       | decoded size other than `x-amz-decoded-content-length`       |   (see below)      |
 * | MalformedTrailerError | a trailer that is not `name:value` lines, or not the headers | ⚠ wording          |
 * |                       | `x-amz-trailer` named                                        |                    |
 * | MissingContentLength  | no `x-amz-decoded-content-length`                            | ⚠                  |
 * | InvalidArgument       | an `x-amz-decoded-content-length` that is not a length       | ⚠ (our wording)    |
 * | InvalidRequest        | a trailer marker without `x-amz-trailer`, or the reverse     | ⚠ (our wording)    |
 *
 * INVARIANT: no message or field holds the signing key; the signatures quoted are the client's own and
 * the ones computed for a payload the client sent, which AWS quotes back too.
 */

/** The S3 wire codes an aws-chunked body can fail with. */
export type StreamingFailureCode =
  | 'SignatureDoesNotMatch'
  | 'InvalidChunkSizeError'
  | 'IncompleteBody'
  | 'MalformedTrailerError'
  | 'MissingContentLength'
  | 'InvalidArgument'
  | 'InvalidRequest';

/** The HTTP status S3 answers each code with (S3 API Reference, "Error responses": the code list). */
export const STREAMING_STATUS: Readonly<Record<StreamingFailureCode, number>> = {
  SignatureDoesNotMatch: 403,
  InvalidChunkSizeError: 400,
  IncompleteBody: 400,
  MalformedTrailerError: 400,
  MissingContentLength: 411,
  InvalidArgument: 400,
  InvalidRequest: 400,
};

export type StreamingFailureReason =
  | 'chunk-signature'
  | 'trailer-signature'
  | 'chunk-too-small'
  | 'chunk-too-large'
  | 'truncated'
  | 'size-line'
  | 'chunk-terminator'
  | 'trailing-data'
  | 'decoded-length'
  | 'trailer-line'
  | 'trailer-too-large'
  | 'trailer-names'
  | 'missing-trailer-signature'
  | 'missing-decoded-length'
  | 'invalid-decoded-length'
  | 'missing-trailer-header'
  | 'unexpected-trailer-header'
  | 'invalid-trailer-header';

export interface StreamingFailure {
  readonly code: StreamingFailureCode;
  readonly reason: StreamingFailureReason;
  readonly message: string;
  /**
   * Extra members S3 puts in its `<Error>` body: `Chunk` and `BadChunkSize` for InvalidChunkSizeError;
   * for SignatureDoesNotMatch the string to sign we computed, as S3 returns `StringToSign`.
   */
  readonly fields: Readonly<Record<string, string>>;
}

export interface StreamingFailed {
  readonly ok: false;
  readonly failure: StreamingFailure;
}

export function streamingFailed(
  code: StreamingFailureCode,
  reason: StreamingFailureReason,
  message: string,
  fields: Readonly<Record<string, string>> = {},
): StreamingFailed {
  return { ok: false, failure: { code, reason, message, fields } };
}

// --- messages -----------------------------------------------------------------------------------------

/** S3's own wording (confirmed: S3 answers it for every SigV4 mismatch; aws/aws-sdk-js#1876 and many more). */
export const S3_SIGNATURE_MESSAGE =
  'The request signature we calculated does not match the signature you provided. Check your key and signing method.';

/**
 * (confirmed: S3's XML quoted in versity/versitygw#1683, with `<Chunk>` and `<BadChunkSize>`; the AWS SDK for
 * JavaScript catches `InvalidChunkSizeError` from S3 for STREAMING-UNSIGNED-PAYLOAD-TRAILER bodies too, and
 * advises `requestStreamBufferSize` — @aws-sdk/checksums flexibleChecksumsMiddleware)
 */
export const CHUNK_TOO_SMALL_MESSAGE = 'Only the last chunk is allowed to have a size less than 8192 bytes';

/**
 * ⚠ S3's IncompleteBody wording from its error code list, where it speaks of Content-Length. S3's answer to
 * an aws-chunked body that stops early, cannot be parsed, or decodes to another size than declared is
 * unconfirmed: we answer IncompleteBody for all three, since in each the client did not send the body it
 * announced; `reason` keeps the detail.
 */
export const INCOMPLETE_BODY_MESSAGE =
  'You did not provide the number of bytes specified by the Content-Length HTTP header.';

/** ⚠ S3's MalformedTrailerError wording as its error code list gives it (unconfirmed against a live answer). */
export const MALFORMED_TRAILER_MESSAGE =
  'The request contained trailing data that was not well-formed or did not conform to our published schema.';

/** ⚠ S3's MissingContentLength wording; S3 answering it for a missing decoded length is unconfirmed. */
export const MISSING_DECODED_LENGTH_MESSAGE = 'You must provide the Content-Length HTTP header.';

/** ⚠ our wording: we know no S3 answer for an unparseable `x-amz-decoded-content-length`. */
export function invalidDecodedLengthMessage(value: string): string {
  return `x-amz-decoded-content-length must be a non-negative decimal integer, got \`${value.slice(0, 64)}\``;
}

/** ⚠ our wording: a chunk larger than this server buffers to verify its signature (S3 sets no such bound). */
export function chunkTooLargeMessage(size: number, max: number): string {
  return `a signed chunk of ${size} bytes is larger than the ${max} bytes this server verifies per chunk`;
}
