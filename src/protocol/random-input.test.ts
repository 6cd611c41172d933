import assert from 'node:assert/strict';
import { test } from 'node:test';
import { AwsError } from '../shared/aws-error.js';
import { decodeForm } from './form.js';
import { readQueryInput } from './query-input.js';
import { readQueryRequest } from './query-request.js';
import { encodeQueryError, encodeQueryResponse, STS_NAMESPACE } from './query-response.js';
import { boolean, integer, list, map, string, structure, timestamp } from './shape.js';
import { escapeXmlAttribute, escapeXmlText } from './xml.js';
import { seededRandom as random } from '../shared/seeded-random.js';

const RUNS = 2000;

function pick<T>(next: () => number, items: readonly T[]): T {
  return items[Math.floor(next() * items.length)]!;
}

/** Code units 0..0xFFFF, surrogates (paired or not) and astral characters included. */
function anyString(next: () => number, max = 24): string {
  let s = '';
  const n = Math.floor(next() * max);
  for (let i = 0; i < n; i++) {
    const r = next();
    if (r < 0.3)
      s += pick(next, ['<', '>', '&', '"', "'", ']]>', '\r', '\n', '\t', '\u0000', '\ufffe', '%', '+']);
    else if (r < 0.4) s += String.fromCodePoint(0x10000 + Math.floor(next() * 0xfffff));
    else s += String.fromCharCode(Math.floor(next() * 0x10000));
  }
  return s;
}

/** Whole code points only (what encodeURIComponent accepts). */
function wellFormedString(next: () => number, max = 16): string {
  let s = '';
  const n = Math.floor(next() * max);
  for (let i = 0; i < n; i++) {
    const r = next();
    if (r < 0.3) s += pick(next, [' ', '+', '%', '&', '=', '.', '~', "'", '*']);
    else if (r < 0.4) s += String.fromCodePoint(0x10000 + Math.floor(next() * 0xfffff));
    else {
      let c = Math.floor(next() * 0xfffe);
      if (c >= 0xd800 && c <= 0xdfff) c = 0x41;
      s += String.fromCharCode(c);
    }
  }
  return s;
}

