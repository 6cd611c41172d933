import assert from 'node:assert/strict';
import { isUtf8 } from 'node:buffer';
import { test } from 'node:test';
import { seededRandom } from '../shared/seeded-random.js';
import { decodeForm, isFormContentType, type FormFailure, type FormLimits, type FormResult } from './form.js';

// Bodies exactly as the real clients sent them (docs/raw-requests.md, captured 2026-12-04).
const TOKEN =
  'eyJhbGciOiJSUzI1NiIsImtpZCI6ImsxIn0.eyJpc3MiOiJodHRwOi8vMTI3LjAuMC4xOjQ1OTkvb2lkYyIsInN1YiI6InVzZXItMTIzIiwiYXVkIjoibXktY2xpZW50In0.c2lnbmF0dXJl';
/** §1.1 JS SDK v3 and §2.1 boto3: the same 317 bytes. */
const ARWWI_JS =
  'Action=AssumeRoleWithWebIdentity&Version=2011-06-15&RoleArn=arn%3Aaws%3Aiam%3A%3A123456789012%3Arole%2Fdemo-role&RoleSessionName=sess1&WebIdentityToken=eyJhbGciOiJSUzI1NiIsImtpZCI6ImsxIn0.eyJpc3MiOiJodHRwOi8vMTI3LjAuMC4xOjQ1OTkvb2lkYyIsInN1YiI6InVzZXItMTIzIiwiYXVkIjoibXktY2xpZW50In0.c2lnbmF0dXJl&DurationSeconds=3600';
/** §3.1 aws-cli 2.9.19 (no DurationSeconds, 296 bytes). */
const ARWWI_CLI =
  'Action=AssumeRoleWithWebIdentity&Version=2011-06-15&RoleArn=arn%3Aaws%3Aiam%3A%3A123456789012%3Arole%2Fdemo-role&RoleSessionName=sess1&WebIdentityToken=eyJhbGciOiJSUzI1NiIsImtpZCI6ImsxIn0.eyJpc3MiOiJodHRwOi8vMTI3LjAuMC4xOjQ1OTkvb2lkYyIsInN1YiI6InVzZXItMTIzIiwiYXVkIjoibXktY2xpZW50In0.c2lnbmF0dXJl';
/** §1.2 / §2.2 AssumeRole (119 bytes). */
const ASSUME_ROLE =
  'Action=AssumeRole&Version=2011-06-15&RoleArn=arn%3Aaws%3Aiam%3A%3A123456789012%3Arole%2Fdemo-role&RoleSessionName=sess1';
/** §1.3 / §2.3 / §3.2 GetCallerIdentity (43 bytes). */
const GET_CALLER_IDENTITY = 'Action=GetCallerIdentity&Version=2011-06-15';
/** §1.4 JS SDK IAM CreateRole (359 bytes). */
const CREATE_ROLE_JS =
  'Action=CreateRole&Version=2010-05-08&RoleName=demo-role&AssumeRolePolicyDocument=%7B%22Version%22%3A%222012-10-17%22%2C%22Statement%22%3A%5B%7B%22Effect%22%3A%22Allow%22%2C%22Principal%22%3A%7B%22Federated%22%3A%22arn%3Aaws%3Aiam%3A%3A123456789012%3Aoidc-provider%2F127.0.0.1%3A4599%2Foidc%22%7D%2C%22Action%22%3A%22sts%3AAssumeRoleWithWebIdentity%22%7D%5D%7D';
/** §2.4 boto3 IAM create_role (146 bytes). */
const CREATE_ROLE_BOTO3 =
  'Action=CreateRole&Version=2010-05-08&RoleName=demo-role&AssumeRolePolicyDocument=%7B%22Version%22%3A%222012-10-17%22%2C%22Statement%22%3A%5B%5D%7D';
/** §1.12 credential-providers fromWebToken (nested-clients 3.998.4, 295 bytes). */
const FROM_WEB_TOKEN =
  'Action=AssumeRoleWithWebIdentity&Version=2011-06-15&RoleArn=arn%3Aaws%3Aiam%3A%3A123456789012%3Arole%2Fdemo-role&RoleSessionName=fed1&WebIdentityToken=eyJhbGciOiJSUzI1NiIsImtpZCI6ImsxIn0.eyJpc3MiOiJodHRwOi8vMTI3LjAuMC4xOjQ1OTkvb2lkYyIsInN1YiI6InVzZXItMTIzIiwiYXVkIjoibXktY2xpZW50In0.c2lnbmF0dXJl';

