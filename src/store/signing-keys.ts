/**
 * A signing key of the token issuer (server-wide, not per account). Retired keys stay published in the
 * JWKS until the tokens they signed have expired; then the issuer deletes them.
 */
export interface SigningKey {
  /** The JWS `kid`. */
  readonly kid: string;
  /** The JWS `alg`, e.g. `RS256`. */
  readonly alg: string;
  /** PKCS#8 PEM. A secret: never in a message or a log. */
  readonly privateKeyPem: string;
  readonly createdAt: number;
  /** Set once the key no longer signs. */
  readonly retiredAt?: number;
}

/** The token issuer's signing keys. */
export interface SigningKeyStore {
  /** Fails `alreadyExists` (`signingKey`). */
  create(key: SigningKey): Promise<SigningKey>;
  get(kid: string): Promise<SigningKey | undefined>;
  /** Every key, retired ones included, oldest first (then by kid). */
  list(): Promise<readonly SigningKey[]>;
  /**
   * Marks the key retired at `retiredAt`. Retiring is a one-way event: a key already retired keeps its
   * first `retiredAt`. Fails `notFound`.
   */
  retire(kid: string, retiredAt: number): Promise<SigningKey>;
  /** Fails `notFound`. */
  delete(kid: string): Promise<void>;
}
