import { createPublicKey, KeyObject, type JsonWebKey } from 'node:crypto';
import { decodeBase64url } from './base64url.js';
import {
  EC_COORDINATE_BYTES,
  MIN_RSA_MODULUS_BITS,
  algorithmSpec,
  isJwsAlgorithm,
  type EcCurve,
  type JwsAlgorithm,
} from './jws-algorithms.js';
import type { VerificationKey } from './verify-jwt.js';

export type ImportJwkFailureCode =
  | 'malformedJwk'
  | 'unsupportedKeyType'
  | 'privateKeyMaterial'
  | 'unsupportedAlgorithm'
  | 'wrongUse'
  | 'weakKey'
  | 'invalidKey';

export type ImportedJwk = VerificationKey & { readonly kid?: string };

export type ImportJwkResult =
  | ({ readonly ok: true } & ImportedJwk)
  | { readonly ok: false; readonly code: ImportJwkFailureCode; readonly message: string };

/** RFC 7518 §6.3.2 and §6.2.2: members that only a private key has. A JWKS must never carry them. */
const PRIVATE_MEMBERS = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'oth', 'k'];
const CURVES: ReadonlySet<string> = new Set<EcCurve>(['P-256', 'P-384', 'P-521']);

/**
 * Imports one public JWK from an external issuer's JWKS as a verification key, with the checks a
 * relying party owes (RFC 7517, RFC 7518 §6): `kty` RSA or EC only (never `oct`: no shared secrets);
 * no private members; `use`, if present, is `sig` (§4.2); `key_ops`, if present, includes `verify`
 * (§4.3); `alg`, if present, is an algorithm we verify and fits the key; RSA moduli of at least 2048
 * bits (RFC 7518 §3.3); EC coordinates of exactly the curve's size (§6.2.1.2) forming a point on the
 * curve. Members are read strictly (base64url without padding) and never echoed. Never throws.
 */
export function importPublicJwk(jwk: unknown): ImportJwkResult {
  if (jwk === null || typeof jwk !== 'object' || Array.isArray(jwk))
    return fail('malformedJwk', 'a JWK must be a JSON object');
  const j = jwk as Record<string, unknown>;
  if (j.kid !== undefined && typeof j.kid !== 'string') return fail('malformedJwk', '`kid` must be a string');
  const kid = j.kid;
  const name = kid === undefined ? 'the JWK' : `JWK \`${clip(kid)}\``;
  if (j.kty === 'oct')
    return fail(
      'unsupportedKeyType',
      `${name} is a symmetric key (\`kty: oct\`), never accepted for verification`,
    );
  if (j.kty !== 'RSA' && j.kty !== 'EC') {
    return fail(
      'unsupportedKeyType',
      `${name} has \`kty\` ${typeof j.kty === 'string' ? `\`${clip(j.kty)}\`` : 'missing'}; expected RSA or EC`,
    );
  }
  if (PRIVATE_MEMBERS.some((m) => Object.hasOwn(j, m))) {
    return fail(
      'privateKeyMaterial',
      `${name} contains private key material; a JWKS must publish public keys only`,
    );
  }
  if (j.use !== undefined && j.use !== 'sig')
    return fail('wrongUse', `${name} is not for signatures (\`use\` is not \`sig\`)`);
  if (j.key_ops !== undefined && (!Array.isArray(j.key_ops) || !j.key_ops.includes('verify'))) {
    return fail('wrongUse', `${name} does not allow \`verify\` in \`key_ops\``);
  }
  let alg: JwsAlgorithm | undefined;
  if (j.alg !== undefined) {
    if (!isJwsAlgorithm(j.alg)) {
      return fail('unsupportedAlgorithm', `${name} has an \`alg\` other than RS256/384/512, ES256/384/512`);
    }
    const spec = algorithmSpec(j.alg);
    if (spec.kty !== j.kty || (spec.crv !== undefined && spec.crv !== j.crv)) {
      return fail(
        'unsupportedAlgorithm',
        `${name} says \`alg\` ${j.alg}, which does not fit its ${j.kty} key`,
      );
    }
    alg = j.alg;
  }
  const publicKey = j.kty === 'RSA' ? rsaKey(j, name) : ecKey(j, name);
  if (!(publicKey instanceof KeyObject)) return publicKey;
  return {
    ok: true,
    publicKey,
    ...(alg !== undefined ? { alg } : {}),
    ...(kid !== undefined ? { kid } : {}),
  };
}

type Failure = { readonly ok: false; readonly code: ImportJwkFailureCode; readonly message: string };

function rsaKey(j: Record<string, unknown>, name: string): KeyObject | Failure {
  const n = typeof j.n === 'string' ? decodeBase64url(j.n) : undefined;
  const e = typeof j.e === 'string' ? decodeBase64url(j.e) : undefined;
  if (n === undefined || e === undefined || n.length === 0 || e.length === 0) {
    return fail('malformedJwk', `${name} needs \`n\` and \`e\` as base64url without padding`);
  }
  // RFC 7518 §2 asks for minimal octets; some publishers prefix a zero octet, which changes nothing.
  const bits = bitLength(n);
  if (bits < MIN_RSA_MODULUS_BITS) {
    return fail(
      'weakKey',
      `${name} has a ${bits}-bit RSA modulus; at least 2048 bits are required (RFC 7518 §3.3)`,
    );
  }
  return create({ kty: 'RSA', n: j.n as string, e: j.e as string }, name);
}

function ecKey(j: Record<string, unknown>, name: string): KeyObject | Failure {
  if (typeof j.crv !== 'string' || !CURVES.has(j.crv)) {
    return fail(
      'unsupportedKeyType',
      `${name} has curve ${typeof j.crv === 'string' ? `\`${clip(j.crv)}\`` : 'missing'}; expected P-256, P-384 or P-521`,
    );
  }
  const size = EC_COORDINATE_BYTES[j.crv as EcCurve];
  const x = typeof j.x === 'string' ? decodeBase64url(j.x) : undefined;
  const y = typeof j.y === 'string' ? decodeBase64url(j.y) : undefined;
  if (x === undefined || y === undefined || x.length !== size || y.length !== size) {
    return fail(
      'malformedJwk',
      `${name} needs \`x\` and \`y\` as base64url of exactly ${size} bytes each (RFC 7518 §6.2.1.2)`,
    );
  }
  return create({ kty: 'EC', crv: j.crv, x: j.x as string, y: j.y as string }, name);
}

/** Only the members above reach node, so nothing else in the JWK can change how the key is read. */
function create(jwk: JsonWebKey, name: string): KeyObject | Failure {
  try {
    return createPublicKey({ key: jwk, format: 'jwk' });
  } catch {
    return fail('invalidKey', `${name} is not a valid public key (for EC: the point is not on the curve)`);
  }
}

function bitLength(bytes: Buffer): number {
  let i = 0;
  while (i < bytes.length && bytes[i] === 0) i++;
  const first = bytes[i];
  if (first === undefined) return 0;
  return (bytes.length - i - 1) * 8 + (32 - Math.clz32(first));
}

function clip(s: string): string {
  return s.length > 64 ? `${s.slice(0, 64)}…` : s;
}

function fail(code: ImportJwkFailureCode, message: string): Failure {
  return { ok: false, code, message };
}
