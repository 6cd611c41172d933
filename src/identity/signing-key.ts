import { createPublicKey, generateKeyPair, type KeyObject } from 'node:crypto';
import { promisify } from 'node:util';
import type { Clock } from '../shared/clock.js';
import { curveOf, type EcCurve, type SigningAlgorithm } from './jws-algorithms.js';
import { keyIdFromPublicKey } from './key-id.js';

/**
 * A service-account signing key: what `--service-account-signing-key-file` holds for kube-apiserver,
 * plus when it was made and, once a newer key took over, when it stopped signing.
 */
export interface SigningKey {
  /** `keyIdFromPublicKey(publicKey)`: the `kid` of every token it signs and of its JWK. */
  readonly kid: string;
  readonly alg: SigningAlgorithm;
  readonly privateKey: KeyObject;
  readonly publicKey: KeyObject;
  /** Milliseconds since the Unix epoch. */
  readonly createdAt: number;
  /** When the key stopped signing (milliseconds since the epoch); absent while it is the active key. */
  readonly retiredAt?: number;
}

export interface GenerateSigningKeyOptions {
  readonly clock: Clock;
  /** RS256 (RSA) by default, as kube-apiserver is usually configured; ES256/384/512 use P-256/384/521. */
  readonly alg?: SigningAlgorithm;
  /** RSA modulus size; 2048 by default (RFC 7518 §3.3 minimum). */
  readonly modulusLength?: 2048 | 3072 | 4096;
}

const CURVE_FOR: Readonly<Record<Exclude<SigningAlgorithm, 'RS256'>, EcCurve>> = {
  ES256: 'P-256',
  ES384: 'P-384',
  ES512: 'P-521',
};

const generate = promisify(generateKeyPair);

/**
 * Generates a new signing key. Asynchronous because RSA key generation takes tens of milliseconds of
 * CPU: node runs it on the thread pool instead of blocking the event loop.
 */
export async function generateSigningKey(options: GenerateSigningKeyOptions): Promise<SigningKey> {
  const alg = options.alg ?? 'RS256';
  const modulusLength = options.modulusLength ?? 2048;
  if (![2048, 3072, 4096].includes(modulusLength)) {
    throw new TypeError(`modulusLength must be 2048, 3072 or 4096, got ${String(modulusLength)}`);
  }
  const createdAt = options.clock.now();
  const { privateKey } =
    alg === 'RS256'
      ? await generate('rsa', { modulusLength, publicExponent: 0x10001 })
      : await generate('ec', { namedCurve: CURVE_FOR[alg] });
  return signingKeyFromPrivateKey(privateKey, alg, createdAt);
}

/** The algorithm kube-apiserver signs with for this key (RS256 for RSA, by curve for EC), if any. */
export function signingAlgorithmFor(key: KeyObject): SigningAlgorithm | undefined {
  if (key.asymmetricKeyType === 'rsa') return 'RS256';
  switch (curveOf(key)) {
    case 'P-256':
      return 'ES256';
    case 'P-384':
      return 'ES384';
    case 'P-521':
      return 'ES512';
    default:
      return undefined;
  }
}

/** INVARIANT: callers have checked that `alg === signingAlgorithmFor(privateKey)`. */
export function signingKeyFromPrivateKey(
  privateKey: KeyObject,
  alg: SigningAlgorithm,
  createdAt: number,
  retiredAt?: number,
): SigningKey {
  const publicKey = createPublicKey(privateKey);
  return {
    kid: keyIdFromPublicKey(publicKey),
    alg,
    privateKey,
    publicKey,
    createdAt,
    ...(retiredAt !== undefined ? { retiredAt } : {}),
  };
}
