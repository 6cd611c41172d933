import { createCipheriv, createDecipheriv } from 'node:crypto';

/**
 * The sealed form of session tokens (DESIGN.md "Session credentials"), written and read here only: the
 * main thread (sts/session-token.ts) and the signature worker (identity/signature-worker-thread.ts,
 * which seals AssumeRoleWithWebIdentity's sessions beside the token's signature check) both call
 * `sealBytes`, so the two can never write different bytes: AES-256-GCM under a 32-byte key whose id
 * travels in the clear.
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

const MAGIC = Buffer.from('OIS1', 'ascii');
export const SEAL_IV_BYTES = 12;
const TAG_BYTES = 16;
const KEY_ID = /^[A-Za-z0-9_-]{1,64}$/;
/** Larger tokens are refused before any decryption work. */
export const MAX_SEALED_CHARS = 16 * 1024;

export type OpenFailure =
  | { readonly code: 'malformed'; readonly message: string }
  | { readonly code: 'unknownKey'; readonly message: string }
  | { readonly code: 'tampered'; readonly message: string };

/** Seals `plain` under `key` with the nonce `iv` (12 random bytes, never reused with a key). */
export function sealBytes(plain: Uint8Array, key: SealingKey, iv: Uint8Array): string {
  if (key.key.length !== 32) throw new TypeError('a sealing key has 32 bytes');
  if (!KEY_ID.test(key.id)) throw new TypeError('a sealing key id is 1-64 characters of [A-Za-z0-9_-]');
  if (iv.length !== SEAL_IV_BYTES) throw new TypeError('the iv has 12 bytes');
  // The whole token in one buffer, written in place: header (the associated data), tag, ciphertext.
  // The key id is ASCII (KEY_ID), one byte per character.
  const idAt = MAGIC.length + 1;
  const headerLength = idAt + key.id.length + SEAL_IV_BYTES;
  const bodyAt = headerLength + TAG_BYTES;
  const out = Buffer.allocUnsafe(bodyAt + plain.length);
  MAGIC.copy(out, 0);
  out[MAGIC.length] = key.id.length;
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

/** The key id a token names, without opening it (to pick the key), or `undefined` if malformed. */
export function sealedKeyId(token: string): string | undefined {
  const raw = decode(token);
  if (!raw) return undefined;
  return raw.subarray(MAGIC.length + 1, MAGIC.length + 1 + raw[MAGIC.length]!).toString('ascii');
}

/**
 * Opens a token with whichever key it names (`keyFor` returns undefined for an unknown or retired
 * key): its plaintext as UTF-8 text, or why it cannot be opened.
 */
export function openSealed(
  token: string,
  keyFor: (id: string) => SealingKey | undefined,
): { ok: true; plain: string } | { ok: false; failure: OpenFailure } {
  const raw = decode(token);
  if (!raw) return fail('malformed', 'the session token is not one this server issued');
  const idLength = raw[MAGIC.length]!;
  const headerLength = MAGIC.length + 1 + idLength + SEAL_IV_BYTES;
  if (raw.length < headerLength + TAG_BYTES) return fail('malformed', 'the session token is truncated');
  const id = raw.subarray(MAGIC.length + 1, MAGIC.length + 1 + idLength).toString('ascii');
  const key = keyFor(id);
  if (!key)
    return fail(
      'unknownKey',
      `the session token was sealed with key \`${id}\`, which this server does not hold`,
    );
  const header = raw.subarray(0, headerLength);
  const iv = raw.subarray(headerLength - SEAL_IV_BYTES, headerLength);
  const tag = raw.subarray(headerLength, headerLength + TAG_BYTES);
  const body = raw.subarray(headerLength + TAG_BYTES);
  try {
    const decipher = createDecipheriv('aes-256-gcm', key.key, iv);
    decipher.setAAD(header);
    decipher.setAuthTag(tag);
    return { ok: true, plain: Buffer.concat([decipher.update(body), decipher.final()]).toString('utf8') };
  } catch {
    return fail('tampered', 'the session token does not verify');
  }
}

function decode(token: string): Buffer | undefined {
  if (token.length === 0 || token.length > MAX_SEALED_CHARS || !/^[A-Za-z0-9+/]+={0,2}$/.test(token))
    return undefined;
  const raw = Buffer.from(token, 'base64');
  if (raw.length < MAGIC.length + 1 || !raw.subarray(0, MAGIC.length).equals(MAGIC)) return undefined;
  return raw;
}

function fail(code: OpenFailure['code'], message: string): { ok: false; failure: OpenFailure } {
  return { ok: false, failure: { code, message } };
}
