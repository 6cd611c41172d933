import assert from 'node:assert/strict';
import { test } from 'node:test';
import { seededRandom } from '../shared/seeded-random.js';
import { decodeForm } from './form.js';
import {
  MAX_INDEX,
  memberPath,
  parseTimestamp,
  readQueryInput,
  validationError,
  validationMessage,
  type InputResult,
} from './query-input.js';
import { boolean, integer, list, map, string, structure, timestamp, type ValueOf } from './shape.js';

// Shapes as the STS and IAM action files declare them, copied from the botocore models (irsa-wire.md §5.4).
const ARN_PATTERN = String.raw`[\u0009\u000A\u000D\u0020-\u007E\u0085\u00A0-\uD7FF\uE000-\uFFFD\u10000-\u10FFFF]+`;
const arn = (required: boolean) => string({ required, min: 20, max: 2048, pattern: ARN_PATTERN });
const policyArns = list(structure({ arn: arn(false) }), { max: 10 });

const assumeRoleWithWebIdentity = structure({
  RoleArn: string({ required: true, min: 20, max: 2048, pattern: ARN_PATTERN }),
  RoleSessionName: string({ required: true, min: 2, max: 64, pattern: String.raw`[\w+=,.@-]*` }),
  WebIdentityToken: string({ required: true, min: 4, max: 20000, sensitive: true }),
  ProviderId: string({ min: 4, max: 2048 }),
  PolicyArns: policyArns,
  Policy: string({ min: 1, max: 2048, pattern: String.raw`[\u0009\u000A\u000D\u0020-\u00FF]+` }),
  DurationSeconds: integer({ min: 900, max: 43200 }),
});

const TAG_PATTERN = String.raw`[\p{L}\p{Z}\p{N}_.:/=+\-@]*`;
const tag = structure({
  Key: string({ required: true, min: 1, max: 128, pattern: String.raw`[\p{L}\p{Z}\p{N}_.:/=+\-@]+` }),
  Value: string({ required: true, min: 0, max: 256, pattern: TAG_PATTERN }),
});
const assumeRole = structure({
  RoleArn: string({ required: true, min: 20, max: 2048, pattern: ARN_PATTERN }),
  RoleSessionName: string({ required: true, min: 2, max: 64, pattern: String.raw`[\w+=,.@-]*` }),
  PolicyArns: policyArns,
  DurationSeconds: integer({ min: 900, max: 43200 }),
  Tags: list(tag, { max: 50 }),
  TransitiveTagKeys: list(string({ min: 1, max: 128 }), { max: 50 }),
  ProvidedContexts: list(
    structure({ ProviderArn: arn(false), ContextAssertion: string({ min: 4, max: 2048 }) }),
    {
      max: 5,
    },
  ),
});

function read<S extends Parameters<typeof readQueryInput>[0]>(
  shape: S,
  body: string,
): InputResult<ValueOf<S>> {
  const form = decodeForm(body);
  assert.ok(form.ok);
  return readQueryInput(shape, form.params);
}

function message(r: InputResult<unknown>): string {
  assert.ok(!r.ok, 'expected violations');
  return validationMessage(r.violations);
}

const TOKEN =
  'eyJhbGciOiJSUzI1NiIsImtpZCI6ImsxIn0.eyJpc3MiOiJodHRwOi8vMTI3LjAuMC4xOjQ1OTkvb2lkYyIsInN1YiI6InVzZXItMTIzIiwiYXVkIjoibXktY2xpZW50In0.c2lnbmF0dXJl';
const ROLE = 'arn%3Aaws%3Aiam%3A%3A123456789012%3Arole%2Fdemo-role';

