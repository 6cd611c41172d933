import { constants, sign, type KeyObject } from 'node:crypto';
import { encodeBase64url } from './base64url.js';
import { goJson, type GoJsonValue } from './go-json.js';
import { algorithmSpec, keyProblem, type JwsAlgorithm } from './jws-algorithms.js';

/**
 * Signs a JWS in compact serialization (RFC 7515 §7.1): BASE64URL(header) "." BASE64URL(payload) "."
 * BASE64URL(signature). Header and payload are written as go-jose writes them (members sorted, Go
 * escaping), so a token minted here is byte-for-byte what kube-apiserver would mint at the same instant.
 * RS*: RSASSA-PKCS1-v1_5 (RFC 7518 §3.3). ES*: ECDSA with the signature as the fixed-size concatenation
 * R || S (RFC 7518 §3.4), which node calls `ieee-p1363`; node's default DER form is not a JWS signature.
 */
export function signJws(
  header: { readonly [name: string]: GoJsonValue | undefined },
  payload: { readonly [name: string]: GoJsonValue | undefined },
  privateKey: KeyObject,
  alg: JwsAlgorithm,
): string {
  if (privateKey.type !== 'private') throw new TypeError('signJws needs a private key');
  const problem = keyProblem(privateKey, alg);
  if (problem !== undefined) throw new TypeError(problem);
  const signingInput = `${encodeBase64url(goJson(header, { sortKeys: true }))}.${encodeBase64url(goJson(payload, { sortKeys: true }))}`;
  const { hash, kty } = algorithmSpec(alg);
  const signature = sign(
    hash,
    Buffer.from(signingInput, 'ascii'),
    kty === 'RSA'
      ? { key: privateKey, padding: constants.RSA_PKCS1_PADDING }
      : { key: privateKey, dsaEncoding: 'ieee-p1363' },
  );
  return `${signingInput}.${encodeBase64url(signature)}`;
}
