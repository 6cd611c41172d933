import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isPublicPolicy } from './public-policy.js';

const policy = (statement: object) => JSON.stringify({ Version: '2012-10-17', Statement: [statement] });
const allow = (extra: object) => ({
  Effect: 'Allow',
  Action: 's3:GetObject',
  Resource: 'arn:aws:s3:::b/*',
  ...extra,
});

test('a wildcard principal without a narrowing condition is public', () => {
  assert.equal(isPublicPolicy(policy(allow({ Principal: '*' }))), true);
  assert.equal(isPublicPolicy(policy(allow({ Principal: { AWS: '*' } }))), true);
  assert.equal(isPublicPolicy(policy(allow({ Principal: { AWS: 'arn:aws:iam::*:root' } }))), true);
  assert.equal(
    isPublicPolicy(policy(allow({ NotPrincipal: { AWS: 'arn:aws:iam::111122223333:root' } }))),
    true,
  );
  assert.equal(isPublicPolicy('not json'), true);
});

test('fixed principals, Deny statements and fixed narrowing conditions are not public', () => {
  assert.equal(
    isPublicPolicy(policy(allow({ Principal: { AWS: 'arn:aws:iam::111122223333:root' } }))),
    false,
  );
  assert.equal(isPublicPolicy(policy({ ...allow({ Principal: '*' }), Effect: 'Deny' })), false);
  const narrowed = (condition: object) =>
    isPublicPolicy(policy(allow({ Principal: '*', Condition: condition })));
  assert.equal(narrowed({ StringEquals: { 'aws:SourceAccount': '111122223333' } }), false);
  assert.equal(narrowed({ IpAddress: { 'aws:SourceIp': '10.0.0.0/16' } }), false);
  assert.equal(narrowed({ StringEquals: { 'aws:PrincipalOrgID': 'o-abc' } }), false);
});

test('wide CIDRs, wildcard values, other keys and negated operators leave it public', () => {
  const narrowed = (condition: object) =>
    isPublicPolicy(policy(allow({ Principal: '*', Condition: condition })));
  assert.equal(narrowed({ IpAddress: { 'aws:SourceIp': '0.0.0.0/0' } }), true);
  assert.equal(narrowed({ IpAddress: { 'aws:SourceIp': '10.0.0.0/7' } }), true);
  assert.equal(narrowed({ StringLike: { 'aws:SourceArn': 'arn:aws:sns:*' } }), true);
  assert.equal(narrowed({ StringEquals: { 'aws:SourceArn': 'arn:aws:sns:*:1:t' } }), true);
  assert.equal(narrowed({ StringEquals: { 's3:prefix': 'home/' } }), true);
  assert.equal(narrowed({ StringNotEquals: { 'aws:SourceAccount': '111122223333' } }), true);
});
