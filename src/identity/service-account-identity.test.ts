import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseGoBool, parseGoInt64, serviceAccountIdentity } from './service-account-identity.js';

const role = 'arn:aws:iam::111122223333:role/app';

test('the four webhook annotations are read under the default prefix', () => {
  assert.deepEqual(
    serviceAccountIdentity({
      'eks.amazonaws.com/role-arn': role,
      'eks.amazonaws.com/audience': 'my-aud',
      'eks.amazonaws.com/sts-regional-endpoints': 'True',
      'eks.amazonaws.com/token-expiration': '7200',
      'other/role-arn': 'ignored',
    }),
    { roleArn: role, audience: 'my-aud', regionalSts: true, tokenExpirationSeconds: 7200 },
  );
});

test('an empty role ARN does not enable mutation; another prefix reads other keys', () => {
  assert.deepEqual(serviceAccountIdentity({ 'eks.amazonaws.com/role-arn': '' }), {});
  assert.deepEqual(serviceAccountIdentity({ 'eks.amazonaws.com/role-arn': role }, 'example.com'), {});
  assert.deepEqual(serviceAccountIdentity({ 'example.com/role-arn': role }, 'example.com'), {
    roleArn: role,
  });
});

test('token-expiration below 600 becomes 600; unparseable values are ignored; no upper clamp', () => {
  const exp = (v: string) =>
    serviceAccountIdentity({ 'eks.amazonaws.com/token-expiration': v }).tokenExpirationSeconds;
  assert.equal(exp('0'), 600);
  assert.equal(exp('-5'), 600);
  assert.equal(exp('+900'), 900);
  assert.equal(exp('999999999'), 999999999);
  assert.equal(exp('soon'), undefined);
  assert.equal(exp('1.5'), undefined);
  assert.equal(exp('99999999999999999999'), undefined);
});

test('Go ParseBool accepts exactly its twelve spellings', () => {
  for (const t of ['1', 't', 'T', 'TRUE', 'true', 'True']) assert.equal(parseGoBool(t), true);
  for (const f of ['0', 'f', 'F', 'FALSE', 'false', 'False']) assert.equal(parseGoBool(f), false);
  for (const bad of ['yes', 'tRUE', '', ' true']) assert.equal(parseGoBool(bad), undefined);
});

test('Go ParseInt rejects out-of-range int64 values', () => {
  assert.equal(parseGoInt64('9223372036854775807'), 2n ** 63n - 1n);
  assert.equal(parseGoInt64('9223372036854775808'), undefined);
  assert.equal(parseGoInt64('-9223372036854775808'), -(2n ** 63n));
});
