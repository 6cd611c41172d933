import { AwsError } from '../shared/aws-error.js';
import type { SigV4Failure } from '../sigv4/failures.js';
import { SIGNATURE_DOES_NOT_MATCH_MESSAGE } from '../sigv4/failures.js';

/**
 * The awsQuery (IAM, STS) wire error of a SigV4 failure, following the table in sigv4/failures.ts;
 * each message is the one sigv4/ chose (AWS's wording where known). Exhaustive: a new failure code
 * does not compile until it is mapped here.
 */
export function queryAuthError(failure: SigV4Failure): AwsError {
  switch (failure.code) {
    case 'MissingAuthentication':
      return new AwsError('MissingAuthenticationToken', 403, failure.message);
    case 'AmbiguousAuthentication':
      // ⚠ unconfirmed code for IAM/STS (sigv4/failures.ts).
      return new AwsError('InvalidParameterCombination', 400, failure.message);
    case 'UnsupportedAlgorithm':
    case 'IncompleteSignature':
    case 'MalformedAuthorization':
    case 'MissingDate':
    case 'MalformedDate':
    case 'InvalidExpires':
    case 'MissingContentSha256':
    case 'InvalidContentSha256':
      return new AwsError('IncompleteSignature', 400, failure.message);
    case 'MalformedCredential':
      return failure.reason === 'terminator'
        ? new AwsError('SignatureDoesNotMatch', 403, failure.message)
        : new AwsError('IncompleteSignature', 400, failure.message);
    case 'CredentialDateMismatch':
    case 'WrongRegion':
    case 'WrongService':
    case 'HeadersNotSigned':
    case 'RequestTimeTooSkewed':
    case 'RequestExpired':
    case 'RequestNotYetValid':
    case 'SignatureDoesNotMatch':
      return new AwsError('SignatureDoesNotMatch', 403, failure.message);
    case 'ContentSha256Mismatch':
      // The awsQuery services know no XAmzContentSHA256Mismatch: a body that differs from what was
      // signed is a signature that does not match.
      return new AwsError('SignatureDoesNotMatch', 403, SIGNATURE_DOES_NOT_MATCH_MESSAGE);
    case 'UnknownAccessKey':
      return new AwsError('InvalidClientTokenId', 403, failure.message);
  }
}

/** (⚠ unconfirmed text: irsa-wire.md §5.8) An `ASIA...` key whose session has expired. */
export const EXPIRED_TOKEN_MESSAGE = 'The security token included in the request is expired';
