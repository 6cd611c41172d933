import { createPrivateKey, type KeyObject } from 'node:crypto';
import { describeKey, isSigningAlgorithm, keyProblem } from './jws-algorithms.js';
import { signingAlgorithmFor, signingKeyFromPrivateKey, type SigningKey } from './signing-key.js';

export type LoadSigningKeyFailureCode =
  'malformedRecord' | 'unsupportedAlgorithm' | 'invalidPrivateKey' | 'algorithmMismatch' | 'kidMismatch';

export type LoadSigningKeyResult =
  | { readonly ok: true; readonly key: SigningKey }
  | { readonly ok: false; readonly code: LoadSigningKeyFailureCode; readonly message: string };

/** A 4096-bit RSA key is about 3.3 KB of PKCS#8 PEM; anything far larger is not a signing key. */
const MAX_PEM_LENGTH = 16 * 1024;

/**
 * Reads a stored `SigningKeyRecord` back into a `SigningKey`, checking everything a corrupted or
 * hand-edited row could get wrong: the shape, the algorithm, that the PEM is an unencrypted private key
 * (PKCS#8, or the PKCS#1 / SEC1 forms kube-apiserver also reads) of the kind the algorithm needs, and
 * that the stored `kid` is the one the key implies. Members it does not know are ignored, so the store
 * may keep its own columns beside these. Never throws on input.
 */
export function loadSigningKey(record: unknown): LoadSigningKeyResult {
  if (record === null || typeof record !== 'object' || Array.isArray(record)) {
    return fail('malformedRecord', 'a signing key record must be an object');
  }
  const r = record as Record<string, unknown>;
  if (typeof r.kid !== 'string' || r.kid === '')
    return fail('malformedRecord', '`kid` must be a non-empty string');
  if (typeof r.alg !== 'string') return fail('malformedRecord', '`alg` must be a string');
  if (!isSigningAlgorithm(r.alg)) {
    return fail(
      'unsupportedAlgorithm',
      `\`alg\` must be RS256, ES256, ES384 or ES512, found \`${clip(r.alg)}\``,
    );
  }
  if (typeof r.privateKeyPem !== 'string' || r.privateKeyPem.length > MAX_PEM_LENGTH) {
    return fail('malformedRecord', '`privateKeyPem` must be a PEM string of at most 16 KiB');
  }
  if (!isTime(r.createdAt))
    return fail('malformedRecord', '`createdAt` must be milliseconds since the epoch');
  if (r.retiredAt !== undefined && (!isTime(r.retiredAt) || r.retiredAt < r.createdAt)) {
    return fail(
      'malformedRecord',
      '`retiredAt` must be milliseconds since the epoch, not before `createdAt`',
    );
  }
  const privateKey = readPrivateKey(r.privateKeyPem);
  if (!privateKey) {
    return fail(
      'invalidPrivateKey',
      '`privateKeyPem` is not an unencrypted PEM private key (PKCS#8, PKCS#1 or SEC1) that node:crypto can read',
    );
  }
  const implied = signingAlgorithmFor(privateKey);
  const problem = keyProblem(privateKey, r.alg);
  if (implied !== r.alg || problem !== undefined) {
    return fail(
      'algorithmMismatch',
      problem ?? `\`alg\` is ${r.alg}, but the key is ${describeKey(privateKey)}`,
    );
  }
  const key = signingKeyFromPrivateKey(privateKey, r.alg, r.createdAt, r.retiredAt);
  if (key.kid !== r.kid) {
    return fail('kidMismatch', `the record's kid \`${clip(r.kid)}\` is not the key's kid \`${key.kid}\``);
  }
  return { ok: true, key };
}

function readPrivateKey(pem: string): KeyObject | undefined {
  try {
    // An encrypted PEM throws here (no passphrase is given), as does a public key or garbage.
    return createPrivateKey({ key: pem, format: 'pem' });
  } catch {
    return undefined;
  }
}

function isTime(v: unknown): v is number {
  return typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;
}

function clip(s: string): string {
  return s.length > 64 ? `${s.slice(0, 64)}…` : s;
}

function fail(code: LoadSigningKeyFailureCode, message: string): LoadSigningKeyResult {
  return { ok: false, code, message };
}
