/**
 * Typed condition values, parsed once at compile time for policy values and per comparison for request
 * values. A request value that does not parse makes that comparison false.
 */

const NUMBER = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;

/** Numeric operators take integers and decimals (IAM User Guide, numeric condition operators). */
export function parseNumber(text: string): number | undefined {
  if (!NUMBER.test(text)) return undefined;
  const n = Number(text);
  return Number.isFinite(n) ? n : undefined;
}

// W3C "Date and Time Formats" profile of ISO 8601, which the date operators take (IAM User Guide, date
// condition operators): YYYY, YYYY-MM, YYYY-MM-DD, YYYY-MM-DDThh:mmTZD, YYYY-MM-DDThh:mm:ssTZD,
// YYYY-MM-DDThh:mm:ss.sTZD. A time without a zone designator is read as UTC, as AWS's own
// aws:CurrentTime values always carry `Z`.
const DATE =
  /^(\d{4})(?:-(\d{2})(?:-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d+))?)?(Z|[+-]\d{2}:?\d{2})?)?)?)?$/;
const EPOCH = /^\d+(?:\.\d+)?$/;

/**
 * Milliseconds since the epoch for a date condition value: an ISO 8601 (W3C profile) date, or epoch
 * seconds ("aws:EpochTime ... works with date operators", IAM User Guide, global condition keys). Both
 * forms are converted to one unit, so they compare with each other.
 */
export function parseDate(text: string): number | undefined {
  if (EPOCH.test(text) && !(text.length === 4 && !text.includes('.'))) {
    // A bare four-digit value is a year in the W3C profile, not an epoch second in 1970.
    const seconds = Number(text);
    return Number.isFinite(seconds) ? seconds * 1000 : undefined;
  }
  const m = DATE.exec(text);
  if (!m) return undefined;
  const [, y, mo, d, h, mi, s, frac, tz] = m;
  const month = mo ? Number(mo) : 1;
  const day = d ? Number(d) : 1;
  const hour = h ? Number(h) : 0;
  const minute = mi ? Number(mi) : 0;
  const second = s ? Number(s) : 0;
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 60)
    return undefined;
  // setUTCFullYear, unlike Date.UTC, does not read years 0-99 as 1900-1999.
  const at = new Date(0);
  at.setUTCFullYear(Number(y), month - 1, day);
  // Date rolls 31 February over into March; refuse such dates.
  if (at.getUTCDate() !== day) return undefined;
  let ms = at.getTime() + ((hour * 60 + minute) * 60 + second) * 1000;
  if (frac) ms += Math.floor(Number(`0.${frac}`) * 1000);
  if (tz && tz !== 'Z') {
    const sign = tz[0] === '-' ? -1 : 1;
    const digits = tz.slice(1).replace(':', '');
    const hh = Number(digits.slice(0, 2));
    const mm = Number(digits.slice(2));
    if (hh > 23 || mm > 59) return undefined;
    const offset = hh * 60 + mm;
    ms -= sign * offset * 60_000;
  }
  return ms;
}

/** An IP network: IPv4 in a 32-bit number, IPv6 in a bigint. */
export type Cidr =
  | { readonly v: 4; readonly net: number; readonly bits: number }
  | { readonly v: 6; readonly net: bigint; readonly bits: number };

export type IpAddress = { readonly v: 4; readonly addr: number } | { readonly v: 6; readonly addr: bigint };

export function parseIp(text: string): IpAddress | undefined {
  if (text.includes(':')) {
    const a = parseIpv6(text);
    return a === undefined ? undefined : { v: 6, addr: a };
  }
  const a = parseIpv4(text);
  return a === undefined ? undefined : { v: 4, addr: a };
}

/**
 * A CIDR block (RFC 4632) or a bare address, which means /32 (IPv6: /128). Bits past the mask are
 * ignored, as IAM does ("The non-zero bits in the IP address after the masked bits are ignored",
 * Access Analyzer, improve IP range).
 */
export function parseCidr(text: string): Cidr | undefined {
  const slash = text.indexOf('/');
  const addrText = slash < 0 ? text : text.slice(0, slash);
  const ip = parseIp(addrText);
  if (!ip) return undefined;
  const max = ip.v === 4 ? 32 : 128;
  let bits = max;
  if (slash >= 0) {
    const b = text.slice(slash + 1);
    if (!/^\d{1,3}$/.test(b)) return undefined;
    bits = Number(b);
    if (bits > max) return undefined;
  }
  if (ip.v === 4) return { v: 4, net: maskV4(ip.addr, bits), bits };
  return { v: 6, net: maskV6(ip.addr, bits), bits };
}

