import type { SigningAlgorithm } from './jws-algorithms.js';
import type { SigningKey } from './signing-key.js';

/**
 * The persisted form of a signing key: plain JSON-safe data the store writes as one row and
 * `loadSigningKey` reads back. The private key is PKCS#8 PEM, the format `openssl genpkey` writes and
 * kube-apiserver's `--service-account-signing-key-file` reads.
 */
export interface SigningKeyRecord {
  readonly kid: string;
  readonly alg: SigningAlgorithm;
  readonly privateKeyPem: string;
  /** Milliseconds since the Unix epoch. */
  readonly createdAt: number;
  /** Milliseconds since the Unix epoch; absent for the active key. */
  readonly retiredAt?: number;
}

export function toSigningKeyRecord(key: SigningKey): SigningKeyRecord {
  const privateKeyPem = key.privateKey.export({ type: 'pkcs8', format: 'pem' });
  return {
    kid: key.kid,
    alg: key.alg,
    privateKeyPem: typeof privateKeyPem === 'string' ? privateKeyPem : privateKeyPem.toString('utf8'),
    createdAt: key.createdAt,
    ...(key.retiredAt !== undefined ? { retiredAt: key.retiredAt } : {}),
  };
}
