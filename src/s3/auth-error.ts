import type { AwsError } from '../shared/aws-error.js';
import type { SigV4Failure } from '../sigv4/failures.js';
import { formatAmzDateTime } from '../sigv4/amz-date.js';
import { s3Error } from './errors.js';

/** (S3 API Reference, error codes: SignatureDoesNotMatch) S3's sentence, shorter than STS's. */
export const S3_SIGNATURE_MESSAGE =
  'The request signature we calculated does not match the signature you provided. Check your key and signing method.';

/** (S3 API Reference, error codes: InvalidAccessKeyId) */
export const INVALID_ACCESS_KEY_MESSAGE = 'The AWS Access Key Id you provided does not exist in our records.';

/** (S3 API Reference, error codes: RequestTimeTooSkewed) */
export const SKEWED_MESSAGE = 'The difference between the request time and the current time is too large.';

/** (S3 API Reference, error codes: ExpiredToken) */
export const S3_EXPIRED_TOKEN_MESSAGE = 'The provided token has expired.';

/**
 * The S3 wire error of a SigV4 failure, following the S3 column of the table in sigv4/failures.ts.
 * Exhaustive: a new failure code does not compile until it is mapped here. The fields are the members S3
 * puts beside `Code` and `Message`; none holds a secret (the canonical request quotes back only what the
 * client itself signed, to that client).
 */
export function s3AuthError(failure: SigV4Failure): AwsError {
  const query = failure.authType === 'REST-QUERY-STRING';
  const malformed = (message: string, fields?: Record<string, string>) =>
    query
      ? s3Error('AuthorizationQueryParametersError', message, fields)
      : s3Error('AuthorizationHeaderMalformed', message, fields);
  switch (failure.code) {
    case 'MissingAuthentication':
      // INVARIANT: the S3 route treats a request without authentication as anonymous and never asks.
      return s3Error('AccessDenied', 'Access Denied');
    case 'AmbiguousAuthentication':
      return s3Error('InvalidArgument', failure.message);
    case 'UnsupportedAlgorithm':
      return query
        ? s3Error('AuthorizationQueryParametersError', failure.message)
        : s3Error('InvalidArgument', 'Unsupported Authorization Type', { ArgumentName: 'Authorization' });
    case 'IncompleteSignature':
    case 'MalformedAuthorization':
    case 'MalformedCredential':
    case 'CredentialDateMismatch':
    case 'WrongService':
    case 'InvalidExpires':
      return malformed(failure.message);
    case 'WrongRegion':
      // (confirmed wording: "the region 'us-east-1' is wrong; expecting 'eu-west-1'", aws/aws-sdk-js#1470)
      return malformed(
        `The authorization header is malformed; the region '${failure.region}' is wrong; expecting '${failure.expected}'`,
        { Region: failure.expected },
      );
    case 'MissingDate':
      return s3Error('AccessDenied', failure.message);
    case 'MalformedDate':
      return query ? malformed(failure.message) : s3Error('AccessDenied', failure.message);
    case 'HeadersNotSigned':
      return s3Error('AccessDenied', failure.message, { HeadersNotSigned: failure.headers.join(', ') });
    case 'MissingContentSha256':
      return s3Error('InvalidRequest', failure.message);
    case 'InvalidContentSha256':
      return s3Error('InvalidArgument', failure.message, {
        ArgumentName: 'x-amz-content-sha256',
        ArgumentValue: failure.value.slice(0, 128),
      });
    case 'UnknownAccessKey':
      return s3Error('InvalidAccessKeyId', INVALID_ACCESS_KEY_MESSAGE, {
        AWSAccessKeyId: failure.accessKeyId,
      });
    case 'RequestTimeTooSkewed':
      return s3Error('RequestTimeTooSkewed', SKEWED_MESSAGE, {
        RequestTime: formatAmzDateTime(failure.requestTime),
        ServerTime: new Date(failure.serverTime).toISOString(),
        MaxAllowedSkewMilliseconds: String(failure.maxSkewMs),
      });
    case 'RequestExpired':
      return s3Error('AccessDenied', failure.message, {
        'X-Amz-Expires': String(failure.expiresSeconds),
        Expires: new Date(failure.expiresAt).toISOString(),
        ServerTime: new Date(failure.serverTime).toISOString(),
      });
    case 'RequestNotYetValid':
      return s3Error('AccessDenied', failure.message, {
        'X-Amz-Date': formatAmzDateTime(failure.requestTime),
        Expires: new Date(failure.expiresAt).toISOString(),
        ServerTime: new Date(failure.serverTime).toISOString(),
      });
    case 'SignatureDoesNotMatch':
      return s3Error('SignatureDoesNotMatch', S3_SIGNATURE_MESSAGE, {
        AWSAccessKeyId: failure.accessKeyId,
        StringToSign: failure.stringToSign,
        SignatureProvided: failure.signatureProvided,
        CanonicalRequest: failure.canonicalRequest,
      });
    case 'ContentSha256Mismatch':
      return contentSha256Mismatch(failure.provided, failure.computed);
  }
}

/** ⚠ wording unconfirmed (sigv4/failures.ts); the two digests are S3's extra members. */
export function contentSha256Mismatch(provided: string, computed: string): AwsError {
  return s3Error(
    'XAmzContentSHA256Mismatch',
    "The provided 'x-amz-content-sha256' header does not match what was computed.",
    {
      ClientComputedContentSHA256: provided,
      S3ComputedContentSHA256: computed,
    },
  );
}
