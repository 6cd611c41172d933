import { isAscii, isUtf8 } from 'node:buffer';

/**
 * `application/x-www-form-urlencoded` decoding, for awsQuery bodies and query strings alike. It follows
 * the WHATWG URL Standard's parser (§5.1 "application/x-www-form-urlencoded parsing"): split on `&`,
 * skip empty sequences, split each on the first `=`, `+` is a space, percent-decode to bytes, then read
 * the bytes as UTF-8 — whatever `charset` the Content-Type names (botocore sends `; charset=utf-8`, the
 * JS SDK none; raw-requests.md §1.1, §2.1). Two things are stricter than WHATWG, which would carry on:
 * a `%` not followed by two hex digits, and bytes that are not UTF-8, are failures (`badEncoding`), so
 * that a value never silently changes on its way in (WHATWG keeps the `%` literally and replaces bad
 * bytes with U+FFFD). A name given twice is a failure too: parameter pollution must not pick a winner.
 *
 * Never throws; sizes are bounded by `FormLimits`.
 */

export type FormParams = ReadonlyMap<string, string>;

export type FormFailure =
  | { readonly kind: 'badEncoding'; readonly detail: string }
  | { readonly kind: 'duplicateParameter'; readonly name: string }
  | { readonly kind: 'tooManyParameters'; readonly limit: number }
  | { readonly kind: 'tooLarge'; readonly limit: number };

export type FormResult =
  { readonly ok: true; readonly params: FormParams } | { readonly ok: false; readonly failure: FormFailure };

export interface FormLimits {
  /** Encoded bytes. */
  readonly maxBytes: number;
  /** `name=value` pairs. */
  readonly maxParameters: number;
}

/**
 * Far above what IAM and STS need (AssumeRole with 50 tags, 50 transitive keys and 10 policy ARNs is
 * under 200 pairs; an IAM policy document is at most 131072 characters, under 1.2 MB percent-encoded).
 */
export const DEFAULT_FORM_LIMITS: FormLimits = { maxBytes: 2 * 1024 * 1024, maxParameters: 1000 };

export function decodeForm(input: string | Uint8Array, limits: FormLimits = DEFAULT_FORM_LIMITS): FormResult {
  const bytes = typeof input === 'string' ? Buffer.from(input, 'utf8') : input;
  if (bytes.length > limits.maxBytes) return fail({ kind: 'tooLarge', limit: limits.maxBytes });
  const params = new Map<string, string>();
  const decodeComponent = componentDecoder(bytes);
  let start = 0;
  while (start <= bytes.length) {
    let end = bytes.indexOf(0x26 /* & */, start);
    if (end < 0) end = bytes.length;
    if (end > start) {
      if (params.size >= limits.maxParameters) {
        return fail({ kind: 'tooManyParameters', limit: limits.maxParameters });
      }
      let eq = bytes.indexOf(0x3d /* = */, start);
      if (eq < 0 || eq > end) eq = end;
      const name = decodeComponent(start, eq);
      if (typeof name !== 'string') return fail(name);
      const value = decodeComponent(Math.min(eq + 1, end), end);
      if (typeof value !== 'string') return fail(value);
      if (params.has(name)) return fail({ kind: 'duplicateParameter', name });
      params.set(name, value);
    }
    start = end + 1;
  }
  return { ok: true, params };
}

/**
 * Whether a Content-Type names a form body: the media type, case-insensitive, any parameters
 * (`; charset=utf-8`, `; charset="UTF-8"`) allowed and ignored.
 */
export function isFormContentType(contentType: string | undefined): boolean {
  if (contentType === undefined) return false;
  const semi = contentType.indexOf(';');
  const media = (semi < 0 ? contentType : contentType.slice(0, semi)).trim().toLowerCase();
  return media === 'application/x-www-form-urlencoded';
}

function fail(failure: FormFailure): FormResult {
  return { ok: false, failure };
}

/**
 * The decoder of one component (`bytes[start, end)`) of this body. A component with no `%` and no `+`
 * in an all-ASCII body (names, ARNs, tokens: the common case) is its bytes as they are, sliced from the
 * body's text, made once; any other goes through `decodeEscaped`, which gives the same string for
 * ASCII bytes without escapes. The next `%` and `+` are found by `indexOf` (native) and remembered, so
 * each byte of the body is searched once, not once per component.
 */
function componentDecoder(bytes: Uint8Array): (start: number, end: number) => string | FormFailure {
  const length = bytes.length;
  const text = isAscii(bytes)
    ? Buffer.from(bytes.buffer, bytes.byteOffset, length).toString('latin1')
    : undefined;
  let percent = -1;
  let plus = -1;
  return (start, end) => {
    if (percent < start) percent = nextIndex(bytes, 0x25 /* % */, start);
    if (plus < start) plus = nextIndex(bytes, 0x2b /* + */, start);
    if (text !== undefined && percent >= end && plus >= end) return text.slice(start, end);
    return decodeEscaped(bytes, start, end);
  };
}

/** The index of the first `byte` at or after `from`, or the length when there is none. */
function nextIndex(bytes: Uint8Array, byte: number, from: number): number {
  const at = bytes.indexOf(byte, from);
  return at < 0 ? bytes.length : at;
}

/** `+` as a space, `%XX` as a byte, then the bytes read as UTF-8 (a failure if they are not UTF-8). */
function decodeEscaped(bytes: Uint8Array, start: number, end: number): string | FormFailure {
  const out = Buffer.allocUnsafe(end - start);
  let n = 0;
  for (let i = start; i < end; i++) {
    const b = bytes[i]!;
    if (b === 0x2b /* + */) {
      out[n++] = 0x20;
    } else if (b === 0x25 /* % */) {
      const hi = i + 1 < end ? hex(bytes[i + 1]!) : -1;
      const lo = i + 2 < end ? hex(bytes[i + 2]!) : -1;
      if (hi < 0 || lo < 0) {
        return { kind: 'badEncoding', detail: `\`%\` not followed by two hex digits at byte ${i}` };
      }
      out[n++] = (hi << 4) | lo;
      i += 2;
    } else {
      out[n++] = b;
    }
  }
  const decoded = out.subarray(0, n);
  if (!isUtf8(decoded)) {
    return { kind: 'badEncoding', detail: `bytes that are not UTF-8 in the parameter at byte ${start}` };
  }
  return decoded.toString('utf8');
}

function hex(b: number): number {
  if (b >= 0x30 && b <= 0x39) return b - 0x30;
  if (b >= 0x41 && b <= 0x46) return b - 0x37;
  if (b >= 0x61 && b <= 0x66) return b - 0x57;
  return -1;
}
