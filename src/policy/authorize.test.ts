import assert from 'node:assert/strict';
import { test } from 'node:test';
import { authorize, type AuthorizationRequest } from './authorize.js';
import { compilePolicy, PolicyCache } from './compile.js';
import { buildContext } from './context.js';
import { parsePrincipal } from './principal.js';
import type { Principal } from './types.js';

const session = parsePrincipal('arn:aws:sts::111122223333:assumed-role/team-a/s1') as Principal;
const user = parsePrincipal('arn:aws:iam::111122223333:user/alice') as Principal;

function req(over: Partial<AuthorizationRequest>): AuthorizationRequest {
  return {
    principal: session,
    action: 's3:GetObject',
    resource: 'arn:aws:s3:::team-a/k',
    context: buildContext({}),
    identityPolicies: [],
    ...over,
  };
}

const allowGet = compilePolicy({
  Version: '2012-10-17',
  Statement: [{ Sid: 'Read', Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::team-a/*' }],
});

test('with no policy at all, a request is implicitly denied', () => {
  const r = authorize(req({}));
  assert.equal(r.decision, 'implicitDeny');
  assert.equal(r.reason, 'noIdentityAllow');
  assert.deepEqual(r.matchedStatements, []);
});

test('an identity Allow allows, and names the statement that did', () => {
  const r = authorize(req({ identityPolicies: [allowGet] }));
  assert.equal(r.decision, 'allowed');
  assert.deepEqual(r.matchedStatements, [
    {
      policy: 'identity',
      policyIndex: 0,
      statementIndex: 0,
      sid: 'Read',
      effect: 'Allow',
      path: '/Statement/0',
    },
  ]);
});

test('an explicit Deny anywhere beats every Allow, and only the Deny is reported', () => {
  const deny = compilePolicy({
    Version: '2012-10-17',
    Statement: { Effect: 'Deny', Action: 's3:*', Resource: '*' },
  });
  const r = authorize(req({ identityPolicies: [allowGet], permissionsBoundary: deny }));
  assert.equal(r.decision, 'explicitDeny');
  assert.deepEqual(
    r.matchedStatements.map((m) => m.policy),
    ['boundary'],
  );
});

test('only statements whose Action or NotAction covers the action are consulted', () => {
  const p = compilePolicy({
    Version: '2012-10-17',
    Statement: [
      { Effect: 'Deny', Action: 'ec2:*', Resource: '*' },
      { Effect: 'Allow', NotAction: 'iam:*', Resource: '*' },
    ],
  });
  assert.deepEqual(
    p.candidates('s3:getobject').allow.map((s) => s.index),
    [1],
  );
  assert.deepEqual(p.candidates('s3:getobject').deny, []);
  assert.deepEqual(
    p.candidates('ec2:runinstances').deny.map((s) => s.index),
    [0],
  );
  assert.deepEqual(p.candidates('iam:createuser').allow, []);
  assert.equal(authorize(req({ identityPolicies: [p] })).decision, 'allowed');
  assert.equal(
    authorize(req({ identityPolicies: [p], action: 'ec2:RunInstances', resource: '*' })).decision,
    'explicitDeny',
  );
  assert.equal(
    authorize(req({ identityPolicies: [p], action: 'iam:CreateUser', resource: '*' })).decision,
    'implicitDeny',
  );
});

test('a policy with errors grants nothing, but its valid Deny still denies', () => {
  const broken = compilePolicy({
    Version: '2012-10-17',
    Statement: [
      {
        Effect: 'Allow',
        Action: 's3:*',
        Resource: '*',
        Condition: { StringEqualz: { 'aws:username': 'x' } },
      },
      { Effect: 'Allow', Action: 's3:GetObject', Resource: '*' },
    ],
  });
  assert.ok(broken.errors.length > 0);
  const r = authorize(req({ identityPolicies: [broken] }));
  assert.equal(r.decision, 'implicitDeny');
  assert.equal(r.reason, 'policyErrors');
  assert.match(r.issues[0] ?? '', /unknown condition operator `StringEqualz`/);

  const withDeny = compilePolicy(
    '{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Action":"s3:GetObject","Resource":"*"},{"Effect":"Allow","Effect":"Allow","Action":"*","Resource":"*"}]}',
  );
  assert.equal(authorize(req({ identityPolicies: [withDeny] })).decision, 'explicitDeny');
});

test('an identity policy that names a principal, or lacks a resource, grants nothing', () => {
  const named = compilePolicy({
    Version: '2012-10-17',
    Statement: { Effect: 'Allow', Principal: '*', Action: 's3:*', Resource: '*' },
  });
  assert.equal(authorize(req({ identityPolicies: [named] })).reason, 'policyErrors');
  const noResource = compilePolicy({ Version: '2012-10-17', Statement: { Effect: 'Allow', Action: 's3:*' } });
  assert.equal(authorize(req({ identityPolicies: [noResource] })).reason, 'policyErrors');
});

test('the trace records every statement with the sub-results that decided it', () => {
  const p = compilePolicy({
    Version: '2012-10-17',
    Statement: [
      { Effect: 'Allow', Action: 's3:ListBucket', Resource: 'arn:aws:s3:::team-a' },
      {
        Effect: 'Allow',
        Action: 's3:GetObject',
        Resource: '*',
        Condition: { IpAddress: { 'aws:SourceIp': '203.0.113.0/24' } },
      },
    ],
  });
  const r = authorize(
    req({ identityPolicies: [p], context: buildContext({ 'aws:SourceIp': '198.51.100.1' }), trace: true }),
  );
  assert.equal(r.decision, 'implicitDeny');
  assert.equal(r.trace?.length, 2);
  assert.equal(r.trace?.[0]?.actionMatch, false);
  const c = r.trace?.[1]?.conditions[0];
  assert.equal(c?.matched, false);
  assert.equal(c?.reason, 'valueMismatch');
  assert.equal(c?.requestValue, '198.51.100.1');
});

test('missing context keys are those a relevant statement used and the request lacked', () => {
  const p = compilePolicy({
    Version: '2012-10-17',
    Statement: [
      {
        Effect: 'Allow',
        Action: 's3:GetObject',
        Resource: '*',
        Condition: { Bool: { 'aws:SecureTransport': 'true' } },
      },
      { Effect: 'Allow', Action: 'ec2:*', Resource: '*', Condition: { StringEquals: { 'ec2:Region': 'x' } } },
      { Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::home/${aws:username}/*' },
    ],
  });
  const r = authorize(req({ identityPolicies: [p] }));
  assert.deepEqual(r.missingContextKeys, ['aws:SecureTransport']);
});

test('authorize is total: hostile values never throw', () => {
  const p = compilePolicy({
    Version: '2012-10-17',
    Statement: { Effect: 'Allow', Action: '*', Resource: '*' },
  });
  for (const resource of ['', ':::::', 'arn:', '\u0000'.repeat(10), 'x'.repeat(100000)]) {
    for (const action of ['', ':', 's3:', ':x', 'a:b:c']) {
      const r = authorize(req({ identityPolicies: [p], action, resource }));
      assert.ok(['allowed', 'implicitDeny', 'explicitDeny'].includes(r.decision));
    }
  }
});

test('the policy cache compiles a document once and keeps a bounded number', () => {
  const cache = new PolicyCache(2);
  const a = cache.compile('{"Statement":[]}');
  assert.equal(cache.compile('{"Statement":[]}'), a);
  cache.compile('{"Statement":[], "Id":"b"}');
  cache.compile('{"Statement":[], "Id":"c"}');
  assert.notEqual(cache.compile('{"Statement":[]}'), a);
});

test('a resource policy naming the role of a session is still limited by the boundary; one naming the session is not', () => {
  const boundary = compilePolicy({
    Version: '2012-10-17',
    Statement: { Effect: 'Allow', Action: 'ec2:*', Resource: '*' },
  });
  const byRole = compilePolicy({
    Version: '2012-10-17',
    Statement: {
      Effect: 'Allow',
      Principal: { AWS: 'arn:aws:iam::111122223333:role/team-a' },
      Action: 's3:GetObject',
      Resource: '*',
    },
  });
  const bySession = compilePolicy({
    Version: '2012-10-17',
    Statement: {
      Effect: 'Allow',
      Principal: { AWS: session.type === 'assumedRole' ? session.arn : '' },
      Action: 's3:GetObject',
      Resource: '*',
    },
  });
  assert.equal(
    authorize(req({ resourcePolicy: byRole, permissionsBoundary: boundary })).reason,
    'noIdentityAllow',
  );
  assert.equal(authorize(req({ resourcePolicy: byRole })).decision, 'allowed');
  assert.equal(
    authorize(req({ resourcePolicy: bySession, permissionsBoundary: boundary })).decision,
    'allowed',
  );
});

test('IAM users are matched by ARN in resource policies, and their account alone only delegates', () => {
  const byAccount = compilePolicy({
    Version: '2012-10-17',
    Statement: { Effect: 'Allow', Principal: { AWS: '111122223333' }, Action: 's3:GetObject', Resource: '*' },
  });
  assert.equal(authorize(req({ principal: user, resourcePolicy: byAccount })).decision, 'implicitDeny');
  assert.equal(
    authorize(req({ principal: user, resourcePolicy: byAccount, identityPolicies: [allowGet] })).decision,
    'allowed',
  );
});