test('the JS SDK AssumeRoleWithWebIdentity body reads into the typed input (raw-requests.md §1.1)', () => {
  const r = read(
    assumeRoleWithWebIdentity,
    `Action=AssumeRoleWithWebIdentity&Version=2011-06-15&RoleArn=${ROLE}&RoleSessionName=sess1&WebIdentityToken=${TOKEN}&DurationSeconds=3600`,
  );
  assert.ok(r.ok);
  // The declared shape is the type: required members are there, optional ones may be absent.
  const name: string = r.value.RoleSessionName;
  const duration: number | undefined = r.value.DurationSeconds;
  const arns: readonly { readonly arn?: string }[] | undefined = r.value.PolicyArns;
  assert.equal(name, 'sess1');
  assert.equal(duration, 3600);
  assert.equal(arns, undefined);
  assert.deepEqual(r.value, {
    RoleArn: 'arn:aws:iam::123456789012:role/demo-role',
    RoleSessionName: 'sess1',
    WebIdentityToken: TOKEN,
    DurationSeconds: 3600,
  });
});

test('one invalid session name gives AWS ValidationError message word for word (AWSCore.jl#38)', () => {
  const r = read(
    assumeRoleWithWebIdentity,
    `RoleArn=${ROLE}&RoleSessionName=a%3Ab&WebIdentityToken=${TOKEN}`,
  );
  assert.equal(
    message(r),
    String.raw`1 validation error detected: Value 'a:b' at 'roleSessionName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\w+=,.@-]*`,
  );
  assert.ok(!r.ok);
  const e = validationError(r.violations);
  assert.equal(e.code, 'ValidationError');
  assert.equal(e.status, 400);
  assert.equal(e.fault, 'Sender');
  assert.equal(e.message, message(r));
});

test('a 65-character session name is longer than 64 (kube-aws-iam-controller#16)', () => {
  // The value, with its masked account id (XXXXXX) back to 12 digits.
  const long = 'arn_aws_iam__123456789012_role.kube-fluentd-operator-role-session';
  assert.equal(long.length, 65);
  const r = read(
    assumeRoleWithWebIdentity,
    `RoleArn=${ROLE}&RoleSessionName=${long}&WebIdentityToken=${TOKEN}`,
  );
  assert.equal(
    message(r),
    `1 validation error detected: Value '${long}' at 'roleSessionName' failed to satisfy constraint: Member must have length less than or equal to 64`,
  );
});

test('several errors: counted, joined by "; ", members in model order, pattern before length (aws-runas#80)', () => {
  // The real AssumeRoleWithSAML answer to empty RoleArn and PrincipalArn.
  const assumeRoleWithSaml = structure({
    RoleArn: arn(true),
    PrincipalArn: arn(true),
    SAMLAssertion: string({ required: true, min: 4, max: 100000, sensitive: true }),
  });
  const r = read(assumeRoleWithSaml, 'PrincipalArn=&RoleArn=&SAMLAssertion=PHNhbWw%2B');
  assert.equal(
    message(r),
    `4 validation errors detected: Value '' at 'roleArn' failed to satisfy constraint: Member must satisfy regular expression pattern: ${ARN_PATTERN}; Value '' at 'roleArn' failed to satisfy constraint: Member must have length greater than or equal to 20; Value '' at 'principalArn' failed to satisfy constraint: Member must satisfy regular expression pattern: ${ARN_PATTERN}; Value '' at 'principalArn' failed to satisfy constraint: Member must have length greater than or equal to 20`,
  );
});

test('a duration under 900 is reported with its value quoted (goldstack#425)', () => {
  const r = read(
    assumeRoleWithWebIdentity,
    `RoleArn=${ROLE}&RoleSessionName=s1&WebIdentityToken=${TOKEN}&DurationSeconds=600`,
  );
  assert.equal(
    message(r),
    "1 validation error detected: Value '600' at 'durationSeconds' failed to satisfy constraint: Member must have value greater than or equal to 900",
  );
  const over = read(
    assumeRoleWithWebIdentity,
    `RoleArn=${ROLE}&RoleSessionName=s1&WebIdentityToken=${TOKEN}&DurationSeconds=43201`,
  );
  assert.ok(!over.ok);
  assert.equal(
    over.violations[0]?.message,
    "Value '43201' at 'durationSeconds' failed to satisfy constraint: Member must have value less than or equal to 43200",
  );
});

