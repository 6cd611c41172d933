import type { StoreScope } from '../store/types.js';
import type { BucketManifest } from './bucket-manifest.js';

/** What applying one Bucket did, or why it could not. */
export type BucketApplied =
  | { readonly ok: true; readonly action: 'created' | 'updated' | 'unchanged' }
  | { readonly ok: false; readonly path: string; readonly message: string };

/**
 * Converges one bucket to its manifest inside the apply's transaction: created in the account when
 * missing, its policy and Block Public Access settings made exactly the manifest's (absent means none).
 * A bucket of that name owned by another account is an error: bucket names are global.
 */
export async function applyBucket(
  tx: StoreScope,
  m: BucketManifest,
  ctx: { readonly accountId: string; readonly region: string; readonly now: number },
): Promise<BucketApplied> {
  let existing = await tx.buckets.get(m.name);
  let action: 'created' | 'updated' | 'unchanged' = 'unchanged';
  if (existing === undefined) {
    existing = await tx.buckets.create({
      name: m.name,
      accountId: ctx.accountId,
      region: ctx.region,
      createdAt: ctx.now,
    });
    action = 'created';
  } else if (existing.accountId !== ctx.accountId) {
    return { ok: false, path: 'spec.name', message: `bucket \`${m.name}\` belongs to another account` };
  }
  if (existing.policy !== m.policy) {
    await tx.buckets.setPolicy(m.name, m.policy);
    if (action === 'unchanged') action = 'updated';
  }
  if (!samePab(existing.publicAccessBlock, m.publicAccessBlock)) {
    await tx.buckets.setPublicAccessBlock(m.name, m.publicAccessBlock);
    if (action === 'unchanged') action = 'updated';
  }
  return { ok: true, action };
}

function samePab(a: BucketManifest['publicAccessBlock'], b: BucketManifest['publicAccessBlock']): boolean {
  if (a === undefined || b === undefined) return a === b;
  return (
    a.blockPublicAcls === b.blockPublicAcls &&
    a.ignorePublicAcls === b.ignorePublicAcls &&
    a.blockPublicPolicy === b.blockPublicPolicy &&
    a.restrictPublicBuckets === b.restrictPublicBuckets
  );
}
