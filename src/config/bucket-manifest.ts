import { isValidBucketName } from '../s3/bucket-name.js';
import { checkBucketPolicy } from '../s3/bucket-policy.js';
import { isPublicPolicy } from '../s3/public-policy.js';
import { AwsError } from '../shared/aws-error.js';
import type { PublicAccessBlock } from '../store/buckets.js';

/** ACK's `s3.services.k8s.aws/v1alpha1` `Bucket`, the part openirsa applies. */
export interface BucketManifest {
  readonly kind: 'Bucket';
  readonly name: string;
  /** The bucket policy as JSON text (given as a JSON string or a YAML mapping). */
  readonly policy?: string;
  readonly publicAccessBlock?: PublicAccessBlock;
}

/** What `readBucket` needs of the manifest reader (config/manifests.ts). */
export interface BucketReader {
  at(path: string, message: string, severity?: 'error' | 'warning'): void;
  policy(v: unknown, path: string, kind: 'resource', required: boolean): string | undefined;
}

/** ACK's field names of `spec.publicAccessBlock` (its Go fields, lower camel case), and ours. */
const PAB_FIELDS: readonly (readonly [string, keyof PublicAccessBlock])[] = [
  ['blockPublicACLs', 'blockPublicAcls'],
  ['ignorePublicACLs', 'ignorePublicAcls'],
  ['blockPublicPolicy', 'blockPublicPolicy'],
  ['restrictPublicBuckets', 'restrictPublicBuckets'],
];

/**
 * Reads a Bucket's spec: `name` (S3's naming rules), `policy` (checked as PutBucketPolicy checks it, and
 * refused when it is public under `publicAccessBlock.blockPublicPolicy`, as S3 would refuse it),
 * `publicAccessBlock` (the four booleans; absent ones false). `tagging` and other ACK fields are not
 * applied: a warning says so, never silence.
 */
export function readBucket(spec: Record<string, unknown>, r: BucketReader): BucketManifest | undefined {
  const name = spec.name;
  if (typeof name !== 'string' || !isValidBucketName(name)) {
    r.at(
      'spec.name',
      `must be a bucket name (3-63 lower-case letters, digits, dots, hyphens), found ${show(name)}`,
    );
    return undefined;
  }
  let ok = true;
  const policy = r.policy(spec.policy, 'spec.policy', 'resource', false);
  if (policy !== undefined) {
    try {
      checkBucketPolicy(policy);
    } catch (e) {
      if (!(e instanceof AwsError)) throw e;
      r.at('spec.policy', `is not a bucket policy S3 accepts: ${e.message}`);
      ok = false;
    }
  }
  const pab = readPublicAccessBlock(spec.publicAccessBlock, r);
  if (pab === 'invalid') ok = false;
  if (
    pab !== 'invalid' &&
    pab?.blockPublicPolicy === true &&
    policy !== undefined &&
    isPublicPolicy(policy)
  ) {
    r.at('spec.policy', 'is a public policy, which spec.publicAccessBlock.blockPublicPolicy blocks');
    ok = false;
  }
  for (const key of Object.keys(spec)) {
    if (!['name', 'policy', 'publicAccessBlock'].includes(key)) {
      r.at(`spec.${key}`, `\`${key}\` is not applied by openirsa; ignored`, 'warning');
    }
  }
  if (!ok || (policy === undefined && spec.policy !== undefined && spec.policy !== null)) return undefined;
  return {
    kind: 'Bucket',
    name,
    ...(policy !== undefined ? { policy } : {}),
    ...(pab !== undefined && pab !== 'invalid' ? { publicAccessBlock: pab } : {}),
  };
}

function readPublicAccessBlock(v: unknown, r: BucketReader): PublicAccessBlock | 'invalid' | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'object' || Array.isArray(v)) {
    r.at('spec.publicAccessBlock', `must be a mapping, found ${show(v)}`);
    return 'invalid';
  }
  const given = v as Record<string, unknown>;
  const out: Record<keyof PublicAccessBlock, boolean> = {
    blockPublicAcls: false,
    ignorePublicAcls: false,
    blockPublicPolicy: false,
    restrictPublicBuckets: false,
  };
  let ok = true;
  for (const [key, value] of Object.entries(given)) {
    const field = PAB_FIELDS.find(([name]) => name === key)?.[1];
    if (field === undefined) {
      r.at(
        `spec.publicAccessBlock.${key}`,
        `must be one of ${PAB_FIELDS.map(([n]) => `\`${n}\``).join(', ')}`,
      );
      ok = false;
    } else if (typeof value !== 'boolean') {
      r.at(`spec.publicAccessBlock.${key}`, `must be true or false, found ${show(value)}`);
      ok = false;
    } else out[field] = value;
  }
  return ok ? out : 'invalid';
}

function show(v: unknown): string {
  if (v === undefined) return 'nothing';
  if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') return `\`${String(v)}\``;
  return Array.isArray(v) ? 'a list' : v === null ? '`null`' : 'a mapping';
}
