/**
 * User metadata values (`x-amz-meta-*`) beyond US-ASCII, as S3 handles them (S3 User Guide, "Working with
 * object metadata"): "Values of such headers are character decoded as per RFC 2047 before storing and
 * encoded as per RFC 2047 to make them mail-safe before returning. If the string contains only US-ASCII
 * characters, it is presented as is."
 *
 * On the way in, the header's bytes are read as UTF-8 (botocore sends UTF-8; Node hands the bytes over
 * as a latin1 byte string); a value that is one RFC 2047 encoded word (`=?UTF-8?B?...?=`, `=?UTF-8?Q?...?=`)
 * is decoded. On the way out, a value with a character outside printable US-ASCII is one encoded word:
 * `Q` encoding (bytes outside printable ASCII, and `=`, `?`, `_`, as `=XX`; a space as `_`) unless it holds
 * a control or unassigned character or U+FFFD, then `B` (base64).
 * ⚠ The Q/B choice and the set of characters Q leaves alone follow localstack's S3 provider, whose
 * behaviour is checked against AWS snapshots; the S3 guide only says "RFC 2047". Decoding more than one
 * encoded word, or charsets other than UTF-8, US-ASCII and ISO-8859-1, is not done: such values are
 * stored as sent (⚠ what S3 does with them is unconfirmed).
 */

const ENCODED_WORD = /^=\?([A-Za-z0-9_-]{1,40})\?([BbQq])\?([^?\s]*)\?=$/;
const CHARSETS: ReadonlyMap<string, 'utf8' | 'latin1'> = new Map([
  ['utf-8', 'utf8'],
  ['us-ascii', 'utf8'],
  ['iso-8859-1', 'latin1'],
]);
/** Printable US-ASCII, space and tab: sent back as is. */
const PLAIN = /^[\t\x20-\x7e]*$/;
/** Q encoding writes these bytes as themselves (printable ASCII but space, `=`, `?` and `_`). */
const Q_SAFE = /[!-<>@-^`-~]/;
const NEEDS_BASE64 = /[\p{C}\uFFFD]/u;

/** The stored value of one `x-amz-meta-*` header, from the byte string Node's parser gave. */
export function decodeMetadataValue(received: string): string {
  const text = /[\x80-\xff]/.test(received) ? Buffer.from(received, 'latin1').toString('utf8') : received;
  const word = ENCODED_WORD.exec(text);
  if (word === null) return text;
  const [, charset = '', kind = '', payload = ''] = word;
  const encoding = CHARSETS.get(charset.toLowerCase());
  if (encoding === undefined) return text;
  const bytes = kind.toUpperCase() === 'B' ? fromBase64(payload) : fromQ(payload);
  return bytes === undefined ? text : bytes.toString(encoding);
}

/** The header value GetObject and HeadObject answer for a stored metadata value. */
export function encodeMetadataValue(value: string): string {
  if (PLAIN.test(value)) return value;
  const bytes = Buffer.from(value, 'utf8');
  if (NEEDS_BASE64.test(value)) return `=?UTF-8?B?${bytes.toString('base64')}?=`;
  let out = '';
  for (const byte of bytes) {
    const c = String.fromCharCode(byte);
    if (c === ' ') out += '_';
    else if (byte < 0x80 && Q_SAFE.test(c)) out += c;
    else out += `=${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return `=?UTF-8?Q?${out}?=`;
}

function fromBase64(payload: string): Buffer | undefined {
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(payload) || payload.length % 4 !== 0) return undefined;
  return Buffer.from(payload, 'base64');
}

function fromQ(payload: string): Buffer | undefined {
  const bytes: number[] = [];
  for (let i = 0; i < payload.length; i++) {
    const c = payload[i];
    if (c === '_') bytes.push(0x20);
    else if (c === '=') {
      const hex = payload.slice(i + 1, i + 3);
      if (!/^[0-9A-Fa-f]{2}$/.test(hex)) return undefined;
      bytes.push(parseInt(hex, 16));
      i += 2;
    } else bytes.push(payload.charCodeAt(i));
  }
  return Buffer.from(bytes);
}
