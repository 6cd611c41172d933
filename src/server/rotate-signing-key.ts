import type { KeyRing } from '../identity/key-ring.js';
import { generateSigningKey, type SigningKey } from '../identity/signing-key.js';
import { toSigningKeyRecord } from '../identity/signing-key-record.js';
import type { Clock } from '../shared/clock.js';
import type { StoreScope } from '../store/types.js';
import { deletePruned, type IssuerSigningAlgorithm } from './data-dir.js';

/** Another rotation changed the store's keys first; nothing was changed by this one. */
export class RotationConflictError extends Error {
  override readonly name = 'RotationConflictError';
  constructor() {
    super('another rotation changed the signing keys at the same time; nothing was changed, try again');
  }
}

export interface RotationResult {
  /** The new key, which signs from now on. */
  readonly active: SigningKey;
  /** The key that signed until now: still in the JWKS until `retiredPublishedUntil`. */
  readonly retired: SigningKey;
  /** When the retired key leaves the JWKS (milliseconds since the epoch). */
  readonly retiredPublishedUntil: number;
  /** Older retired keys whose tokens have all expired: gone from the ring and the store. */
  readonly pruned: readonly SigningKey[];
}

/**
 * Rotates the issuer's signing key (`openirsa rotate-signing-key`): generates a key of `alg`, makes it
 * active in `ring` and retires the old one (key-ring.ts), writes both to the store in one transaction,
 * then prunes retired keys past their publication window. Tokens signed before the rotation keep
 * verifying: the old public key stays in the JWKS until every token it signed has expired.
 *
 * When the store write fails the ring has already moved on; the caller must drop the ring and load it
 * again from the store (BuiltInIssuer does).
 */
export async function rotateSigningKey(
  store: StoreScope,
  ring: KeyRing,
  clock: Clock,
  alg: IssuerSigningAlgorithm,
): Promise<RotationResult> {
  const next = await generateSigningKey({ clock, alg });
  const { active, retired } = ring.rotate(next);
  // INVARIANT: `rotate` set `retiredAt` on the key it retired.
  const retiredAt = retired.retiredAt ?? clock.now();
  await store.transaction(async (tx) => {
    // Another server of the store (`up --workers`) may have rotated since this ring was read: the key
    // this rotation retires must be the store's one active key, or two keys would end up active (and
    // the ring of every server, and the next start, would refuse them).
    const activeNow = (await tx.signingKeys.list()).filter((k) => k.retiredAt === undefined);
    if (activeNow.length !== 1 || activeNow[0]?.kid !== retired.kid) throw new RotationConflictError();
    await tx.signingKeys.retire(retired.kid, retiredAt);
    await tx.signingKeys.create(toSigningKeyRecord(active));
  });
  const pruned = ring.prune();
  await deletePruned(store, pruned);
  return {
    active,
    retired,
    retiredPublishedUntil: ring.publishedUntil(retired) ?? retiredAt,
    pruned,
  };
}
