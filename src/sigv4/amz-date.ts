/**
 * The request time. SigV4 takes it from `X-Amz-Date` (header or query parameter) in ISO 8601 basic format,
 * `YYYYMMDD'T'HHMMSS'Z'`, and only when there is none from the `Date` header ("Handling dates in Signature
 * Version 4": https://docs.aws.amazon.com/IAM/latest/UserGuide/signing-elements.html). Milliseconds are not
 * allowed.
 */

/**
 * `20150830T123600Z` → milliseconds since the epoch, or `undefined` when the text is not exactly that
 * format or names no real instant (`20150230T...`, hour 24, ...).
 */
export function parseAmzDateTime(text: string): number | undefined {
  // `/^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/`, read digit by digit: no match array and no six
  // strings to convert on every signed request (amz-date.test.ts holds it to that expression over
  // random texts).
  if (text.length !== 16 || text.charCodeAt(8) !== T || text.charCodeAt(15) !== Z) return undefined;
  const y = digits(text, 0, 4);
  const mo = digits(text, 4, 6);
  const d = digits(text, 6, 8);
  const h = digits(text, 9, 11);
  const mi = digits(text, 11, 13);
  const s = digits(text, 13, 15);
  if (y < 0 || mo < 0 || d < 0 || h < 0 || mi < 0 || s < 0) return undefined;
  return utcInstant(y, mo, d, h, mi, s);
}

const T = 0x54;
const Z = 0x5a;

/** The decimal number `text[from, to)` spells, or -1 when a character there is not 0-9 (regexp `\d`). */
function digits(text: string, from: number, to: number): number {
  let n = 0;
  for (let i = from; i < to; i++) {
    const c = text.charCodeAt(i) - 0x30;
    if (c < 0 || c > 9) return -1;
    n = n * 10 + c;
  }
  return n;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const IMF_FIXDATE =
  /^(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun), (\d{2}) (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) (\d{4}) (\d{2}):(\d{2}):(\d{2}) (?:GMT|[+-]0000)$/;

/**
 * A `Date` header: the IMF-fixdate of RFC 9110 §5.6.7 (`Sun, 30 Aug 2015 12:36:00 GMT`), or the ISO 8601
 * basic format some signers put there instead (aws-c-auth accepts both). A zero numeric zone (`-0000`,
 * `+0000`: RFC 5322 §3.3) stands for GMT: botocore signs with Python's `email.utils.formatdate()`, which
 * writes `-0000`, whenever a request carries a Date header (ceph/s3-tests test_object_create_date_and_amz_date;
 * ⚠ that S3 accepts it is inferred from botocore shipping it, not from an AWS page). Other offsets, the
 * obsolete RFC 850 and asctime forms are not accepted: no SigV4 client sends them.
 */
export function parseHttpDate(text: string): number | undefined {
  const basic = parseAmzDateTime(text);
  if (basic !== undefined) return basic;
  const m = IMF_FIXDATE.exec(text);
  if (!m) return undefined;
  const [, d, mon, y, h, mi, s] = m as unknown as [string, string, string, string, string, string, string];
  return utcInstant(Number(y), MONTHS.indexOf(mon) + 1, Number(d), Number(h), Number(mi), Number(s));
}

/** `20150830T123600Z` for an instant in milliseconds (any sub-second part is dropped). */
export function formatAmzDateTime(ms: number): string {
  return new Date(ms)
    .toISOString()
    .replace(/\.\d{3}Z$/, 'Z')
    .replace(/[-:]/g, '');
}

/** `YYYYMMDD` is a real calendar day. */
export function isAmzDate(text: string): boolean {
  if (!/^\d{8}$/.test(text)) return false;
  return (
    utcInstant(Number(text.slice(0, 4)), Number(text.slice(4, 6)), Number(text.slice(6, 8)), 0, 0, 0) !==
    undefined
  );
}

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** The instant of a UTC calendar time, or `undefined` for one that does not exist (31 April, 24:00). */
function utcInstant(y: number, mo: number, d: number, h: number, mi: number, s: number): number | undefined {
  // Years before 1000 are refused too: Date.UTC would read 0015 as 1915.
  if (y < 1000 || mo < 1 || mo > 12 || d < 1 || h > 23 || mi > 59 || s > 59) return undefined;
  const leap = mo === 2 && y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0);
  if (d > (DAYS_IN_MONTH[mo - 1] ?? 0) + (leap ? 1 : 0)) return undefined;
  return Date.UTC(y, mo - 1, d, h, mi, s);
}
