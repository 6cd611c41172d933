import { hasErrors, validatePolicy } from '../policy/validate.js';
import type { AwsError } from '../shared/aws-error.js';
import { s3Error } from './errors.js';
import type { S3OperationContext } from './operation.js';

/** S3's bucket-policy size limit (S3 User Guide, "Bucket policies": 20 KB). */
export const MAX_BUCKET_POLICY_BYTES = 20 * 1024;

/** (confirmed: S3 PutBucketPolicy's answer to a document that is not JSON, quoted in aws/aws-cli#2366) */
export const NOT_JSON_MESSAGE = "Policies must be valid JSON and the first byte must be '{'";

/**
 * Validates a bucket policy as a resource policy with the engine's validator. A document that is not
 * a JSON object is MalformedPolicy with S3's JSON sentence; the first other error answers MalformedPolicy
 * with the validator's AWS message when it has one (⚠ those sentences are IAM's, S3's own may differ),
 * else "Invalid policy syntax." (⚠).
 */
export function checkBucketPolicy(text: string): void {
  if (!isJsonObject(text)) throw s3Error('MalformedPolicy', NOT_JSON_MESSAGE);
  const findings = validatePolicy(text, 'resource');
  if (!hasErrors(findings)) return;
  const first = findings.find((f) => f.severity === 'error');
  throw s3Error('MalformedPolicy', first?.awsError?.message ?? 'Invalid policy syntax.');
}

function isJsonObject(text: string): boolean {
  if (!text.trimStart().startsWith('{')) return false;
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null && !Array.isArray(value);
  } catch {
    return false;
  }
}

/**
 * Only identities of the bucket owner's account may manage its policy: others that are allowed get
 * 405 MethodNotAllowed (S3 API Reference, PutBucketPolicy: "If you don't have PutBucketPolicy
 * permissions, Amazon S3 returns a 403 Access Denied error. If you have the correct permissions, but
 * you're not using an identity that belongs to the bucket owner's account, Amazon S3 returns a 405
 * Method Not Allowed error").
 */
export function requireOwnerAccount(ctx: S3OperationContext): void {
  const owner = ctx.bucket?.accountId;
  if (ctx.caller.kind === 'anonymous' || owner !== ctx.caller.accountId) throw methodNotAllowed();
}

/** (S3 API Reference, error codes: MethodNotAllowed) */
function methodNotAllowed(): AwsError {
  return s3Error('MethodNotAllowed', 'The specified method is not allowed against this resource.');
}
