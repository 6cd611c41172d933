import type { EcCurve, SigningAlgorithm } from './jws-algorithms.js';
import { curveOf } from './jws-algorithms.js';
import type { SigningKey } from './signing-key.js';

/**
 * A public JWK exactly as kube-apiserver publishes it (`jwkFromPublicKey` in
 * `pkg/serviceaccount/openidmetadata.go`: `Algorithm`, `KeyID`, `Use: "sig"`), with go-jose's member order
 * (its `rawJSONWebKey` struct: use, kty, kid, crv, alg, ..., x, y, n, e). Property order here is that
 * order, so serialising with `JSON.stringify` or `goJson(…, { sortKeys: false })` gives kube's bytes.
 */
export type PublicJwk =
  | {
      readonly use: 'sig';
      readonly kty: 'RSA';
      readonly kid: string;
      readonly alg: SigningAlgorithm;
      readonly n: string;
      readonly e: string;
    }
  | {
      readonly use: 'sig';
      readonly kty: 'EC';
      readonly kid: string;
      readonly crv: EcCurve;
      readonly alg: SigningAlgorithm;
      readonly x: string;
      readonly y: string;
    };

/** A JSON Web Key Set (RFC 7517 §5). */
export type Jwks = {
  readonly keys: readonly PublicJwk[];
};

/** What publishing needs of a key: never the private half. */
export type PublishableKey = Pick<SigningKey, 'kid' | 'alg' | 'publicKey'>;

export function publicJwk(key: PublishableKey): PublicJwk {
  if (key.publicKey.type !== 'public') throw new TypeError('publicJwk publishes public keys only');
  const jwk = key.publicKey.export({ format: 'jwk' });
  if (key.publicKey.asymmetricKeyType === 'rsa' && typeof jwk.n === 'string' && typeof jwk.e === 'string') {
    return { use: 'sig', kty: 'RSA', kid: key.kid, alg: key.alg, n: jwk.n, e: jwk.e };
  }
  const crv = curveOf(key.publicKey);
  if (crv !== undefined && typeof jwk.x === 'string' && typeof jwk.y === 'string') {
    // node pads x and y to the full coordinate size, as RFC 7518 §6.2.1.2 requires and go-jose does.
    return { use: 'sig', kty: 'EC', kid: key.kid, crv, alg: key.alg, x: jwk.x, y: jwk.y };
  }
  throw new TypeError(`cannot publish a ${String(key.publicKey.asymmetricKeyType)} key as a signing JWK`);
}

/** The JWKS of `keys`, in the order given. */
export function jwksOf(keys: readonly PublishableKey[]): Jwks {
  return { keys: keys.map(publicJwk) };
}