function params(r: FormResult): Record<string, string> {
  assert.ok(r.ok, r.ok ? '' : JSON.stringify(r.failure));
  return Object.fromEntries(r.params);
}

test('the captured bodies are the lengths their Content-Length said', () => {
  assert.deepEqual(
    [
      ARWWI_JS,
      ARWWI_CLI,
      ASSUME_ROLE,
      GET_CALLER_IDENTITY,
      CREATE_ROLE_JS,
      CREATE_ROLE_BOTO3,
      FROM_WEB_TOKEN,
    ].map((b) => Buffer.byteLength(b)),
    [317, 296, 119, 43, 359, 146, 295],
  );
});

test('AssumeRoleWithWebIdentity from the JS SDK and boto3 decodes to its parameters', () => {
  assert.deepEqual(params(decodeForm(ARWWI_JS)), {
    Action: 'AssumeRoleWithWebIdentity',
    Version: '2011-06-15',
    RoleArn: 'arn:aws:iam::123456789012:role/demo-role',
    RoleSessionName: 'sess1',
    WebIdentityToken: TOKEN,
    DurationSeconds: '3600',
  });
  const cli = params(decodeForm(ARWWI_CLI));
  assert.equal(cli.DurationSeconds, undefined);
  assert.equal(cli.WebIdentityToken, TOKEN);
  assert.equal(params(decodeForm(FROM_WEB_TOKEN)).RoleSessionName, 'fed1');
});

test('AssumeRole, GetCallerIdentity and CreateRole decode, policy JSON included', () => {
  assert.deepEqual(params(decodeForm(ASSUME_ROLE)), {
    Action: 'AssumeRole',
    Version: '2011-06-15',
    RoleArn: 'arn:aws:iam::123456789012:role/demo-role',
    RoleSessionName: 'sess1',
  });
  assert.deepEqual(params(decodeForm(GET_CALLER_IDENTITY)), {
    Action: 'GetCallerIdentity',
    Version: '2011-06-15',
  });
  const js = params(decodeForm(CREATE_ROLE_JS));
  assert.equal(js.Version, '2010-05-08');
  assert.deepEqual(JSON.parse(js.AssumeRolePolicyDocument!), {
    Version: '2012-10-17',
    Statement: [
      {
        Effect: 'Allow',
        Principal: { Federated: 'arn:aws:iam::123456789012:oidc-provider/127.0.0.1:4599/oidc' },
        Action: 'sts:AssumeRoleWithWebIdentity',
      },
    ],
  });
  assert.equal(
    params(decodeForm(CREATE_ROLE_BOTO3)).AssumeRolePolicyDocument,
    '{"Version":"2012-10-17","Statement":[]}',
  );
});

test('a body given as bytes decodes like the same body given as text', () => {
  assert.deepEqual(params(decodeForm(Buffer.from(ARWWI_JS))), params(decodeForm(ARWWI_JS)));
  const inside = Buffer.from(`xx${ASSUME_ROLE}yy`).subarray(2, 2 + ASSUME_ROLE.length);
  assert.deepEqual(params(decodeForm(inside)), params(decodeForm(ASSUME_ROLE)));
});

test('a space is + from botocore (Python urlencode) and %20 from the JS SDK, and both decode alike', () => {
  assert.equal(params(decodeForm('Description=my+first+role')).Description, 'my first role');
  assert.equal(params(decodeForm('Description=my%20first%20role')).Description, 'my first role');
  // A literal plus is %2B; a + in a name is a space too.
  assert.deepEqual(params(decodeForm('a+b=1%2B1')), { 'a b': '1+1' });
  // The JS SDK's extendedEncodeURIComponent also escapes !'()*.
  assert.equal(params(decodeForm('Policy=%21%27%28%29%2A')).Policy, "!'()*");
});

test('percent-escapes decode to UTF-8, in either case of hex digit, astral characters included', () => {
  assert.equal(params(decodeForm('v=%C3%A9%c3%a9')).v, 'éé');
  assert.equal(params(decodeForm('v=%F0%9F%98%80')).v, '\u{1F600}');
  // Raw UTF-8 bytes (not percent-encoded) are read as UTF-8 too.
  assert.equal(params(decodeForm(Buffer.from('v=é'))).v, 'é');
});

