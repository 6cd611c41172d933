import { createCipheriv } from 'node:crypto';

/**
 * The sealed form of session tokens (DESIGN.md "Session credentials"), as one primitive that both the
 * main thread (sts/session-token.ts) and the signature worker (identity/signature-worker-thread.ts,
 * which seals AssumeRoleWithWebIdentity's sessions beside the token's signature check) call, so the two
 * can never write different bytes: AES-256-GCM under a 32-byte key whose id travels in the clear.
 *
 * Wire form: base64 of `"OIS1" | keyIdLength (1 byte) | keyId | iv (12) | tag (16) | ciphertext`,
 * with the version, key id and iv as associated data.
 */

export interface SealingKey {
  /** Short printable id, sent in the clear: 1-64 characters of [A-Za-z0-9_-]. */
  readonly id: string;
  /** 32 bytes. */
  readonly key: Buffer;
}

export const SEAL_MAGIC = Buffer.from('OIS1', 'ascii');
export const SEAL_IV_BYTES = 12;
export const SEAL_TAG_BYTES = 16;
const KEY_ID = /^[A-Za-z0-9_-]{1,64}$/;

/** Seals `plain` under `key` with the nonce `iv` (12 random bytes, never reused with a key). */
export function sealBytes(plain: Uint8Array, key: SealingKey, iv: Uint8Array): string {
  if (key.key.length !== 32) throw new TypeError('a sealing key has 32 bytes');
  if (!KEY_ID.test(key.id)) throw new TypeError('a sealing key id is 1-64 characters of [A-Za-z0-9_-]');
  if (iv.length !== SEAL_IV_BYTES) throw new TypeError('the iv has 12 bytes');
  // The whole token in one buffer, written in place: header (the associated data), tag, ciphertext.
  // The key id is ASCII (KEY_ID), one byte per character.
  const idAt = SEAL_MAGIC.length + 1;
  const headerLength = idAt + key.id.length + SEAL_IV_BYTES;
  const bodyAt = headerLength + SEAL_TAG_BYTES;
  const out = Buffer.allocUnsafe(bodyAt + plain.length);
  SEAL_MAGIC.copy(out, 0);
  out[SEAL_MAGIC.length] = key.id.length;
  out.write(key.id, idAt, 'latin1');
  out.set(iv, headerLength - SEAL_IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key.key, iv);
  cipher.setAAD(out.subarray(0, headerLength));
  const body = cipher.update(plain);
  const rest = cipher.final();
  // INVARIANT: GCM is a stream mode: `update` returns exactly as many bytes as it was given and `final`
  // none. Checked all the same, so that no byte of `out` is ever left unwritten.
  if (body.length !== plain.length || rest.length !== 0)
    throw new Error('AES-GCM returned an unexpected length');
  cipher.getAuthTag().copy(out, headerLength);
  body.copy(out, bodyAt);
  return out.toString('base64');
}
