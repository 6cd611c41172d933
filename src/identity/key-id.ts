import { createHash, type KeyObject } from 'node:crypto';

/**
 * The `kid` kube-apiserver gives a signing key (`keyIDFromPublicKey` in `pkg/serviceaccount/jwt.go`):
 * base64url without padding of the SHA-256 of the DER-encoded PKIX SubjectPublicKeyInfo of the public
 * key (`x509.MarshalPKIXPublicKey`). Always 43 characters. Derived from the key alone, so every replica
 * and every restart names a key the same way, and a JWKS consumer can recompute it.
 */
export function keyIdFromPublicKey(publicKey: KeyObject): string {
  if (publicKey.type !== 'public')
    throw new TypeError(`keyIdFromPublicKey needs a public key, got a ${publicKey.type} key`);
  const der = publicKey.export({ type: 'spki', format: 'der' });
  return createHash('sha256').update(der).digest('base64url');
}
