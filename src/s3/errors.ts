import { errorCatalogue, type ErrorFields } from '../shared/aws-error.js';

/**
 * S3's error codes with their HTTP status (S3 API Reference, "Error responses", "List of error codes").
 * Every code S3 operations here raise is listed; the compiler checks each use.
 */
export const s3Error = errorCatalogue({
  AccessControlListNotSupported: { status: 400 },
  AccessDenied: { status: 403 },
  AuthorizationHeaderMalformed: { status: 400 },
  AuthorizationQueryParametersError: { status: 400 },
  BadDigest: { status: 400 },
  BucketAlreadyExists: { status: 409 },
  BucketAlreadyOwnedByYou: { status: 409 },
  BucketNotEmpty: { status: 409 },
  ConditionalRequestConflict: { status: 409 },
  EntityTooLarge: { status: 400 },
  EntityTooSmall: { status: 400 },
  ExpiredToken: { status: 400 },
  IllegalLocationConstraintException: { status: 400 },
  IncompleteBody: { status: 400 },
  InvalidAccessKeyId: { status: 403 },
  InvalidArgument: { status: 400 },
  InvalidBucketAclWithObjectOwnership: { status: 400 },
  InvalidBucketName: { status: 400 },
  InvalidDigest: { status: 400 },
  InvalidLocationConstraint: { status: 400 },
  InvalidPart: { status: 400 },
  InvalidPartOrder: { status: 400 },
  InvalidRange: { status: 416 },
  InvalidRequest: { status: 400 },
  InvalidTag: { status: 400 },
  InvalidURI: { status: 400 },
  KeyTooLongError: { status: 400 },
  MalformedPolicy: { status: 400 },
  MalformedXML: { status: 400 },
  MethodNotAllowed: { status: 405 },
  MissingContentLength: { status: 411 },
  NoSuchBucket: { status: 404 },
  NoSuchBucketPolicy: { status: 404 },
  NoSuchKey: { status: 404 },
  NoSuchPublicAccessBlockConfiguration: { status: 404 },
  NoSuchUpload: { status: 404 },
  NotImplemented: { status: 501 },
  OwnershipControlsNotFoundError: { status: 404 },
  MetadataTooLarge: { status: 400 },
  PreconditionFailed: { status: 412 },
  RequestTimeTooSkewed: { status: 403 },
  SignatureDoesNotMatch: { status: 403 },
  XAmzContentSHA256Mismatch: { status: 400 },
});

// Messages: S3's wording as its error-code list and real answers quoted in public issues give it. Where
// no source confirms the exact text it is marked ⚠ and is our best knowledge of S3's sentence.

/** (S3 API Reference, error codes: AccessDenied "Access Denied") */
export const ACCESS_DENIED_MESSAGE = 'Access Denied';

/** (S3 API Reference, error codes: NoSuchBucket) */
export function noSuchBucket(bucket: string) {
  return s3Error('NoSuchBucket', 'The specified bucket does not exist', { BucketName: bucket });
}

/** (S3 API Reference, error codes: NoSuchKey) */
export function noSuchKey(key: string) {
  return s3Error('NoSuchKey', 'The specified key does not exist.', { Key: key });
}

/** The Access Denied of a denied authorization; `fields` for the resource the client named. */
export function accessDenied(fields?: ErrorFields) {
  return s3Error('AccessDenied', ACCESS_DENIED_MESSAGE, fields);
}

/** (S3 API Reference, error codes: InvalidBucketName) */
export function invalidBucketName(bucket: string) {
  return s3Error('InvalidBucketName', 'The specified bucket is not valid.', { BucketName: bucket });
}

/** (S3 API Reference, error codes: KeyTooLongError) */
export const KEY_TOO_LONG_MESSAGE = 'Your key is too long';

/** ⚠ S3's InvalidURI wording as quoted in public issues ("Couldn't parse the specified URI."). */
export const INVALID_URI_MESSAGE = "Couldn't parse the specified URI.";
