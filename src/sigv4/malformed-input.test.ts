import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { SigV4FailureCode } from './failures.js';
import { parseAuthorization } from './parse-authorization.js';
import type { HttpHeaders, SigV4Request } from './types.js';
import { verifyRequest, type VerifyResult } from './verify-request.js';
import { seededRandom as random } from '../shared/seeded-random.js';

/** Every failure code, checked by the compiler to be exactly the union. */
const CODES: Readonly<Record<SigV4FailureCode, true>> = {
  MissingAuthentication: true,
  AmbiguousAuthentication: true,
  UnsupportedAlgorithm: true,
  IncompleteSignature: true,
  MalformedAuthorization: true,
  MalformedCredential: true,
  MissingDate: true,
  MalformedDate: true,
  CredentialDateMismatch: true,
  WrongRegion: true,
  WrongService: true,
  InvalidExpires: true,
  HeadersNotSigned: true,
  MissingContentSha256: true,
  InvalidContentSha256: true,
  UnknownAccessKey: true,
  RequestTimeTooSkewed: true,
  RequestExpired: true,
  RequestNotYetValid: true,
  SignatureDoesNotMatch: true,
  ContentSha256Mismatch: true,
};

const NOW = Date.UTC(2015, 7, 30, 12, 36, 0);
const AUTHORIZATION =
  'AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=host;x-amz-date, Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31';
const QUERY =
  'X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIDEXAMPLE%2F20150830%2Fus-east-1%2Fs3%2Faws4_request&X-Amz-Date=20150830T123600Z&X-Amz-SignedHeaders=host&X-Amz-Expires=3600&X-Amz-Signature=e93c787ed7f371d5c6b165c1b38ede9550f4dce4144713e844b25b7192d3865d';
const NASTY = [
  ',',
  '=',
  ';',
  '/',
  ' ',
  '\t',
  '\r\n',
  '%',
  '%zz',
  '%ff',
  '%00',
  '&',
  '?',
  'é',
  '😀',
  '\ud800',
  '\u0000',
  'AWS4-HMAC-SHA256',
  'Credential=',
  'SignedHeaders=',
  'Signature=',
  '__proto__',
  'constructor',
];

function check(result: VerifyResult, what: string): void {
  if (result.ok) return;
  assert.ok(Object.hasOwn(CODES, result.failure.code), `${what}: unknown code ${result.failure.code}`);
  assert.equal(typeof result.failure.message, 'string', what);
  assert.ok(result.failure.message.length > 0, what);
}

function run(request: SigV4Request, what: string): void {
  const options = { secretFor: () => 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY', now: NOW };
  const parsed = parseAuthorization(request.headers, request.query);
  if (!parsed.ok) check(parsed, what);
  check(verifyRequest(request, options), what);
  check(
    verifyRequest(request, {
      ...options,
      signingKeys: undefined,
      expectedRegion: 'us-east-1',
      unsignedQueryToken: true,
    }),
    what,
  );
}

function mutate(next: () => number, text: string): string {
  let out = text;
  for (let n = Math.floor(next() * 4) + 1; n > 0; n--) {
    const at = Math.floor(next() * (out.length + 1));
    const op = next();
    if (op < 0.35) out = out.slice(0, at) + out.slice(at + 1 + Math.floor(next() * 8));
    else if (op < 0.8)
      out = out.slice(0, at) + (NASTY[Math.floor(next() * NASTY.length)] ?? '') + out.slice(at);
    else out = out.slice(0, at);
  }
  return out;
}

test('malformed Authorization headers, dates, queries, paths and headers never throw', () => {
  const next = random(0xbad5eed);
  for (let i = 0; i < 3000; i++) {
    const presigned = next() < 0.4;
    const headers: Record<string, string | string[] | undefined> = { host: 'example.amazonaws.com' };
    if (!presigned)
      headers['authorization'] =
        next() < 0.9 ? mutate(next, AUTHORIZATION) : [mutate(next, AUTHORIZATION), AUTHORIZATION];
    if (next() < 0.8)
      headers['x-amz-date'] = next() < 0.5 ? '20150830T123600Z' : mutate(next, '20150830T123600Z');
    if (next() < 0.2) headers['date'] = mutate(next, 'Sun, 30 Aug 2015 12:36:00 GMT');
    if (next() < 0.3) headers['x-amz-content-sha256'] = mutate(next, 'UNSIGNED-PAYLOAD');
    if (next() < 0.2) headers['x-amz-security-token'] = next() < 0.5 ? mutate(next, 'TOKEN') : ['a', 'b'];
    if (next() < 0.1) headers['x-amz-meta-undefined'] = undefined;
    const request: SigV4Request = {
      method: next() < 0.9 ? 'GET' : mutate(next, 'GET'),
      path: next() < 0.5 ? '/' : mutate(next, '/a/./b/../c%20d'),
      query: presigned ? mutate(next, QUERY) : next() < 0.7 ? '' : mutate(next, 'a=1&b=%2F'),
      headers,
      ...(next() < 0.5
        ? { payloadHash: 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855' }
        : {}),
    };
    run(request, `case ${i}: ${JSON.stringify(request)}`);
  }
});

test('degenerate inputs give failures, not exceptions', () => {
  const degenerate: HttpHeaders[] = [
    {},
    { authorization: '' },
    { authorization: ' ' },
    { authorization: [] },
    { authorization: 'AWS4-HMAC-SHA256' },
    { authorization: 'AWS4-HMAC-SHA256 ,,,' },
    { authorization: 'AWS4-HMAC-SHA256 =,=,=', 'x-amz-date': '20150830T123600Z' },
    { authorization: 'AWS4-HMAC-SHA256 Credential=////, SignedHeaders=;, Signature=', 'x-amz-date': '' },
    {
      authorization: 'AWS4-HMAC-SHA256 Credential=/20150830///aws4_request, SignedHeaders=host, Signature=x',
      'x-amz-date': '20150830T123600Z',
    },
    { authorization: `AWS4-HMAC-SHA256 Credential=${'A'.repeat(100_000)}`, 'x-amz-date': '20150830T123600Z' },
    { authorization: AUTHORIZATION, 'x-amz-date': '99999999T999999Z' },
    { authorization: AUTHORIZATION, 'x-amz-date': [] },
    { authorization: AUTHORIZATION, date: [] },
  ];
  for (const headers of degenerate) {
    run({ method: 'GET', path: '/', query: '', headers }, JSON.stringify(headers).slice(0, 200));
  }
  for (const query of [
    'X-Amz-Algorithm',
    'X-Amz-Signature=',
    'X-Amz-Credential=%',
    '%&%=&=%',
    'X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Expires=1e3',
  ]) {
    run({ method: 'GET', path: '', query, headers: {} }, query);
  }
  const r = verifyRequest(
    { method: 'GET', path: '/', query: '', headers: {} },
    { secretFor: () => 'x', now: NOW },
  );
  assert.deepEqual(r.ok ? 'ok' : r.failure.code, 'MissingAuthentication');
});
