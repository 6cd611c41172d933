import assert from 'node:assert/strict';
import { test } from 'node:test';
import { simulate } from './simulate.js';
import { fixedClock } from '../shared/clock.js';

const clock = fixedClock(Date.UTC(2026, 0, 1));
const issuer = 'oidc.eks.us-east-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B716D3041E';
const provider = `arn:aws:iam::111122223333:oidc-provider/${issuer}`;

function trustRequest(condition: object, context: object) {
  return {
    principal: { federated: provider },
    action: 'sts:AssumeRoleWithWebIdentity',
    resource: 'arn:aws:iam::111122223333:role/team-a-reader',
    context,
    resourcePolicy: {
      Version: '2012-10-17',
      Statement: [
        {
          Sid: 'Irsa',
          Effect: 'Allow',
          Principal: { Federated: provider },
          Action: 'sts:AssumeRoleWithWebIdentity',
          Condition: condition,
        },
      ],
    },
  };
}

test('a denied AssumeRoleWithWebIdentity names the statement, the key, the expected and the actual value', () => {
  const r = simulate(
    trustRequest(
      { StringEquals: { [`${issuer}:sub`]: 'system:serviceaccount:team-a:app' } },
      { [`${issuer}:sub`]: 'system:serviceaccount:team-b:app' },
    ),
    { clock },
  );
  assert.equal(r.decision, 'implicitDeny');
  assert.equal(r.reason, 'noTrustAllow');
  assert.match(r.explanation ?? '', /resource policy, statement `Irsa`/);
  assert.match(
    r.explanation ?? '',
    /expected `system:serviceaccount:team-a:app`, the request has `system:serviceaccount:team-b:app`/,
  );
});

test('hint: a wildcard in StringEquals is literal', () => {
  const r = simulate(
    trustRequest(
      { StringEquals: { [`${issuer}:sub`]: 'system:serviceaccount:team-a:*' } },
      { [`${issuer}:sub`]: 'system:serviceaccount:team-a:app' },
    ),
    { clock },
  );
  assert.match(
    r.explanation ?? '',
    /hint: `\*` and `\?` are literal characters in StringEquals; use StringLike/,
  );
});

test('hint: the service account name was put in aud', () => {
  const r = simulate(
    trustRequest(
      { StringEquals: { [`${issuer}:aud`]: 'system:serviceaccount:team-a:app' } },
      { [`${issuer}:aud`]: 'sts.amazonaws.com' },
    ),
    { clock },
  );
  assert.match(
    r.explanation ?? '',
    /hint: `.*:aud` is the token's audience; a service-account name belongs in `.*:sub`/,
  );
});

test('hint: a case difference in StringEquals', () => {
  const r = simulate(
    trustRequest(
      { StringEquals: { [`${issuer}:sub`]: 'system:serviceaccount:Team-A:app' } },
      { [`${issuer}:sub`]: 'system:serviceaccount:team-a:app' },
    ),
    { clock },
  );
  assert.match(r.explanation ?? '', /differ only in case/);
});

test("hint: the key names another issuer than the token's", () => {
  const r = simulate(
    trustRequest(
      { StringEquals: { 'oidc.example.com:sub': 'system:serviceaccount:team-a:app' } },
      { [`${issuer}:sub`]: 'system:serviceaccount:team-a:app' },
    ),
    { clock },
  );
  assert.match(
    r.explanation ?? '',
    /the request has `oidc\.eks\.us-east-1\.amazonaws\.com\/id\/exampled539d4633e53de1b716d3041e:sub`: is the provider/,
  );
});

test('hint: s3:ListBucket applies to the bucket, not its objects', () => {
  const r = simulate(
    {
      principal: 'arn:aws:iam::111122223333:user/alice',
      action: 's3:ListBucket',
      resource: 'arn:aws:s3:::team-a',
      identityPolicies: [
        {
          Version: '2012-10-17',
          Statement: { Effect: 'Allow', Action: 's3:ListBucket', Resource: 'arn:aws:s3:::team-a/*' },
        },
      ],
    },
    { clock },
  );
  assert.match(r.explanation ?? '', /applies to the bucket ARN `arn:aws:s3:::team-a`, not to its objects/);
});

test("an explicit deny names the denying statement and gives AWS's sentence", () => {
  const r = simulate(
    {
      principal: 'arn:aws:iam::111122223333:user/alice',
      action: 's3:DeleteObject',
      resource: 'arn:aws:s3:::b/k',
      identityPolicies: [
        {
          Version: '2012-10-17',
          Statement: [
            { Sid: 'NoDelete', Effect: 'Deny', Action: 's3:Delete*', Resource: '*' },
            { Effect: 'Allow', Action: '*', Resource: '*' },
          ],
        },
      ],
    },
    { clock },
  );
  assert.equal(r.decision, 'explicitDeny');
  assert.match(
    r.explanation ?? '',
    /\n {2}aws: User: arn:aws:iam::111122223333:user\/alice is not authorized to perform: s3:DeleteObject on resource: arn:aws:s3:::b\/k with an explicit deny in an identity-based policy\n/,
  );
  assert.match(r.explanation ?? '', /denied by identity policy #0, statement `NoDelete`/);
});

test('a failed Null check says whether the key should be absent or present', () => {
  const r = simulate(
    {
      principal: 'arn:aws:iam::111122223333:user/alice',
      action: 's3:GetObject',
      resource: 'arn:aws:s3:::b/k',
      context: { 'aws:TokenIssueTime': '2026-01-01T00:00:00Z' },
      identityPolicies: [
        {
          Version: '2012-10-17',
          Statement: {
            Effect: 'Allow',
            Action: '*',
            Resource: '*',
            Condition: { Null: { 'aws:TokenIssueTime': 'true' } },
          },
        },
      ],
    },
    { clock },
  );
  assert.match(
    r.explanation ?? '',
    /condition Null on `aws:TokenIssueTime` failed: expected the key to be absent, the request has `2026-01-01T00:00:00Z`/,
  );
});