/** Whether the address lies in the block; an IPv4 address is never in an IPv6 block or the reverse. */
export function cidrContains(c: Cidr, ip: IpAddress): boolean {
  if (c.v === 4) return ip.v === 4 && maskV4(ip.addr, c.bits) === c.net;
  return ip.v === 6 && maskV6(ip.addr, c.bits) === c.net;
}

/** Whether the written address had bits set past the mask (for the "improve IP range" suggestion). */
export function hasHostBits(text: string): boolean {
  const c = parseCidr(text);
  const slash = text.indexOf('/');
  if (!c || slash < 0) return false;
  const ip = parseIp(text.slice(0, slash));
  if (!ip) return false;
  return ip.v === 4 ? ip.addr !== c.net : ip.addr !== c.net;
}

export function formatCidr(c: Cidr): string {
  if (c.v === 4) {
    const n = c.net;
    return `${n >>> 24}.${(n >>> 16) & 255}.${(n >>> 8) & 255}.${n & 255}/${c.bits}`;
  }
  const groups: string[] = [];
  for (let i = 7; i >= 0; i--) groups.push(((c.net >> BigInt(i * 16)) & 0xffffn).toString(16));
  // RFC 5952: compress the longest run of two or more zero groups (the first, on a tie).
  let best = -1;
  let bestLen = 1;
  for (let i = 0; i < 8;) {
    if (groups[i] !== '0') {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === '0') j++;
    if (j - i > bestLen) {
      best = i;
      bestLen = j - i;
    }
    i = j;
  }
  const text =
    best < 0
      ? groups.join(':')
      : `${groups.slice(0, best).join(':')}::${groups.slice(best + bestLen).join(':')}`;
  return `${text}/${c.bits}`;
}

function maskV4(addr: number, bits: number): number {
  // JS shifts count modulo 32, so /0 needs its own branch: `-1 << 32` is -1, not 0.
  if (bits === 0) return 0;
  return (addr & (~0 << (32 - bits))) >>> 0;
}

const ALL128 = (1n << 128n) - 1n;
function maskV6(addr: bigint, bits: number): bigint {
  if (bits === 0) return 0n;
  const mask = (ALL128 >> BigInt(128 - bits)) << BigInt(128 - bits);
  return addr & mask;
}

/** Dotted-quad IPv4, each part 0-255 in 1-3 digits; parsed by hand: it runs on every IP condition. */
function parseIpv4(text: string): number | undefined {
  let n = 0;
  let part = 0;
  let digits = 0;
  let dots = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 46) {
      if (digits === 0) return undefined;
      n = n * 256 + part;
      part = 0;
      digits = 0;
      dots++;
    } else if (c >= 48 && c <= 57) {
      if (++digits > 3) return undefined;
      part = part * 10 + (c - 48);
      if (part > 255) return undefined;
    } else return undefined;
  }
  if (dots !== 3 || digits === 0) return undefined;
  return (n * 256 + part) >>> 0;
}

function parseIpv6(text: string): bigint | undefined {
  let t = text;
  // An embedded dotted quad (::ffff:192.0.2.1) becomes two groups.
  const lastColon = t.lastIndexOf(':');
  const tail = t.slice(lastColon + 1);
  if (tail.includes('.')) {
    const v4 = parseIpv4(tail);
    if (v4 === undefined) return undefined;
    t = `${t.slice(0, lastColon + 1)}${(v4 >>> 16).toString(16)}:${(v4 & 0xffff).toString(16)}`;
  }
  const halves = t.split('::');
  if (halves.length > 2) return undefined;
  const head = halves[0] ? halves[0].split(':') : [];
  const rest = halves.length === 2 && halves[1] ? halves[1].split(':') : [];
  const missing = 8 - head.length - rest.length;
  if (halves.length === 1 ? head.length !== 8 : missing < 1) return undefined;
  const groups = [...head, ...Array<string>(halves.length === 2 ? missing : 0).fill('0'), ...rest];
  let n = 0n;
  for (const g of groups) {
    if (!/^[0-9a-fA-F]{1,4}$/.test(g)) return undefined;
    n = (n << 16n) | BigInt(parseInt(g, 16));
  }
  return n;
}

/** Booleans compare as the words `true` and `false`, in any case. */
export function parseBool(text: string): boolean | undefined {
  const t = text.toLowerCase();
  return t === 'true' ? true : t === 'false' ? false : undefined;
}

/** Canonical base64 of the bytes a base64 text holds, or `undefined` when it is not base64. */
export function canonicalBase64(text: string): string | undefined {
  const t = text.replace(/\s+/g, '');
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(t) || t.length % 4 === 1) return undefined;
  return Buffer.from(t, 'base64').toString('base64');
}