test('a missing required member is "Value null ... Member must not be null" (aws-sdk-cpp#1252, fog-aws#550)', () => {
  const r = read(assumeRoleWithWebIdentity, `Action=AssumeRoleWithWebIdentity&RoleArn=${ROLE}`);
  assert.equal(
    message(r),
    "2 validation errors detected: Value null at 'roleSessionName' failed to satisfy constraint: Member must not be null; Value null at 'webIdentityToken' failed to satisfy constraint: Member must not be null",
  );
});

test('an empty value is present: it fails its length, not "not null"', () => {
  const r = read(assumeRoleWithWebIdentity, `RoleArn=${ROLE}&RoleSessionName=&WebIdentityToken=${TOKEN}`);
  assert.equal(
    message(r),
    "1 validation error detected: Value '' at 'roleSessionName' failed to satisfy constraint: Member must have length greater than or equal to 2",
  );
});

test('a sensitive member is never quoted: "Value at" (the token is sensitive in the STS model)', () => {
  const r = read(assumeRoleWithWebIdentity, `RoleArn=${ROLE}&RoleSessionName=s1&WebIdentityToken=abc`);
  assert.equal(
    message(r),
    "1 validation error detected: Value at 'webIdentityToken' failed to satisfy constraint: Member must have length greater than or equal to 4",
  );
  assert.ok(!message(r).includes("'abc'"));
});

test('unknown parameters are ignored, Action and Version included', () => {
  const r = read(
    structure({ RoleName: string({ required: true }) }),
    'Action=GetRole&Version=2010-05-08&RoleName=r&Foo=1&RoleName.x=2',
  );
  assert.ok(r.ok);
  assert.deepEqual(r.value, { RoleName: 'r' });
});

test('member.N lists are read in index order, whatever order the keys came in', () => {
  const a1 = 'arn%3Aaws%3Aiam%3A%3Aaws%3Apolicy%2FReadOnlyAccess';
  const a2 = 'arn%3Aaws%3Aiam%3A%3A123456789012%3Apolicy%2Fmine';
  const r = read(
    assumeRole,
    `RoleArn=${ROLE}&RoleSessionName=s1&PolicyArns.member.2.arn=${a2}&PolicyArns.member.1.arn=${a1}&TransitiveTagKeys.member.2=b&TransitiveTagKeys.member.1=a`,
  );
  assert.ok(r.ok);
  assert.deepEqual(r.value.PolicyArns, [
    { arn: 'arn:aws:iam::aws:policy/ReadOnlyAccess' },
    { arn: 'arn:aws:iam::123456789012:policy/mine' },
  ]);
  assert.deepEqual(r.value.TransitiveTagKeys, ['a', 'b']);
});

test('Tags.member.N.Key / .Value read into structures (AssumeRole, irsa-wire.md §5.3)', () => {
  const r = read(
    assumeRole,
    `RoleArn=${ROLE}&RoleSessionName=s1&Tags.member.1.Key=Project&Tags.member.1.Value=Automation&Tags.member.2.Key=team&Tags.member.2.Value=data+eng&TransitiveTagKeys.member.1=Project`,
  );
  assert.ok(r.ok);
  assert.deepEqual(r.value.Tags, [
    { Key: 'Project', Value: 'Automation' },
    { Key: 'team', Value: 'data eng' },
  ]);
  const key: string | undefined = r.value.Tags?.[0]?.Key;
  assert.equal(key, 'Project');
});

test('an invalid tag value is reported at tags.N.member.value (IAM, SWO-GS/auto-tag#90)', () => {
  const r = read(
    assumeRole,
    `RoleArn=${ROLE}&RoleSessionName=s1&Tags.member.1.Key=a&Tags.member.1.Value=b&Tags.member.2.Key=Src&Tags.member.2.Value=x%7By%7D`,
  );
  assert.equal(
    message(r),
    `1 validation error detected: Value 'x{y}' at 'tags.2.member.value' failed to satisfy constraint: Member must satisfy regular expression pattern: ${TAG_PATTERN}`,
  );
});

