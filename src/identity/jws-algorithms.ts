import type { KeyObject } from 'node:crypto';

/**
 * The JWS algorithms STS accepts for web identity tokens (botocore `sts/2011-06-15/service-2.json`, doc
 * of `WebIdentityToken`: RS256, RS384, RS512, ES256, ES384, ES512). Everything else is refused:
 * `none` (RFC 7518 §3.6, an unsecured JWS), HMAC (a shared secret cannot be published in a JWKS, and
 * accepting it invites the RSA-public-key-as-HMAC-secret confusion), PS*, EdDSA.
 */
export type JwsAlgorithm = 'RS256' | 'RS384' | 'RS512' | 'ES256' | 'ES384' | 'ES512';

/**
 * What kube-apiserver signs with (`algorithmFromPublicKey` in `pkg/serviceaccount/openidmetadata.go`):
 * RS256 for any RSA key, and the ES algorithm that matches the curve of an ECDSA key.
 */
export type SigningAlgorithm = 'RS256' | 'ES256' | 'ES384' | 'ES512';

export type EcCurve = 'P-256' | 'P-384' | 'P-521';

export interface AlgorithmSpec {
  readonly hash: 'sha256' | 'sha384' | 'sha512';
  readonly kty: 'RSA' | 'EC';
  /** For ES algorithms: the one curve RFC 7518 §3.4 pairs with it. */
  readonly crv?: EcCurve;
}

const SPECS: ReadonlyMap<string, AlgorithmSpec> = new Map<JwsAlgorithm, AlgorithmSpec>([
  ['RS256', { hash: 'sha256', kty: 'RSA' }],
  ['RS384', { hash: 'sha384', kty: 'RSA' }],
  ['RS512', { hash: 'sha512', kty: 'RSA' }],
  ['ES256', { hash: 'sha256', kty: 'EC', crv: 'P-256' }],
  ['ES384', { hash: 'sha384', kty: 'EC', crv: 'P-384' }],
  ['ES512', { hash: 'sha512', kty: 'EC', crv: 'P-521' }],
]);

export const JWS_ALGORITHMS: readonly JwsAlgorithm[] = ['RS256', 'RS384', 'RS512', 'ES256', 'ES384', 'ES512'];

export function isJwsAlgorithm(alg: unknown): alg is JwsAlgorithm {
  // A Map, not an object lookup: `alg` comes from the token, and "constructor" must not be found.
  return typeof alg === 'string' && SPECS.has(alg);
}

export function isSigningAlgorithm(alg: unknown): alg is SigningAlgorithm {
  return alg === 'RS256' || alg === 'ES256' || alg === 'ES384' || alg === 'ES512';
}

export function algorithmSpec(alg: JwsAlgorithm): AlgorithmSpec {
  const spec = SPECS.get(alg);
  if (!spec) throw new TypeError(`not a JWS algorithm: ${String(alg)}`);
  return spec;
}

/** RFC 7518 §3.3: "A key of size 2048 bits or larger MUST be used with these algorithms." */
export const MIN_RSA_MODULUS_BITS = 2048;

/** Byte length of one ECDSA coordinate (and of r and s) per curve: RFC 7518 §3.4 and §6.2.1.2. */
export const EC_COORDINATE_BYTES: Readonly<Record<EcCurve, number>> = {
  'P-256': 32,
  'P-384': 48,
  'P-521': 66,
};

const NODE_CURVES: ReadonlyMap<string, EcCurve> = new Map<string, EcCurve>([
  ['prime256v1', 'P-256'],
  ['secp384r1', 'P-384'],
  ['secp521r1', 'P-521'],
]);

/** The JOSE curve name of a node:crypto EC key, or `undefined` for any other key or curve. */
export function curveOf(key: KeyObject): EcCurve | undefined {
  if (key.asymmetricKeyType !== 'ec') return undefined;
  const name = key.asymmetricKeyDetails?.namedCurve;
  return name === undefined ? undefined : NODE_CURVES.get(name);
}

/**
 * Why `key` cannot be used with `alg`, or `undefined` when it can: RSA keys (not RSA-PSS, whose
 * parameters forbid PKCS#1 v1.5) of at least 2048 bits for RS*, the matching curve for ES*.
 */
export function keyProblem(key: KeyObject, alg: JwsAlgorithm): string | undefined {
  const spec = algorithmSpec(alg);
  if (spec.kty === 'RSA') {
    if (key.asymmetricKeyType !== 'rsa') return `${alg} needs an RSA key, found ${describeKey(key)}`;
    const bits = key.asymmetricKeyDetails?.modulusLength ?? 0;
    if (bits < MIN_RSA_MODULUS_BITS)
      return `${alg} needs an RSA key of at least 2048 bits, found ${bits} bits`;
    return undefined;
  }
  const crv = curveOf(key);
  if (crv !== spec.crv) return `${alg} needs an EC ${spec.crv} key, found ${describeKey(key)}`;
  return undefined;
}

export function describeKey(key: KeyObject): string {
  if (key.asymmetricKeyType === 'ec')
    return `an EC ${curveOf(key) ?? String(key.asymmetricKeyDetails?.namedCurve)} key`;
  if (key.asymmetricKeyType === 'rsa')
    return `an RSA key of ${key.asymmetricKeyDetails?.modulusLength ?? 0} bits`;
  return key.type === 'secret' ? 'a secret key' : `a ${String(key.asymmetricKeyType)} key`;
}
