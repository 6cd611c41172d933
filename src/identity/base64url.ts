/**
 * Strict base64url (RFC 4648 §5) without padding, as JWS uses it (RFC 7515 §2: "Base64url Encoding ...
 * with all trailing '=' characters omitted ... and without the inclusion of any line breaks, whitespace,
 * or other additional characters"). `Buffer.from(s, 'base64url')` is lenient: it skips characters
 * outside the alphabet and ignores trailing bits, so two different strings can decode to the same bytes.
 * The decoder here accepts exactly one spelling per byte string.
 */

export function encodeBase64url(bytes: Uint8Array | string): string {
  return (typeof bytes === 'string' ? Buffer.from(bytes, 'utf8') : Buffer.from(bytes)).toString('base64url');
}

/**
 * The bytes of `text`, or `undefined` when it is not canonical unpadded base64url: a character outside
 * the alphabet (padding `=`, `+`, `/`, whitespace), a length that leaves 6 dangling bits
 * (`length % 4 === 1`), or non-zero unused trailing bits (RFC 4648 §3.5 lets decoders reject those).
 *
 * Decoded leniently, then re-encoded and compared: node's encoder writes the one canonical spelling of
 * the bytes (only A-Z, a-z, 0-9, `-`, `_`, no padding, zero trailing bits, never a length of 4n+1), so
 * the two texts are equal exactly when `text` is canonical. Two native passes cost less than a regular
 * expression over the text before the decoding (base64url.test.ts holds it to that check).
 */
export function decodeBase64url(text: string): Buffer | undefined {
  const bytes = Buffer.from(text, 'base64url');
  return bytes.toString('base64url') === text ? bytes : undefined;
}