test('empty sequences are skipped, a name without = has an empty value, and only the first = splits', () => {
  assert.deepEqual(params(decodeForm('&&a=1&&b&c=&d==x&')), { a: '1', b: '', c: '', d: '=x' });
  assert.deepEqual(params(decodeForm('')), {});
  // The JS SDK may send an empty list as a bare `PolicyArns=` (irsa-wire.md §5.3).
  assert.deepEqual(params(decodeForm('PolicyArns=')), { PolicyArns: '' });
});

test('a % not followed by two hex digits is a badEncoding failure, not a literal %', () => {
  for (const bad of ['a=%', 'a=%4', 'a=%zz', 'a=%4g', '%=1', 'a=100%']) {
    const r = decodeForm(bad);
    assert.equal(r.ok, false, bad);
    if (!r.ok) assert.equal(r.failure.kind, 'badEncoding', bad);
  }
});

test('bytes that are not UTF-8 are a badEncoding failure, whether escaped or raw', () => {
  for (const bad of ['a=%FF', 'a=%C3', 'a=%C3%28', 'a=%ED%A0%80' /* an encoded surrogate */]) {
    const r = decodeForm(bad);
    assert.ok(!r.ok && r.failure.kind === 'badEncoding', bad);
  }
  const raw = decodeForm(Buffer.from([0x61, 0x3d, 0xff]));
  assert.ok(!raw.ok && raw.failure.kind === 'badEncoding');
});

test('a parameter given twice is a failure: no value silently wins', () => {
  const r = decodeForm('RoleSessionName=a&RoleSessionName=b');
  assert.deepEqual(r, { ok: false, failure: { kind: 'duplicateParameter', name: 'RoleSessionName' } });
  // Equal after decoding is the same name.
  const r2 = decodeForm('Role%53essionName=a&RoleSessionName=b');
  assert.ok(!r2.ok && r2.failure.kind === 'duplicateParameter');
});

test('the number of parameters and the size of the body are bounded', () => {
  const limits = { maxBytes: 100, maxParameters: 3 };
  assert.ok(decodeForm('a=1&b=2&c=3', limits).ok);
  assert.deepEqual(decodeForm('a=1&b=2&c=3&d=4', limits), {
    ok: false,
    failure: { kind: 'tooManyParameters', limit: 3 },
  });
  assert.deepEqual(decodeForm(`a=${'x'.repeat(99)}`, limits), {
    ok: false,
    failure: { kind: 'tooLarge', limit: 100 },
  });
  // The default allows 1000 parameters.
  const many = Array.from({ length: 1001 }, (_, i) => `p${i}=1`).join('&');
  assert.ok(!decodeForm(many).ok);
  assert.ok(decodeForm(many.slice(0, many.lastIndexOf('&'))).ok);
});

test('a form Content-Type is recognised with or without charset, in any case', () => {
  for (const ct of [
    'application/x-www-form-urlencoded',
    'application/x-www-form-urlencoded; charset=utf-8',
    'application/x-www-form-urlencoded; charset=UTF-8',
    'Application/X-WWW-Form-Urlencoded;charset="utf-8"',
    ' application/x-www-form-urlencoded ; charset=iso-8859-1',
  ]) {
    assert.equal(isFormContentType(ct), true, ct);
  }
  for (const ct of [
    undefined,
    '',
    'application/json',
    'text/xml',
    'application/x-www-form-urlencodedx',
    'multipart/form-data',
  ]) {
    assert.equal(isFormContentType(ct), false, String(ct));
  }
});

/**
 * The decoder before its fast path (session 6), kept as the reference: every component scanned byte by
 * byte, its bytes taken as they are when none is `%`, `+` or above 0x7F, else decoded and read as UTF-8.
 */
