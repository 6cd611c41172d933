import { createHmac, hash, timingSafeEqual } from 'node:crypto';
import { ALGORITHM } from './types.js';

/**
 * The string to sign (IAM User Guide, "Create a signed AWS API request", step 3):
 * `AWS4-HMAC-SHA256 \n RequestDateTime \n CredentialScope \n HexEncode(SHA256(CanonicalRequest))`.
 */
export function buildStringToSign(
  dateTime: string,
  credentialScope: string,
  canonicalRequest: string,
): string {
  // crypto.hash (Node >= 20.12): one-shot, half the cost of createHash for a request-sized input.
  return `${ALGORITHM}\n${dateTime}\n${credentialScope}\n${hash('sha256', canonicalRequest, 'hex')}`;
}

/** `HexEncode(HMAC-SHA256(SigningKey, StringToSign))`, lower-case (step 5). */
export function computeSignature(signingKey: Uint8Array, stringToSign: string): string {
  return createHmac('sha256', signingKey).update(stringToSign, 'utf8').digest('hex');
}

/**
 * Compares the signature the client sent with the one computed, in time independent of where they differ
 * (`crypto.timingSafeEqual`). Only the length can end the comparison early, and the length of a SigV4
 * signature (64 hex digits) is public. The comparison is exact: signers emit lower-case hex.
 */
export function signaturesMatch(provided: string, computed: string): boolean {
  const a = Buffer.from(provided, 'utf8');
  const b = Buffer.from(computed, 'utf8');
  return a.length === b.length && timingSafeEqual(a, b);
}
