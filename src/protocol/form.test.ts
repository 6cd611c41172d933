import assert from 'node:assert/strict';
import { test } from 'node:test';
import { decodeForm, isFormContentType, type FormResult } from './form.js';

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