test('a tag without its Key is a null member at tags.N.member.key', () => {
  const r = read(assumeRole, `RoleArn=${ROLE}&RoleSessionName=s1&Tags.member.1.Value=v`);
  assert.equal(
    message(r),
    "1 validation error detected: Value null at 'tags.1.member.key' failed to satisfy constraint: Member must not be null",
  );
});

test('a gap in a list is a null element, reported, never closed up or cut off', () => {
  const r = read(
    assumeRole,
    `RoleArn=${ROLE}&RoleSessionName=s1&TransitiveTagKeys.member.1=a&TransitiveTagKeys.member.3=c`,
  );
  assert.equal(
    message(r),
    "1 validation error detected: Value null at 'transitiveTagKeys.2.member' failed to satisfy constraint: Member must not be null",
  );
  const noFirst = read(assumeRole, `RoleArn=${ROLE}&RoleSessionName=s1&TransitiveTagKeys.member.2=b`);
  assert.ok(!noFirst.ok);
  assert.deepEqual(
    noFirst.violations.map((v) => v.path),
    ['transitiveTagKeys.1.member'],
  );
});

test('a malformed list index (0, leading zero, not a number, beyond the limit) is a violation, not dropped', () => {
  for (const index of ['0', '01', 'x', '', String(MAX_INDEX + 1), '-1']) {
    const r = read(assumeRole, `RoleArn=${ROLE}&RoleSessionName=s1&TransitiveTagKeys.member.${index}=a`);
    assert.ok(!r.ok, index);
    assert.equal(r.violations[0]?.path, 'transitiveTagKeys', index);
    assert.match(r.violations[0]?.message ?? '', /Member must be indexed from 1 to 1000/);
  }
});

