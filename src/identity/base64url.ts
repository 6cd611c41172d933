/**
 * Strict base64url (RFC 4648 §5) without padding, as JWS uses it (RFC 7515 §2: "Base64url Encoding ...
 * with all trailing '=' characters omitted ... and without the inclusion of any line breaks, whitespace,
 * or other additional characters"). `Buffer.from(s, 'base64url')` is lenient: it skips characters
 * outside the alphabet and ignores trailing bits, so two different strings can decode to the same bytes.
 * The decoder here accepts exactly one spelling per byte string.
 */

const ALPHABET = /^[A-Za-z0-9_-]*$/;

export function encodeBase64url(bytes: Uint8Array | string): string {
  return (typeof bytes === 'string' ? Buffer.from(bytes, 'utf8') : Buffer.from(bytes)).toString('base64url');
}

/**
 * The bytes of `text`, or `undefined` when it is not canonical unpadded base64url: a character outside
 * the alphabet (padding `=`, `+`, `/`, whitespace), a length that leaves 6 dangling bits
 * (`length % 4 === 1`), or non-zero unused trailing bits (RFC 4648 §3.5 lets decoders reject those).
 */
export function decodeBase64url(text: string): Buffer | undefined {
  const rest = text.length % 4;
  if (rest === 1 || !ALPHABET.test(text)) return undefined;
  // RFC 4648 §4: a final group of 2 characters carries 8 bits of 12, one of 3 carries 16 of 18; the
  // unused low bits are all in the last character, and a canonical encoding leaves them zero. (Checked
  // on that character instead of re-encoding the bytes and comparing: the same answer, no second string.)
  if (rest !== 0 && (sextet(text.charCodeAt(text.length - 1)) & (rest === 2 ? 0x0f : 0x03)) !== 0) {
    return undefined;
  }
  return Buffer.from(text, 'base64url');
}

/** The 6-bit value of a base64url character (RFC 4648 Table 2), for one that ALPHABET admits. */
function sextet(code: number): number {
  if (code >= 97) return code - 71; // a-z: 26..51
  if (code >= 65) return code === 95 ? 63 : code - 65; // A-Z: 0..25, `_`: 63
  if (code >= 48) return code + 4; // 0-9: 52..61
  return 62; // `-`
}
