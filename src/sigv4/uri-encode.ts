/**
 * SigV4's `UriEncode()`: every byte of the UTF-8 form is percent-encoded with upper-case hex except the
 * RFC 3986 unreserved characters `A-Z a-z 0-9 - . _ ~` (and `/` in a path). IAM User Guide, "Create a
 * signed AWS API request", Canonical request: "URI encode every byte ... Do not URI-encode any of the
 * unreserved characters that RFC 3986 defines ... Percent-encode all other characters with %XY, where X
 * and Y are hexadecimal characters (0-9 and uppercase A-F)."
 *
 * Both functions are total: a lone surrogate becomes U+FFFD's bytes, and a `%` that does not start a valid
 * escape stands for itself.
 */

const HEX = '0123456789ABCDEF';

// INVARIANT: UNRESERVED[b] is true exactly for the bytes of A-Z a-z 0-9 - . _ ~
const UNRESERVED: readonly boolean[] = Array.from(
  { length: 256 },
  (_, b) =>
    (b >= 0x41 && b <= 0x5a) ||
    (b >= 0x61 && b <= 0x7a) ||
    (b >= 0x30 && b <= 0x39) ||
    b === 0x2d ||
    b === 0x2e ||
    b === 0x5f ||
    b === 0x7e,
);

/** Percent-encodes bytes; `/` is kept when `keepSlash` (paths), encoded otherwise (query keys and values). */
export function uriEncodeBytes(bytes: Uint8Array, keepSlash: boolean): string {
  let out = '';
  for (const b of bytes) {
    if (UNRESERVED[b] === true || (keepSlash && b === 0x2f)) out += String.fromCharCode(b);
    else out += `%${HEX[b >> 4]}${HEX[b & 15]}`;
  }
  return out;
}

/** `UriEncode()` of a string's UTF-8 bytes. A `%` in the text is encoded (`%25`): no decoding happens. */
export function uriEncode(text: string, keepSlash: boolean): string {
  // Fast path: most paths and values are already made of unreserved characters only.
  if (/^[A-Za-z0-9\-._~]*$/.test(text)) return text;
  return uriEncodeBytes(Buffer.from(text, 'utf8'), keepSlash);
}

/**
 * Percent-decodes to bytes. `+` is a plus sign, not a space: RFC 3986 gives it no meaning and the AWS
 * signers encode a space as `%20` (smithy `escapeUri`, botocore `quote`). Text that is not an escape is
 * taken as its UTF-8 bytes.
 */
export function percentDecode(text: string): Uint8Array {
  if (!text.includes('%')) return Buffer.from(text, 'utf8');
  const out: number[] = [];
  let plain = '';
  const flush = (): void => {
    if (plain !== '') for (const b of Buffer.from(plain, 'utf8')) out.push(b);
    plain = '';
  };
  for (let i = 0; i < text.length; i++) {
    const c = text.charAt(i);
    if (c === '%' && i + 2 < text.length && isHex(text.charCodeAt(i + 1)) && isHex(text.charCodeAt(i + 2))) {
      flush();
      out.push(parseInt(text.slice(i + 1, i + 3), 16));
      i += 2;
    } else {
      plain += c;
    }
  }
  flush();
  return Uint8Array.from(out);
}

function isHex(code: number): boolean {
  return (code >= 0x30 && code <= 0x39) || (code >= 0x41 && code <= 0x46) || (code >= 0x61 && code <= 0x66);
}