test('a list longer than its max fails with its length, the list shown as Java prints it', () => {
  const keys = Array.from({ length: 11 }, (_, i) => `TransitiveTagKeys.member.${i + 1}=k${i + 1}`).join('&');
  const r = read(structure({ TransitiveTagKeys: list(string(), { max: 10 }) }), keys);
  assert.equal(
    message(r),
    "1 validation error detected: Value '[k1, k2, k3, k4, k5, k6, k7, k8, k9, k10, k11]' at 'transitiveTagKeys' failed to satisfy constraint: Member must have length less than or equal to 10",
  );
  const structs = Array.from(
    { length: 11 },
    (_, i) => `PolicyArns.member.${i + 1}.arn=arn:aws:iam::aws:policy/P${i}`,
  ).join('&');
  const r2 = read(assumeRole, `RoleArn=${ROLE}&RoleSessionName=s1&${structs}`);
  assert.ok(!r2.ok);
  assert.match(r2.violations[0]?.message ?? '', /^Value '\[\{arn=arn:aws:iam::aws:policy\/P0\}, /);
});

test('an empty list may be sent as a bare `PolicyArns=` (JS SDK serializeEmptyLists)', () => {
  const r = read(assumeRole, `RoleArn=${ROLE}&RoleSessionName=s1&PolicyArns=`);
  assert.ok(r.ok);
  assert.deepEqual(r.value.PolicyArns, []);
  const bad = read(assumeRole, `RoleArn=${ROLE}&RoleSessionName=s1&PolicyArns=x`);
  assert.ok(!bad.ok);
  assert.equal(bad.violations[0]?.path, 'policyArns');
});

test('nested structures are Prefix.Field, also inside list elements', () => {
  const r = read(
    assumeRole,
    `RoleArn=${ROLE}&RoleSessionName=s1&ProvidedContexts.member.1.ProviderArn=arn:aws:iam::aws:contextProvider/IdentityCenter&ProvidedContexts.member.1.ContextAssertion=abcd`,
  );
  assert.ok(r.ok);
  assert.deepEqual(r.value.ProvidedContexts, [
    { ProviderArn: 'arn:aws:iam::aws:contextProvider/IdentityCenter', ContextAssertion: 'abcd' },
  ]);
  const shape = structure({
    Filter: structure({ PathPrefix: string({ max: 5 }), Scope: string({ required: true }) }),
  });
  const ok = read(shape, 'Filter.PathPrefix=%2Fa%2F&Filter.Scope=All');
  assert.ok(ok.ok);
  assert.deepEqual(ok.value, { Filter: { PathPrefix: '/a/', Scope: 'All' } });
  assert.equal(
    message(read(shape, 'Filter.PathPrefix=%2Fabcdef')),
    "2 validation errors detected: Value '/abcdef' at 'filter.pathPrefix' failed to satisfy constraint: Member must have length less than or equal to 5; Value null at 'filter.scope' failed to satisfy constraint: Member must not be null",
  );
  // An absent optional structure is absent; a required one is "not null".
  assert.deepEqual(read(shape, 'Other=1'), { ok: true, value: {} });
  const required = structure({ Filter: structure({ Scope: string() }, { required: true }) });
  assert.equal(
    message(read(required, '')),
    "1 validation error detected: Value null at 'filter' failed to satisfy constraint: Member must not be null",
  );
});

test('integers are decimal 32-bit values; anything else is a violation', () => {
  const shape = structure({ MaxItems: integer({ min: 1, max: 1000 }) });
  assert.deepEqual(read(shape, 'MaxItems=100'), { ok: true, value: { MaxItems: 100 } });
  assert.deepEqual(read(shape, 'MaxItems=%2B7'), { ok: true, value: { MaxItems: 7 } });
  for (const bad of ['abc', '1.5', '1e3', '', '+', '%201', '99999999999', '0x10']) {
    const r = read(shape, `MaxItems=${bad}`);
    assert.ok(!r.ok, bad);
    assert.match(
      r.violations[0]?.message ?? '',
      /at 'maxItems' failed to satisfy constraint: Member must be an integer$/,
    );
  }
  assert.equal(
    message(read(shape, 'MaxItems=0')),
    "1 validation error detected: Value '0' at 'maxItems' failed to satisfy constraint: Member must have value greater than or equal to 1",
  );
});

test('booleans are true or false in any case', () => {
  const shape = structure({ OnlyAttached: boolean() });
  assert.deepEqual(read(shape, 'OnlyAttached=true'), { ok: true, value: { OnlyAttached: true } });
  assert.deepEqual(read(shape, 'OnlyAttached=FALSE'), { ok: true, value: { OnlyAttached: false } });
  assert.ok(!read(shape, 'OnlyAttached=yes').ok);
});

test('timestamps are ISO 8601 as botocore and the JS SDK send them, read as epoch milliseconds', () => {
  const shape = structure({ At: timestamp() });
  const at = Date.UTC(2026, 0, 1, 0, 0, 0);
  assert.deepEqual(read(shape, 'At=2026-01-01T00%3A00%3A00Z'), { ok: true, value: { At: at } });
  assert.deepEqual(read(shape, 'At=2026-01-01T00:00:00.123Z'), { ok: true, value: { At: at + 123 } });
  assert.deepEqual(read(shape, 'At=2026-01-01T00:00:00.123456Z'), { ok: true, value: { At: at + 123 } });
  assert.deepEqual(read(shape, 'At=2026-01-01T01:00:00%2B01:00'), { ok: true, value: { At: at } });
  assert.equal(new Date(parseTimestamp('0099-01-01T00:00:00Z')!).getUTCFullYear(), 99);
  for (const bad of [
    '2026-02-30T00:00:00Z',
    '2026-13-01T00:00:00Z',
    '2026-01-01T24:00:00Z',
    '2026-01-01',
    '1767225600',
    '2026-01-01T00:00:00+25:00',
  ]) {
    assert.equal(parseTimestamp(bad), undefined, bad);
    assert.ok(!read(shape, `At=${encodeURIComponent(bad)}`).ok, bad);
  }
});

test('an enum member outside its values says which values it takes', () => {
  const shape = structure({ Scope: string({ enum: ['All', 'AWS', 'Local'] }) });
  const r = read(shape, 'Scope=Local');
  assert.ok(r.ok);
  const scope: 'All' | 'AWS' | 'Local' | undefined = r.value.Scope;
  assert.equal(scope, 'Local');
  assert.equal(
    message(read(shape, 'Scope=None')),
    "1 validation error detected: Value 'None' at 'scope' failed to satisfy constraint: Member must satisfy enum value set: [All, AWS, Local]",
  );
});

test('lengths count code points, as AWS does: an emoji is one', () => {
  const shape = structure({ Name: string({ max: 2 }) });
  assert.ok(read(shape, `Name=${encodeURIComponent('\u{1F600}\u{1F600}')}`).ok);
  assert.ok(!read(shape, `Name=${encodeURIComponent('\u{1F600}\u{1F600}\u{1F600}')}`).ok);
});

test('length bounds decide as a count of code points for texts on either side of them: astral, lone surrogates, ASCII', () => {
  const random = seededRandom(73);
  const units = ['a', '\u00e9', '\u{1F600}', '\ud800', '\udc00', 'z\ud83d'];
  for (let run = 0; run < 3000; run++) {
    const min = Math.floor(random() * 6);
    const max = min + Math.floor(random() * 6);
    const shape = structure({ Name: string({ min, max }) });
    let text = '';
    const n = Math.floor(random() * 16);
    for (let i = 0; i < n; i++) text += units[Math.floor(random() * units.length)] ?? '';
    // The reference count: a low surrogate right after a high one completes it; anything else is one.
    let points = 0;
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      const p = i > 0 ? text.charCodeAt(i - 1) : 0;
      if (!(c >= 0xdc00 && c <= 0xdfff && p >= 0xd800 && p <= 0xdbff)) points++;
    }
    const r = new Map([['Name', text]]);
    const got = readQueryInput(shape, r);
    const constraints = got.ok ? [] : got.violations.map((v) => v.message.replace(/^.*constraint: /s, ''));
    const expected = [
      ...(points < min ? [`Member must have length greater than or equal to ${min}`] : []),
      ...(points > max ? [`Member must have length less than or equal to ${max}`] : []),
    ];
    assert.deepEqual(constraints, expected, JSON.stringify({ text, min, max }));
  }
});