function isSafeCharData(text: string): boolean {
  for (const ch of text) {
    const c = ch.codePointAt(0)!;
    const legal =
      c === 0x9 ||
      c === 0xa ||
      c === 0xd ||
      (c >= 0x20 && c <= 0xd7ff) ||
      (c >= 0xe000 && c <= 0xfffd) ||
      (c >= 0x10000 && c <= 0x10ffff);
    if (!legal) return false;
  }
  return !/[<>\r]|&(?!(?:amp|lt|gt|quot|apos|#xD|#x9|#xA);)/.test(text);
}

const shape = structure({
  RoleArn: string({
    required: true,
    min: 20,
    max: 2048,
    pattern: '[\\u0009\\u000A\\u000D\\u0020-\\u007E\\u0085\\u00A0-\\uD7FF\\uE000-\\uFFFD\\u10000-\\u10FFFF]+',
  }),
  RoleSessionName: string({ required: true, min: 2, max: 64, pattern: '[\\w+=,.@-]*' }),
  Token: string({ min: 4, sensitive: true }),
  DurationSeconds: integer({ min: 900, max: 43200 }),
  Flag: boolean(),
  At: timestamp(),
  PolicyArns: list(structure({ arn: string({ min: 20 }) }), { max: 10 }),
  Tags: list(structure({ Key: string({ required: true, min: 1 }), Value: string({ required: true }) }), {
    max: 50,
  }),
  Keys: list(string({ min: 1 }), { max: 50 }),
  Nested: structure({ Inner: structure({ Deep: list(list(string())) }) }),
  Attributes: map(string({ min: 1 }), integer(), { max: 3 }),
  Scope: string({ enum: ['All', 'AWS', 'Local'] }),
});

const KEY_PARTS = [
  'RoleArn',
  'RoleSessionName',
  'Token',
  'DurationSeconds',
  'Flag',
  'At',
  'PolicyArns',
  'Tags',
  'Keys',
  'Nested',
  'Inner',
  'Deep',
  'Attributes',
  'Scope',
  'member',
  'entry',
  'key',
  'value',
  'Key',
  'Value',
  'arn',
  '1',
  '2',
  '3',
  '0',
  '01',
  '1000',
  '1001',
  '',
  'x',
];
const VALUES = [
  '',
  'true',
  'FALSE',
  '900',
  '3600',
  '-1',
  '99999999999',
  'abc',
  '2026-01-01T00:00:00Z',
  'arn:aws:iam::123456789012:role/r',
  'All',
  'a:b',
  'x'.repeat(70),
];

test('random bytes never make form decoding throw, and what decodes is within the limits', () => {
  const next = random(1);
  const alphabet = [
    0x25, 0x2b, 0x26, 0x3d, 0x2e, 0x30, 0x41, 0x46, 0x66, 0x67, 0x61, 0xc3, 0xa9, 0xff, 0x00, 0x0d,
  ];
  const limits = { maxBytes: 64, maxParameters: 5 };
  for (let run = 0; run < RUNS; run++) {
    const bytes = Uint8Array.from({ length: Math.floor(next() * 80) }, () =>
      next() < 0.7 ? pick(next, alphabet) : Math.floor(next() * 256),
    );
    const r = decodeForm(bytes, limits);
    if (r.ok) {
      assert.ok(r.params.size <= 5 && bytes.length <= 64);
      for (const [k, v] of r.params) assert.ok(typeof k === 'string' && typeof v === 'string');
    }
    const q = readQueryRequest({ query: Buffer.from(bytes).toString('latin1'), body: bytes }, limits);
    assert.equal(typeof q.ok, 'boolean');
  }
});

test('any parameters, encoded as botocore or as the JS SDK encodes them, decode back to themselves', () => {
  const next = random(2);
  const python = (s: string) =>
    encodeURIComponent(s)
      .replace(/%20/g, '+')
      .replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  const js = (s: string) =>
    encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  for (let run = 0; run < RUNS; run++) {
    const params = new Map<string, string>();
    const n = Math.floor(next() * 6);
    for (let i = 0; i < n; i++) params.set(`${wellFormedString(next, 6)}${i}`, wellFormedString(next));
    for (const encode of [python, js]) {
      const body = [...params].map(([k, v]) => `${encode(k)}=${encode(v)}`).join('&');
      const r = decodeForm(body);
      assert.ok(r.ok, body);
      assert.deepEqual(r.params, params);
    }
  }
});

test('random parameter maps never make the shape reader throw; every violation is an AWS sentence', () => {
  const next = random(3);
  for (let run = 0; run < RUNS; run++) {
    const params = new Map<string, string>();
    const n = Math.floor(next() * 12);
    for (let i = 0; i < n; i++) {
      const depth = 1 + Math.floor(next() * 6);
      const key = Array.from({ length: depth }, () => pick(next, KEY_PARTS)).join('.');
      params.set(key, next() < 0.8 ? pick(next, VALUES) : anyString(next));
    }
    const r = readQueryInput(shape, params);
    if (!r.ok) {
      assert.ok(r.violations.length > 0);
      for (const v of r.violations) {
        assert.match(v.message, /^Value( null| '[^]*')? at '[^']+' failed to satisfy constraint: Member /);
        if (v.path === 'token') assert.match(v.message, /^Value( null)? at /); // sensitive: never quoted
      }
    } else {
      assert.equal(typeof r.value.RoleSessionName, 'string');
    }
  }
});

test('random strings escape to character data an XML 1.0 parser accepts', () => {
  const next = random(4);
  for (let run = 0; run < RUNS; run++) {
    const s = anyString(next, 40);
    assert.ok(isSafeCharData(escapeXmlText(s)), JSON.stringify(s));
    const attr = escapeXmlAttribute(s);
    assert.ok(isSafeCharData(attr) && !/["'\t\n]/.test(attr), JSON.stringify(s));
  }
});

test('random errors and results never make the encoders throw, and never add an element', () => {
  const next = random(5);
  const out = structure({ A: string(), L: list(string()), S: structure({ B: string() }) });
  for (let run = 0; run < RUNS; run++) {
    const thrown: unknown = pick(next, [
      () =>
        new AwsError(anyString(next, 8), Math.floor(next() * 700), anyString(next), {
          fields: { [anyString(next, 4)]: anyString(next) },
        }),
      () => new AwsError('AccessDenied', 403, anyString(next)),
      () => new Error(anyString(next)),
      () => anyString(next),
      () => undefined,
    ])();
    const e = encodeQueryError(thrown, { namespace: STS_NAMESPACE, requestId: anyString(next, 8) });
    assert.ok(e.status >= 400 && e.status <= 599);
    assert.ok(
      /^<ErrorResponse xmlns="[^"]*">\n {2}<Error>\n {4}<Type>(Sender|Receiver)<\/Type>\n/.test(e.body),
    );
    assert.ok(!/[\r\n]/.test(e.headers['x-amzn-RequestId'] ?? ''));
    const r = encodeQueryResponse(
      { action: 'Op', namespace: STS_NAMESPACE, requestId: anyString(next, 8) },
      out,
      {
        A: anyString(next),
        L: [anyString(next), anyString(next)],
        S: { B: anyString(next) },
      },
    );
    // Response, Result, A, L, member ×2, S, B, ResponseMetadata, RequestId: each opened once.
    assert.equal(r.body.match(/<[A-Za-z]/g)?.length, 10, r.body);
  }
});
