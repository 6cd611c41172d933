/**
 * The few DER (ITU-T X.690) encodings an X.509 v3 certificate needs, and a reader for one TLV, so
 * that local-ca.ts can build certificates with node:crypto only (Node signs and verifies, but does not
 * build certificates). Every function returns the complete encoding of one value: tag, length, content.
 */

/** Universal tags used here (X.690 §8; X.680 §8.4). */
const TAG = {
  boolean: 0x01,
  integer: 0x02,
  bitString: 0x03,
  octetString: 0x04,
  oid: 0x06,
  utf8String: 0x0c,
  utcTime: 0x17,
  generalizedTime: 0x18,
  sequence: 0x30,
  set: 0x31,
} as const;

/** The definite-length form (X.690 §8.1.3): short form below 128, else 0x80|n then n bytes. */
function encodeLength(length: number): Buffer {
  if (length < 0x80) return Buffer.from([length]);
  const bytes: number[] = [];
  for (let n = length; n > 0; n = Math.floor(n / 256)) bytes.unshift(n % 256);
  return Buffer.from([0x80 | bytes.length, ...bytes]);
}

/** One tag-length-value. */
export function tlv(tag: number, content: Buffer): Buffer {
  return Buffer.concat([Buffer.from([tag]), encodeLength(content.length), content]);
}

export function sequence(...items: readonly Buffer[]): Buffer {
  return tlv(TAG.sequence, Buffer.concat(items));
}

/** A SET OF: DER sorts the encodings of the elements (X.690 §11.6). */
export function setOf(...items: readonly Buffer[]): Buffer {
  return tlv(TAG.set, Buffer.concat([...items].sort((a, b) => Buffer.compare(a, b))));
}

export function boolean(value: boolean): Buffer {
  // X.690 §11.1: TRUE is 0xFF in DER.
  return tlv(TAG.boolean, Buffer.from([value ? 0xff : 0x00]));
}

/**
 * A non-negative INTEGER from its unsigned big-endian bytes (or a small number): minimal, with a 0x00
 * prepended when the high bit is set so that it stays positive (X.690 §8.3.2).
 */
export function integer(value: Buffer | number): Buffer {
  let bytes: Buffer;
  if (typeof value === 'number') {
    if (!Number.isSafeInteger(value) || value < 0)
      throw new TypeError('integer expects a safe non-negative number');
    const out: number[] = [];
    for (let n = value; n > 0; n = Math.floor(n / 256)) out.unshift(n % 256);
    bytes = Buffer.from(out);
  } else {
    let start = 0;
    while (start < value.length && value[start] === 0) start++;
    bytes = value.subarray(start);
  }
  if (bytes.length === 0) bytes = Buffer.from([0]);
  // INVARIANT: bytes is not empty (set just above).
  if ((bytes[0]! & 0x80) !== 0) bytes = Buffer.concat([Buffer.from([0]), bytes]);
  return tlv(TAG.integer, bytes);
}

/** An OBJECT IDENTIFIER in dotted form, e.g. `2.5.4.3` (X.690 §8.19). */
export function oid(dotted: string): Buffer {
  if (!/^[0-2]\.\d+(\.\d+)*$/.test(dotted)) throw new TypeError(`not a dotted OID: \`${dotted}\``);
  const arcs = dotted.split('.').map(Number);
  // INVARIANT: the pattern guarantees at least two numeric arcs.
  const first = arcs[0]! * 40 + arcs[1]!;
  const out: number[] = [];
  for (const arc of [first, ...arcs.slice(2)]) {
    const group: number[] = [arc & 0x7f];
    for (let n = Math.floor(arc / 128); n > 0; n = Math.floor(n / 128)) group.unshift(0x80 | (n & 0x7f));
    out.push(...group);
  }
  return tlv(TAG.oid, Buffer.from(out));
}

export function utf8String(text: string): Buffer {
  return tlv(TAG.utf8String, Buffer.from(text, 'utf8'));
}

export function octetString(bytes: Buffer): Buffer {
  return tlv(TAG.octetString, bytes);
}

/** A BIT STRING of whole bytes, or with `unusedBits` trailing bits unused (X.690 §8.6.2). */
export function bitString(bytes: Buffer, unusedBits = 0): Buffer {
  if (!Number.isInteger(unusedBits) || unusedBits < 0 || unusedBits > 7) {
    throw new TypeError('unusedBits is 0..7');
  }
  return tlv(TAG.bitString, Buffer.concat([Buffer.from([unusedBits]), bytes]));
}

/**
 * An X.509 Time (RFC 5280 §4.1.2.5): UTCTime `YYMMDDHHMMSSZ` for years 1950-2049, GeneralizedTime
 * `YYYYMMDDHHMMSSZ` from 2050 on; whole seconds, always UTC.
 */
export function time(ms: number): Buffer {
  const d = new Date(Math.floor(ms / 1000) * 1000);
  const year = d.getUTCFullYear();
  if (year < 1950 || year > 9999) throw new TypeError('certificate times are 1950-9999');
  const two = (n: number) => String(n).padStart(2, '0');
  const rest = `${two(d.getUTCMonth() + 1)}${two(d.getUTCDate())}${two(d.getUTCHours())}${two(d.getUTCMinutes())}${two(d.getUTCSeconds())}Z`;
  if (year < 2050) return tlv(TAG.utcTime, Buffer.from(`${two(year % 100)}${rest}`, 'ascii'));
  return tlv(TAG.generalizedTime, Buffer.from(`${year}${rest}`, 'ascii'));
}

/** `[n] EXPLICIT`: a constructed context-specific tag wrapping one complete encoding. */
export function explicit(n: number, inner: Buffer): Buffer {
  return tlv(0xa0 | n, inner);
}

/** `[n] IMPLICIT` of a primitive type: the context-specific tag replaces the universal one. */
export function implicitPrimitive(n: number, content: Buffer): Buffer {
  return tlv(0x80 | n, content);
}

/** Where one TLV sits in a buffer: its tag at `offset`, and its content as `[start, end)`. */
export interface Tlv {
  readonly offset: number;
  readonly tag: number;
  readonly start: number;
  readonly end: number;
}

/**
 * Reads the TLV at `offset` (single-byte tags, definite lengths up to 4 length bytes). Returns
 * `undefined` for anything malformed or running past the buffer; it never throws.
 */
export function readTlv(buf: Buffer, offset = 0): Tlv | undefined {
  const tag = buf[offset];
  const first = buf[offset + 1];
  if (tag === undefined || first === undefined || (tag & 0x1f) === 0x1f) return undefined;
  let start = offset + 2;
  let length = first;
  if (first >= 0x80) {
    const n = first & 0x7f;
    if (n === 0 || n > 4 || start + n > buf.length) return undefined;
    length = 0;
    for (let i = 0; i < n; i++) length = length * 256 + (buf[start + i] ?? 0);
    start += n;
  }
  const end = start + length;
  if (end > buf.length) return undefined;
  return { offset, tag, start, end };
}

/** The TLVs directly inside a constructed value's content, in order; `undefined` if malformed. */
export function readChildren(buf: Buffer, parent: Tlv): Tlv[] | undefined {
  const children: Tlv[] = [];
  for (let at = parent.start; at < parent.end;) {
    const child = readTlv(buf, at);
    if (child === undefined || child.end > parent.end) return undefined;
    children.push(child);
    at = child.end;
  }
  return children;
}
