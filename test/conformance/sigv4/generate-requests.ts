/**
 * Seeded random requests for the round trips against the AWS SDK's own signer (`@smithy/signature-v4`):
 * what a client hands to the signer, and how the same request looks on the server side (the wire path and
 * query string, lower-case header names, repeated headers as arrays). The wire spelling is varied where
 * HTTP allows it (escape case, needlessly escaped characters, `key` for `key=`), because the verifier must
 * not depend on it.
 */
import type { HttpHeaders } from '../../../src/sigv4/types.js';

export { seededRandom } from '../../../src/shared/seeded-random.js';

export class Dice {
  constructor(private readonly next: () => number) {}
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.next() * (hi - lo + 1));
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  pick<T>(items: readonly T[]): T {
    const item = items[this.int(0, items.length - 1)];
    if (item === undefined) throw new Error('pick from an empty list');
    return item;
  }
  shuffle<T>(items: readonly T[]): T[] {
    const out = items.slice();
    for (let i = out.length - 1; i > 0; i--) {
      const j = this.int(0, i);
      [out[i], out[j]] = [out[j] as T, out[i] as T];
    }
    return out;
  }
  text(alphabet: string, lo: number, hi: number): string {
    let s = '';
    for (let n = this.int(lo, hi); n > 0; n--) s += alphabet[this.int(0, alphabet.length - 1)];
    return s;
  }
}

