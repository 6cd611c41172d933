import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Finding, PolicyKind } from './types.js';
import { hasErrors, validatePolicy } from './validate.js';

const V = '2012-10-17';
const stmt = (s: Record<string, unknown>) => ({ Version: V, Statement: [s] });
const base = { Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::b/*' };
const codes = (doc: string | object, kind: PolicyKind = 'identity') =>
  validatePolicy(doc, kind).map((f) => f.code);
const find = (doc: string | object, code: string, kind: PolicyKind = 'identity'): Finding | undefined =>
  validatePolicy(doc, kind).find((f) => f.code === code);

test('a clean identity policy has no findings', () => {
  assert.deepEqual(validatePolicy(stmt(base), 'identity'), []);
});

test('Effect "allow" is an error IAM answers with MalformedPolicyDocument', () => {
  const f = find(stmt({ ...base, Effect: 'allow' }), 'INVALID_EFFECT');
  assert.equal(f?.severity, 'error');
  assert.equal(f?.path, '/Statement/0/Effect');
  assert.deepEqual(f?.awsError, { code: 'MalformedPolicyDocument', message: 'Syntax errors in policy.' });
});

test('invalid JSON and duplicate elements are syntax errors', () => {
  assert.deepEqual(codes('{"Statement": ['), ['JSON_SYNTAX_ERROR']);
  const dup = find(
    '{"Version":"2012-10-17","Statement":{"Effect":"Allow","Effect":"Deny","Action":"*","Resource":"*"}}',
    'DUPLICATE_KEY',
  );
  assert.equal(dup?.path, '/Statement/Effect');
});

test('s3:GetObjects is an unknown action, with the nearest one suggested', () => {
  const f = find(stmt({ ...base, Action: 's3:GetObjects' }), 'INVALID_ACTION');
  assert.equal(f?.message, '`s3:GetObjects` matches no s3 action; did you mean `s3:GetObject`?');
});

test('an S3 ARN with a region matches nothing', () => {
  assert.ok(codes(stmt({ ...base, Resource: 'arn:aws:s3:us-east-1::b' })).includes('ARN_REGION_NOT_ALLOWED'));
});

test('s3:ListBucket on object ARNs is a resource mismatch', () => {
  assert.ok(codes(stmt({ ...base, Action: 's3:ListBucket' })).includes('RESOURCE_MISMATCH'));
});

test('StringEquals on an ARN key works but Arn operators are meant', () => {
  const doc = stmt({
    ...base,
    Condition: { StringEquals: { 'aws:SourceArn': 'arn:aws:sns:us-east-1:111122223333:t' } },
  });
  assert.ok(codes(doc).includes('MISMATCHED_TYPE_BUT_USABLE'));
});

test('a wildcard in StringEquals is literal', () => {
  assert.ok(
    codes(stmt({ ...base, Condition: { StringEquals: { 's3:prefix': 'home/*' } } })).includes(
      'WILDCARD_WITHOUT_LIKE_OPERATOR',
    ),
  );
});

test('a date that does not parse is an error', () => {
  const f = find(
    stmt({ ...base, Condition: { DateGreaterThan: { 'aws:CurrentTime': 'yesterday' } } }),
    'INVALID_CONDITION_DATA_TYPE',
  );
  assert.equal(f?.severity, 'error');
});

test('private ranges in aws:SourceIp and host bits are flagged', () => {
  assert.ok(
    codes(stmt({ ...base, Condition: { IpAddress: { 'aws:SourceIp': '10.0.0.0/8' } } })).includes(
      'PRIVATE_IP_ADDRESS',
    ),
  );
  const f = find(
    stmt({ ...base, Condition: { IpAddress: { 'aws:SourceIp': '203.0.113.7/24' } } }),
    'IMPROVE_IP_RANGE',
  );
  assert.match(f?.message ?? '', /203\.0\.113\.0\/24/);
});

test('ForAllValues on a single-valued key is a security warning; a multivalued key needs a qualifier', () => {
  const f = find(
    stmt({ ...base, Condition: { 'ForAllValues:StringEquals': { 'aws:RequestedRegion': 'us-east-1' } } }),
    'FORALLVALUES_WITH_SINGLE_VALUED_KEY',
  );
  assert.equal(f?.severity, 'securityWarning');
  assert.ok(
    codes(stmt({ ...base, Condition: { StringEquals: { 'aws:TagKeys': ['a'] } } })).includes(
      'MISSING_QUALIFIER',
    ),
  );
});

test('identical statements and covered actions are redundant', () => {
  assert.ok(codes({ Version: V, Statement: [base, { ...base }] }).includes('REDUNDANT_STATEMENT'));
  assert.ok(codes(stmt({ ...base, Action: ['s3:*', 's3:GetObject'] })).includes('REDUNDANT_ACTION'));
});

test('variable syntax: missing brace, version 2008, variables in numeric operators', () => {
  assert.ok(
    codes(stmt({ ...base, Resource: 'arn:aws:s3:::b/${aws:username' })).includes('MISSING_BRACE_IN_VARIABLE'),
  );
  assert.ok(
    codes({
      Version: '2008-10-17',
      Statement: [{ ...base, Resource: 'arn:aws:s3:::b/${aws:username}/*' }],
    }).includes('VARIABLE_UNSUPPORTED_IN_VERSION'),
  );
  const f = find(
    stmt({ ...base, Condition: { NumericLessThan: { 's3:max-keys': '${aws:username}' } } }),
    'INVALID_CONDITION_DATA_TYPE',
  );
  assert.equal(f?.severity, 'error');
});

test('identity policies cannot name a principal; resource policies must', () => {
  const f = find(stmt({ ...base, Principal: '*' }), 'UNSUPPORTED_PRINCIPAL');
  assert.equal(f?.awsError?.message, 'Policy document should not specify a principal.');
  assert.equal(
    find(stmt(base), 'MISSING_PRINCIPAL', 'resource')?.awsError?.message,
    'Missing required field Principal',
  );
});

test('trust policies: no Resource, no NotPrincipal, and an OIDC principal wants sub and aud conditions', () => {
  const provider = 'arn:aws:iam::111122223333:oidc-provider/oidc.eks.us-east-1.amazonaws.com/id/ABC';
  const trust = (cond?: object, extra: object = {}) =>
    stmt({
      Effect: 'Allow',
      Principal: { Federated: provider },
      Action: 'sts:AssumeRoleWithWebIdentity',
      ...(cond ? { Condition: cond } : {}),
      ...extra,
    });
  const open = codes(trust(), 'trust');
  assert.ok(open.includes('MISSING_CONDITION_KEY_FOR_OIDC_PRINCIPAL'));
  assert.ok(open.includes('MISSING_AUDIENCE_CONDITION'));
  const tight = trust({
    StringEquals: {
      'oidc.eks.us-east-1.amazonaws.com/id/ABC:sub': 'system:serviceaccount:a:b',
      'oidc.eks.us-east-1.amazonaws.com/id/ABC:aud': 'sts.amazonaws.com',
    },
  });
  assert.deepEqual(validatePolicy(tight, 'trust'), []);
  assert.ok(hasErrors(validatePolicy(trust(undefined, { Resource: '*' }), 'trust')));
});

test('Federated principals belong in trust policies only; partial wildcards in principals are errors', () => {
  const s = { ...base, Principal: { Federated: 'accounts.google.com' } };
  assert.ok(codes(stmt(s), 'resource').includes('FEDERATED_PRINCIPAL_NOT_SUPPORTED'));
  const w = { ...base, Principal: { AWS: 'arn:aws:iam::111122223333:role/team-*' } };
  assert.ok(codes(stmt(w), 'resource').includes('UNSUPPORTED_WILDCARD_IN_PRINCIPAL'));
});

test('Sids: alphanumeric and unique in IAM policies, free-form in bucket policies', () => {
  assert.ok(codes({ Version: V, Statement: [{ ...base, Sid: 'a b' }] }).includes('UNSUPPORTED_SID'));
  assert.ok(
    codes({
      Version: V,
      Statement: [
        { ...base, Sid: 'A' },
        { ...base, Sid: 'A', Action: 's3:PutObject' },
      ],
    }).includes('UNIQUE_SIDS_REQUIRED'),
  );
  const bucket = { Version: V, Statement: [{ ...base, Sid: 'a b', Principal: '*' }] };
  assert.ok(!codes(bucket, 'resource').includes('UNSUPPORTED_SID'));
});

test('size quotas as AWS sets them', () => {
  const many = {
    Version: V,
    Statement: Array.from({ length: 120 }, (_, i) => ({
      ...base,
      Sid: `S${i}`,
      Resource: `arn:aws:s3:::bucket-number-${i}/*`,
    })),
  };
  const f = find(many, 'POLICY_SIZE_EXCEEDED');
  assert.equal(f?.awsError?.code, 'LimitExceeded');
  assert.equal(f?.awsError?.message, 'Cannot exceed quota for PolicySize: 6144');
});

test('characters outside U+0020-U+00FF are refused', () => {
  assert.ok(codes(stmt({ ...base, Sid: 'Ω' })).includes('INVALID_CHARACTERS'));
});

test('a missing Version is a warning: variables would be literal', () => {
  assert.deepEqual(codes({ Statement: [base] }), ['MISSING_VERSION']);
});

test('no false positives on ordinary S3 and IAM resources', () => {
  for (const Resource of [
    'arn:aws:s3:::*',
    'arn:aws:s3:::my-bucket*',
    'arn:aws:s3:us-west-2:123456789012:accesspoint/my-ap/object/*',
    'arn:aws:s3::123456789012:accesspoint/x.mrap/object/*',
    'arn:aws:s3:us-east-1:123456789012:job/*',
  ]) {
    assert.deepEqual(validatePolicy(stmt({ ...base, Resource }), 'identity'), [], Resource);
  }
  assert.deepEqual(
    validatePolicy(
      stmt({ ...base, Action: 'iam:GetPolicy', Resource: 'arn:aws:iam::aws:policy/*' }),
      'identity',
    ),
    [],
  );
});

test('identical statements with conditions are redundant too', () => {
  const s = { ...base, Condition: { Bool: { 'aws:SecureTransport': 'true' } } };
  assert.ok(codes({ Version: V, Statement: [s, { ...s }] }).includes('REDUNDANT_STATEMENT'));
});

test('a Cognito trust policy is judged by its identity pool (aud), not by sub', () => {
  const t = (cond?: object) =>
    stmt({
      Effect: 'Allow',
      Principal: { Federated: 'cognito-identity.amazonaws.com' },
      Action: 'sts:AssumeRoleWithWebIdentity',
      ...(cond ? { Condition: cond } : {}),
    });
  assert.ok(codes(t(), 'trust').includes('MISSING_CONDITION_KEY_FOR_OIDC_PRINCIPAL'));
  assert.deepEqual(
    validatePolicy(t({ StringEquals: { 'cognito-identity.amazonaws.com:aud': 'us-east-1:pool' } }), 'trust'),
    [],
  );
});
