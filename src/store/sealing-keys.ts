/**
 * A key that seals session credentials (AES-256-GCM, DESIGN.md "Session credentials"), server-wide.
 * Its id travels in the clear in each session token; retired keys still open the sessions they sealed
 * until those expire.
 */
export interface SealingKey {
  readonly id: string;
  /** The raw key bytes (32 for AES-256). A secret: never in a message or a log. */
  readonly key: Buffer;
  readonly createdAt: number;
  /** Set once the key no longer seals new sessions. */
  readonly retiredAt?: number;
}

/** The session-credential sealing keys. */
export interface SealingKeyStore {
  /** Fails `alreadyExists` (`sealingKey`). */
  create(key: SealingKey): Promise<SealingKey>;
  get(id: string): Promise<SealingKey | undefined>;
  /** Every key, retired ones included, oldest first (then by id). */
  list(): Promise<readonly SealingKey[]>;
  /** As `SigningKeyStore.retire`: the first `retiredAt` stays. Fails `notFound`. */
  retire(id: string, retiredAt: number): Promise<SealingKey>;
  /** Fails `notFound`. */
  delete(id: string): Promise<void>;
}