/** smithy's `escapeUri`, what the SDK puts on the wire. */
export function escapeUri(text: string): string {
  return encodeURIComponent(text).replace(
    /[!'()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}

/** Another valid spelling of the same bytes: lower-case hex, and some unreserved characters escaped. */
function escapeOddly(dice: Dice, text: string): string {
  return escapeUri(text).replace(/%[0-9A-F]{2}|[~a-z]/g, (token) => {
    if (token.startsWith('%')) return dice.chance(0.5) ? token.toLowerCase() : token;
    return dice.chance(0.15) ? `%${token.charCodeAt(0).toString(16).toUpperCase()}` : token;
  });
}

const SERVICES = ['s3', 's3', 'sts', 'iam', 'execute-api', 'service'] as const;
const REGIONS = ['us-east-1', 'eu-west-3', 'ap-southeast-2', ''] as const;
const METHODS = ['GET', 'PUT', 'POST', 'DELETE', 'HEAD', 'PATCH'] as const;
const SEGMENTS = [
  'bucket',
  'Key',
  'dir',
  'hello world',
  'a+b',
  '100%',
  'café',
  '☃',
  '😀',
  '~tilde',
  "it's",
  '(x)',
  '*',
  '!',
  '..',
  '.',
  '',
  'x=y',
  'a;b',
  'a,b',
  'a:b',
  'a@b',
  '$&',
  '%41',
];
const QUERY_KEYS = [
  'a',
  'B',
  'list-type',
  'prefix',
  'x-id',
  'uploads',
  'ünï',
  'sp ace',
  'plus+',
  'pct%',
  'amp&',
  'eq=',
  'tilde~',
  'star*',
  'Param',
  'Param-3',
  'x-amz-meta-q',
];
const QUERY_VALUES = [
  '',
  'v',
  'V2',
  'hello world',
  'a+b',
  '50%',
  'café',
  '😀',
  'x=y&z',
  '~',
  "'q'",
  '*/*',
  '=',
  '&',
  '/',
];
const HEADER_NAMES = [
  'x-amz-meta-a',
  'X-Amz-Meta-Mixed',
  'Content-Type',
  'x-custom',
  'My-Header',
  'x-amz-checksum-crc32',
  'content-md5',
  'accept',
  'x-amz-user-agent',
  'amz-sdk-invocation-id',
  'amz-sdk-request',
];
const HEADER_VALUES = [
  '  lead',
  'trail  ',
  'in   ner',
  'tab\there',
  'a,b',
  'plain',
  'ünï',
  '"a   b   c"',
  'attempt=1; max=3',
];
const TRIMMED_VALUES = ['v1', 'in   ner', 'x y', 'plain', 'z'];
const KEY_CHARS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
const SECRET_CHARS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789/+';
const TOKEN_CHARS = `${SECRET_CHARS}=`;
const STREAMING = [
  'UNSIGNED-PAYLOAD',
  'STREAMING-UNSIGNED-PAYLOAD-TRAILER',
  'STREAMING-AWS4-HMAC-SHA256-PAYLOAD',
  'STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER',
] as const;

export interface GeneratedCase {
  readonly form: 'header' | 'presigned';
  readonly service: string;
  readonly region: string;
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken?: string;
  readonly signingDate: number;
  /** Presigned only. */
  readonly expiresIn: number;
  /** The server's clock: within the skew for header signing, within the validity for presigned URLs. */
  readonly now: number;
  readonly method: string;
  /** What the client signs; for S3 and for encoded paths, also what goes on the wire. */
  readonly path: string;
  readonly query: Record<string, string | string[]>;
  /** Header names as the client spelled them; a value of `a,b` may arrive split (see `splitHeaders`). */
  readonly headers: Record<string, string>;
  /** Lower-case names of headers that arrive as repeated headers, one per comma-separated piece. */
  readonly splitHeaders: readonly string[];
  readonly body?: string | Uint8Array;
  /** smithy `applyChecksum`: whether the signer adds `x-amz-content-sha256` (off: boto3's STS/IAM). */
  readonly applyChecksum: boolean;
  /** Whether the server is given the body's hash. */
  readonly serverHasBody: boolean;
  /** How the Authorization header is re-spaced on its way to the server. */
  readonly authorizationStyle: 'as-signed' | 'no-spaces' | 'extra-spaces' | 'spaces-around-equals';
}

/** Fifteen minutes less a margin, so that a tampered date (±1 s) stays within the allowed skew. */
const SKEW_MARGIN_MS = 15 * 60 * 1000 - 2000;

export function generateCase(dice: Dice): GeneratedCase {
  const service = dice.pick(SERVICES);
  const form = dice.chance(0.5) ? 'header' : 'presigned';
  const s3 = service === 's3';
  const sessionToken = dice.chance(0.4) ? dice.text(TOKEN_CHARS, 40, 120) : undefined;
  const accessKeyId = `${sessionToken === undefined ? 'AKIA' : 'ASIA'}${dice.text(KEY_CHARS, 16, 16)}`;
  const signingDate = Date.UTC(2020, 0, 1) + dice.int(0, 10 * 365 * 86400) * 1000;
  const expiresIn = dice.chance(0.1) ? dice.pick([1, 604_800]) : dice.int(1, 604_800);
  const now =
    form === 'header'
      ? signingDate + dice.int(-SKEW_MARGIN_MS, SKEW_MARGIN_MS)
      : signingDate + dice.int(0, expiresIn) * 1000;

  const raw = !s3 && dice.chance(0.2);
  const segments = Array.from({ length: dice.int(0, 4) }, () => dice.pick(SEGMENTS));
  const path = `/${segments.map((s) => (raw ? s : escapeUri(s))).join('/')}${dice.chance(0.2) ? '/' : ''}`;

  const query: Record<string, string | string[]> = {};
  for (const key of dice.shuffle(QUERY_KEYS).slice(0, dice.int(0, 5))) {
    query[key] = dice.chance(0.25)
      ? Array.from({ length: dice.int(2, 3) }, () => dice.pick(QUERY_VALUES))
      : dice.pick(QUERY_VALUES);
  }

  const headers: Record<string, string> = { host: dice.pick(['example.amazonaws.com', '127.0.0.1:4566']) };
  const splitHeaders: string[] = [];
  for (const name of dice.shuffle(HEADER_NAMES).slice(0, dice.int(0, 4))) {
    if (dice.chance(0.2)) {
      headers[name] = Array.from({ length: dice.int(2, 3) }, () => dice.pick(TRIMMED_VALUES)).join(',');
      splitHeaders.push(name.toLowerCase());
    } else {
      headers[name] = dice.pick(HEADER_VALUES);
    }
  }
  // Headers the signer never signs (smithy ALWAYS_UNSIGNABLE_HEADERS): present on the wire all the same.
  if (dice.chance(0.5)) headers['user-agent'] = 'aws-sdk-js/3 ua/2.1';
  if (dice.chance(0.3)) headers['x-amzn-trace-id'] = 'Root=1-5759e988-bd862e3fe1be46a994272793';

  const body = dice.chance(0.5)
    ? dice.chance(0.5)
      ? `Action=GetCallerIdentity&Version=2011-06-15&n=${dice.int(0, 1e6)}`
      : Uint8Array.from({ length: dice.int(0, 64) }, () => dice.int(0, 255))
    : undefined;
  if (form === 'header' && s3 && dice.chance(0.3)) headers['x-amz-content-sha256'] = dice.pick(STREAMING);
  if (form === 'presigned' && s3) {
    // The JS v3 presigner declares UNSIGNED-PAYLOAD, hoisted into the query; so does S3 by default.
    headers[dice.chance(0.5) ? 'X-Amz-Content-Sha256' : 'x-amz-content-sha256'] = 'UNSIGNED-PAYLOAD';
  }

  return {
    form,
    service,
    region: dice.pick(REGIONS),
    accessKeyId,
    secretAccessKey: dice.text(SECRET_CHARS, 40, 40),
    ...(sessionToken !== undefined ? { sessionToken } : {}),
    signingDate,
    expiresIn,
    now,
    method: dice.pick(METHODS),
    path,
    query,
    headers,
    splitHeaders,
    ...(body !== undefined ? { body } : {}),
    applyChecksum: s3 || dice.chance(0.5),
    serverHasBody: !s3 || dice.chance(0.5),
    authorizationStyle: dice.pick(['as-signed', 'no-spaces', 'extra-spaces', 'spaces-around-equals']),
  };
}

/** The query string the server receives for a query object, in a random order and spelling. */
export function wireQuery(dice: Dice, query: Readonly<Record<string, string | readonly string[]>>): string {
  const pieces: string[] = [];
  for (const [key, value] of Object.entries(query)) {
    for (const v of typeof value === 'string' ? [value] : value) {
      const k = dice.chance(0.3) ? escapeOddly(dice, key) : escapeUri(key);
      if (v === '' && dice.chance(0.3)) pieces.push(k);
      else pieces.push(`${k}=${dice.chance(0.3) ? escapeOddly(dice, v) : escapeUri(v)}`);
    }
  }
  return dice.shuffle(pieces).join('&');
}

/** The headers the server sees: lower-case names, the split ones as repeated headers. */
export function wireHeaders(
  headers: Readonly<Record<string, string>>,
  split: readonly string[],
): HttpHeaders {
  const out: Record<string, string | string[]> = {};
  for (const [name, signed] of Object.entries(headers)) {
    const lower = name.toLowerCase();
    // Sent as the UTF-8 the signer hashed (as botocore sends it); Node's parser hands each byte over as
    // one latin1 character, and the verifier hashes those bytes (sigv4/signature.ts).
    const value = Buffer.from(signed, 'utf8').toString('latin1');
    out[lower] = split.includes(lower) ? value.split(',') : value;
  }
  return out;
}

/** The Authorization header in one of the spellings clients send. */
export function respace(authorization: string, style: GeneratedCase['authorizationStyle']): string {
  switch (style) {
    case 'as-signed':
      return authorization;
    case 'no-spaces':
      return authorization.replace(/, /g, ',');
    case 'extra-spaces':
      return authorization.replace(' ', '   ').replace(/, /g, ' ,  ');
    case 'spaces-around-equals':
      return authorization.replace(/(Credential|SignedHeaders|Signature)=/g, '$1 = ');
  }
}