test('maps read Name.entry.N.key / .value into a Map', () => {
  const shape = structure({ Attributes: map(string({ min: 1 }), string({ max: 3 }), { max: 2 }) });
  const r = read(
    shape,
    'Attributes.entry.2.key=b&Attributes.entry.2.value=2&Attributes.entry.1.key=a&Attributes.entry.1.value=1',
  );
  assert.ok(r.ok);
  assert.deepEqual(
    [...(r.value.Attributes ?? [])],
    [
      ['a', '1'],
      ['b', '2'],
    ],
  );
  const bad = read(
    shape,
    'Attributes.entry.1.key=a&Attributes.entry.1.value=toolong&Attributes.entry.2.key=a&Attributes.entry.2.value=1',
  );
  assert.ok(!bad.ok);
  assert.deepEqual(
    bad.violations.map((v) => v.path),
    ['attributes.1.entry.value', 'attributes.2.entry.key'],
  );
  const proto = read(shape, 'Attributes.entry.1.key=__proto__&Attributes.entry.1.value=x');
  assert.ok(proto.ok);
  assert.equal(proto.value.Attributes?.get('__proto__'), 'x');
  assert.equal(({} as Record<string, unknown>).x, undefined);
});

test('AWS prints member names with only the first letter lowered', () => {
  assert.equal(memberPath('RoleSessionName'), 'roleSessionName');
  assert.equal(memberPath('SAMLAssertion'), 'sAMLAssertion');
  assert.equal(memberPath('arn'), 'arn');
});

test('declaring a shape wrongly is a TypeError when the action module loads', () => {
  assert.throws(() => string({ pattern: '[' }), TypeError);
  assert.throws(() => string({ min: 5, max: 2 }), TypeError);
  assert.throws(() => integer({ min: 1.5 }), TypeError);
  assert.throws(() => structure({ 'Bad.Name': string() }), TypeError);
});
