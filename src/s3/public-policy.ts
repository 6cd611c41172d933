import type { Caller } from '../iam/caller.js';
import type { AwsError } from '../shared/aws-error.js';
import type { Bucket } from '../store/buckets.js';
import { s3Error } from './errors.js';

/**
 * Whether a bucket policy is "public" as S3 decides it (S3 User Guide, "Blocking public access to your
 * Amazon S3 storage", "The meaning of public"): a policy is non-public only when every Allow statement
 * grants to fixed principals, or is narrowed by a condition with fixed values on one of the keys S3
 * lists (aws:SourceIp with a CIDR of /8 or narrower for IPv4, /32 or narrower for IPv6; aws:SourceArn,
 * aws:SourceVpc, aws:SourceVpce, aws:SourceOwner, aws:SourceAccount, aws:PrincipalOrgID,
 * aws:PrincipalAccount, aws:userid, s3:x-amz-server-side-encryption-aws-kms-key-id, s3:DataAccessPointArn,
 * s3:DataAccessPointAccount). A principal with a wildcard (`*`, `{"AWS": "*"}`, `arn:aws:iam::*:root`)
 * is public unless such a condition narrows it. A text that is not a policy counts as public: fail closed.
 */
export function isPublicPolicy(text: string): boolean {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    return true;
  }
  if (!isRecord(doc)) return true;
  const statements = Array.isArray(doc.Statement) ? doc.Statement : [doc.Statement];
  return statements.some((s) => isRecord(s) && s.Effect === 'Allow' && isPublicStatement(s));
}

/** The keys whose fixed values make a statement non-public, lower-case. */
const NARROWING_KEYS: ReadonlySet<string> = new Set([
  'aws:sourceip',
  'aws:sourcearn',
  'aws:sourcevpc',
  'aws:sourcevpce',
  'aws:sourceowner',
  'aws:sourceaccount',
  'aws:principalorgid',
  'aws:principalaccount',
  'aws:userid',
  's3:x-amz-server-side-encryption-aws-kms-key-id',
  's3:dataaccesspointarn',
  's3:dataaccesspointaccount',
]);

/** Operators that test for equality with fixed values (the `...IfExists` forms do not narrow). */
const FIXED_OPERATORS: ReadonlySet<string> = new Set([
  'StringEquals',
  'StringEqualsIgnoreCase',
  'ArnEquals',
  'IpAddress',
  'ForAnyValue:StringEquals',
  'ForAllValues:StringEquals',
]);

function isPublicStatement(s: Record<string, unknown>): boolean {
  if (s.NotPrincipal !== undefined) return true;
  if (!hasWildcardPrincipal(s.Principal)) return false;
  return !isNarrowed(s.Condition);
}

function hasWildcardPrincipal(principal: unknown): boolean {
  if (principal === '*') return true;
  if (!isRecord(principal)) return false;
  return Object.values(principal).some((v) => strings(v).some((p) => p.includes('*')));
}

function isNarrowed(condition: unknown): boolean {
  if (!isRecord(condition)) return false;
  for (const [operator, block] of Object.entries(condition)) {
    if (!FIXED_OPERATORS.has(operator) || !isRecord(block)) continue;
    for (const [key, value] of Object.entries(block)) {
      const name = key.toLowerCase();
      if (!NARROWING_KEYS.has(name)) continue;
      const values = strings(value);
      if (values.length === 0) continue;
      if (name === 'aws:sourceip' ? values.every(isNarrowCidr) : values.every((v) => !/[*?]/.test(v))) {
        return true;
      }
    }
  }
  return false;
}

/** An IPv4 CIDR of /8 or narrower, an IPv6 one of /32 or narrower, or a single address. */
function isNarrowCidr(value: string): boolean {
  const slash = value.indexOf('/');
  if (slash === -1) return !value.includes('*');
  const bits = Number(value.slice(slash + 1));
  if (!Number.isInteger(bits)) return false;
  return value.includes(':') ? bits >= 32 : bits >= 8;
}

function strings(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * PutBucketPolicy's AccessDenied under BlockPublicPolicy. ⚠ S3's sentence as public reports quote it
 * ("... because public policies are blocked by the BlockPublicPolicy block public access setting.").
 */
export function publicPolicyBlocked(caller: Caller, bucket: string): AwsError {
  const who = caller.kind === 'anonymous' ? 'anonymous' : caller.arn;
  return s3Error(
    'AccessDenied',
    `User: ${who} is not authorized to perform: s3:PutBucketPolicy on resource: "arn:aws:s3:::${bucket}" because public policies are blocked by the BlockPublicPolicy block public access setting.`,
  );
}

/**
 * RestrictPublicBuckets: while the bucket's policy is public, it grants nothing to anonymous callers and
 * to other accounts — only the owner's own principals (and AWS services) keep its grants (S3 User Guide,
 * "Block public access settings": "public and cross-account access within any public bucket policy,
 * including non-public delegation to specific accounts, is blocked").
 */
export function isPolicyRestricted(bucket: Bucket, caller: Caller): boolean {
  if (bucket.publicAccessBlock?.restrictPublicBuckets !== true || bucket.policy === undefined) return false;
  if (caller.kind !== 'anonymous' && caller.accountId === bucket.accountId) return false;
  return isPublicPolicy(bucket.policy);
}