function referenceDecodeForm(bytes: Uint8Array, limits: FormLimits): FormResult {
  const hex = (b: number) =>
    b >= 0x30 && b <= 0x39
      ? b - 0x30
      : b >= 0x41 && b <= 0x46
        ? b - 0x37
        : b >= 0x61 && b <= 0x66
          ? b - 0x57
          : -1;
  const component = (start: number, end: number): string | FormFailure => {
    const slice = bytes.subarray(start, end);
    if (slice.every((b) => b !== 0x25 && b !== 0x2b && b < 0x80))
      return Buffer.from(slice).toString('latin1');
    const out: number[] = [];
    for (let i = start; i < end; i++) {
      const b = bytes[i] ?? 0;
      if (b === 0x2b) out.push(0x20);
      else if (b === 0x25) {
        const hi = i + 1 < end ? hex(bytes[i + 1] ?? 0) : -1;
        const lo = i + 2 < end ? hex(bytes[i + 2] ?? 0) : -1;
        if (hi < 0 || lo < 0)
          return { kind: 'badEncoding', detail: `\`%\` not followed by two hex digits at byte ${i}` };
        out.push((hi << 4) | lo);
        i += 2;
      } else out.push(b);
    }
    if (!isUtf8(Uint8Array.from(out))) {
      return { kind: 'badEncoding', detail: `bytes that are not UTF-8 in the parameter at byte ${start}` };
    }
    return Buffer.from(out).toString('utf8');
  };
  if (bytes.length > limits.maxBytes)
    return { ok: false, failure: { kind: 'tooLarge', limit: limits.maxBytes } };
  const params = new Map<string, string>();
  let start = 0;
  while (start <= bytes.length) {
    let end = bytes.indexOf(0x26, start);
    if (end < 0) end = bytes.length;
    if (end > start) {
      if (params.size >= limits.maxParameters) {
        return { ok: false, failure: { kind: 'tooManyParameters', limit: limits.maxParameters } };
      }
      let eq = bytes.indexOf(0x3d, start);
      if (eq < 0 || eq > end) eq = end;
      const name = component(start, eq);
      if (typeof name !== 'string') return { ok: false, failure: name };
      const value = component(Math.min(eq + 1, end), end);
      if (typeof value !== 'string') return { ok: false, failure: value };
      if (params.has(name)) return { ok: false, failure: { kind: 'duplicateParameter', name } };
      params.set(name, value);
    }
    start = end + 1;
  }
  return { ok: true, params };
}

test('decodeForm answers exactly as the byte-by-byte reference on random bodies: escapes, +, bad escapes, UTF-8 and not', () => {
  const random = seededRandom(61);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
  // Pieces of components: plain text, good escapes (ASCII, 2- and 4-byte UTF-8), `+`, and now and then
  // a bad escape, a raw UTF-8 character, a raw byte that is not UTF-8, a stray `=` or an empty piece.
  const good = [
    'arn',
    'aws',
    'x',
    'Z9',
    '.-_~',
    '%3A',
    '%2f',
    '%C3%A9',
    '%F0%9F%98%80',
    '+',
    '%2B',
    '%25',
    '%26',
  ];
  const rare = ['%', '%G1', '%4', '\u00e9', '\u{1F600}', '\xff', '=', ''];
  const unescaped = good.slice(0, 5);
  let pieces = good;
  const component = () => {
    let text = '';
    const n = Math.floor(random() * 5);
    for (let i = 0; i < n; i++) text += random() < 0.08 ? pick(rare) : pick(pieces);
    return text;
  };
  const limits: FormLimits = { maxBytes: 400, maxParameters: 12 };
  let escaped = 0;
  let plain = 0;
  for (let run = 0; run < 4000; run++) {
    // A third of the bodies without any escape in their good pieces: the fast path's case.
    pieces = random() < 0.33 ? unescaped : good;
    const pairs = Array.from({ length: Math.floor(random() * 8) }, (_, i) => {
      const name = `${component()}${random() < 0.9 ? i : ''}`;
      return random() < 0.1 ? name : `${name}=${component()}`;
    });
    const text = pairs.join(random() < 0.1 ? '&&' : '&');
    // Non-ASCII pieces as UTF-8, except `\xff`, which stays one byte that is not UTF-8.
    const body = Buffer.concat(
      text
        .split('\xff')
        .flatMap((part, i) => (i === 0 ? [Buffer.from(part)] : [Buffer.of(0xff), Buffer.from(part)])),
    );
    const expected = referenceDecodeForm(body, limits);
    assert.deepEqual(decodeForm(body, limits), expected, text);
    // A view into a larger buffer decodes the same.
    const slab = Buffer.concat([Buffer.from('x=1&'), body, Buffer.from('&y=2')]);
    assert.deepEqual(decodeForm(slab.subarray(4, 4 + body.length), limits), expected);
    if (expected.ok && expected.params.size > 0) {
      if (/[%+\u0080-\uffff]/u.test(text)) escaped++;
      else plain++;
    }
  }
  assert.ok(escaped > 500 && plain > 100, `${escaped} escaped and ${plain} plain bodies decoded`);
});
