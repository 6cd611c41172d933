import { errorCatalogue, type AwsError } from '../shared/aws-error.js';
import { hasErrors, validatePolicy } from '../policy/validate.js';
import type { PolicyKind } from '../policy/types.js';

/** IAM's error codes with their HTTP statuses (IAM API Reference, each action's "Errors"). */
export const iamError = errorCatalogue({
  EntityAlreadyExists: { status: 409 },
  NoSuchEntity: { status: 404 },
  DeleteConflict: { status: 409 },
  MalformedPolicyDocument: { status: 400 },
  LimitExceeded: { status: 409 },
  InvalidInput: { status: 400 },
});

/**
 * Validates a policy document as IAM does on write: the first error finding answers its `awsError`
 * (`MalformedPolicyDocument` 400 or `LimitExceeded` 409) with AWS's message (policy/messages.ts).
 */
export function checkPolicyDocument(document: string, kind: PolicyKind): void {
  const findings = validatePolicy(document, kind);
  if (!hasErrors(findings)) return;
  const first = findings.find((f) => f.severity === 'error');
  const aws = first?.awsError;
  if (aws !== undefined && (aws.code === 'MalformedPolicyDocument' || aws.code === 'LimitExceeded')) {
    throw iamError(aws.code, aws.message);
  }
  throw iamError('MalformedPolicyDocument', 'Syntax errors in policy.');
}

/** `NoSuchEntity`: "The role with name X cannot be found." (IAM GetRole, confirmed wording). */
export function noSuchRole(name: string): AwsError {
  return iamError('NoSuchEntity', `The role with name ${name} cannot be found.`);
}

/** `NoSuchEntity` for a managed policy. ⚠ wording unconfirmed beyond public reports. */
export function noSuchPolicy(arn: string): AwsError {
  return iamError('NoSuchEntity', `Policy ${arn} does not exist or is not attachable.`);
}

/**
 * `NoSuchEntity` for a permissions boundary that is not a managed policy of the account.
 * ⚠ wording from public reports of CreateRole/PutRolePermissionsBoundary answers ("Scope ARN: ...").
 */
export function noSuchBoundary(arn: string): AwsError {
  return iamError('NoSuchEntity', `Scope ARN: ${arn} does not exist or is not attachable.`);
}
