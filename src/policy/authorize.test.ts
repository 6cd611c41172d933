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
  assert.equal(authorize(req({ resourcePolicy: byRole, permissionsBoundary: boundary })).reason, 'boundary');
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

const sessionRequest = (over: Partial<AuthorizationRequest>) => req({ principal: session, ...over });
const doc = (statement: object) => compilePolicy({ Version: '2012-10-17', Statement: [statement] });

test('NotResource with an unresolvable variable fails closed: the Allow applies to nothing, the Deny to everything', () => {
  const allowAll = doc({ Effect: 'Allow', Action: 's3:*', Resource: '*' });
  const deny = doc({ Effect: 'Deny', Action: 's3:*', NotResource: 'arn:aws:s3:::b/home/${aws:username}/*' });
  assert.equal(authorize(sessionRequest({ identityPolicies: [allowAll, deny] })).decision, 'explicitDeny');
  const allow = doc({
    Effect: 'Allow',
    Action: 's3:*',
    NotResource: 'arn:aws:s3:::b/home/${aws:username}/*',
  });
  assert.equal(authorize(sessionRequest({ identityPolicies: [allow] })).decision, 'implicitDeny');
  // Resolved, the exclusion works as written.
  const alice = req({ principal: user, identityPolicies: [allow], resource: 'arn:aws:s3:::b/home/alice/x' });
  assert.equal(
    authorize({ ...alice, context: buildContext({ 'aws:username': 'alice' }) }).decision,
    'implicitDeny',
  );
  assert.equal(authorize({ ...alice, context: buildContext({ 'aws:username': 'bob' }) }).decision, 'allowed');
});

test('only a trust policy may leave out Resource: a bucket policy without one grants nothing', () => {
  const bucket = doc({ Effect: 'Allow', Principal: '*', Action: 's3:GetObject' });
  const r = authorize(req({ principal: { type: 'anonymous' }, resourcePolicy: bucket }));
  assert.equal(r.decision, 'implicitDeny');
  assert.equal(r.reason, 'policyErrors');
  const trust = doc({
    Effect: 'Allow',
    Principal: { Federated: 'accounts.google.com' },
    Action: 'sts:AssumeRoleWithWebIdentity',
  });
  const t = authorize(
    req({
      principal: { type: 'federated', provider: 'accounts.google.com' },
      action: 'sts:AssumeRoleWithWebIdentity',
      resource: 'arn:aws:iam::111122223333:role/R',
      resourcePolicy: trust,
    }),
  );
  assert.equal(t.decision, 'allowed');
});

test('${*} stays literal in ARN conditions, and a substituted value cannot cross an ARN component', () => {
  const literal = doc({
    Effect: 'Allow',
    Action: 's3:*',
    Resource: '*',
    Condition: { ArnLike: { 'aws:SourceArn': 'arn:aws:sns:us-east-1:111122223333:${*}' } },
  });
  const ctx = (arn: string, extra: Record<string, string> = {}) =>
    buildContext({ 'aws:SourceArn': arn, ...extra });
  assert.equal(
    authorize(
      req({ identityPolicies: [literal], context: ctx('arn:aws:sns:us-east-1:111122223333:anything') }),
    ).decision,
    'implicitDeny',
  );
  assert.equal(
    authorize(req({ identityPolicies: [literal], context: ctx('arn:aws:sns:us-east-1:111122223333:*') }))
      .decision,
    'allowed',
  );
  const shifted = doc({
    Effect: 'Allow',
    Action: 's3:*',
    Resource: '*',
    Condition: { ArnLike: { 'aws:SourceArn': 'arn:aws:sns:${aws:PrincipalTag/r}:111122223333:*' } },
  });
  const attack = ctx('arn:aws:sns:us-east-1:999999999999:111122223333:q', {
    'aws:PrincipalTag/r': 'us-east-1:999999999999',
  });
  assert.equal(authorize(req({ identityPolicies: [shifted], context: attack })).decision, 'implicitDeny');
  const honest = ctx('arn:aws:sns:us-east-1:111122223333:q', { 'aws:PrincipalTag/r': 'us-east-1' });
  assert.equal(authorize(req({ identityPolicies: [shifted], context: honest })).decision, 'allowed');
});

test('the deny reason names what stopped a role grant: boundary or session policy, not identity policies', () => {
  const byRole = doc({
    Effect: 'Allow',
    Principal: { AWS: 'arn:aws:iam::111122223333:role/team-a' },
    Action: 's3:GetObject',
    Resource: '*',
  });
  const onlyPut = doc({ Effect: 'Allow', Action: 's3:PutObject', Resource: '*' });
  assert.equal(authorize(req({ resourcePolicy: byRole, sessionPolicy: onlyPut })).reason, 'sessionPolicy');
  assert.equal(authorize(req({ resourcePolicy: byRole, permissionsBoundary: onlyPut })).reason, 'boundary');
});

test('across accounts, a resource-policy allow without an identity allow says so', () => {
  const bob = parsePrincipal('arn:aws:iam::444455556666:user/bob') as Principal;
  const byAccount = doc({
    Effect: 'Allow',
    Principal: { AWS: '444455556666' },
    Action: 's3:GetObject',
    Resource: '*',
  });
  const r = authorize(req({ principal: bob, resourceAccount: '111122223333', resourcePolicy: byAccount }));
  assert.equal(r.reason, 'crossAccountNoIdentityAllow');
});

test('the cache keys an object by what compilation sees, and never throws on values JSON cannot hold', () => {
  const cache = new PolicyCache();
  const good = { Version: '2012-10-17', Statement: { Effect: 'Allow', Action: '*', Resource: '*' } };
  assert.deepEqual(cache.compile(good).errors, []);
  const withDate = {
    Version: '2012-10-17',
    Statement: {
      Effect: 'Allow',
      Action: '*',
      Resource: '*',
      Condition: { DateLessThan: { 'aws:CurrentTime': new Date(0) } },
    },
  };
  assert.ok(cache.compile(withDate).errors.length > 0);
  const withBigInt = {
    Version: '2012-10-17',
    Statement: { Effect: 'Allow', Action: '*', Resource: BigInt(1) },
  };
  assert.ok(cache.compile(withBigInt).errors.length > 0);
});

test('the policy cache keeps one compilation per document and name, and evicts the least recently used text', () => {
  const cache = new PolicyCache(2);
  const text = '{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:*","Resource":"*"}}';
  const trust = cache.compile(text, { name: 'trust policy' });
  const session = cache.compile(text, { name: 'session policy' });
  assert.notEqual(trust, session, 'the name labels the errors, so each name has its own compilation');
  assert.equal(cache.compile(text, { name: 'trust policy' }), trust);
  // A text equal in content but built anew is the same document.
  assert.equal(
    cache.compile(JSON.parse(JSON.stringify(text)) as string, { name: 'session policy' }),
    session,
  );
  cache.compile('{"Statement":[], "Id":"b"}');
  assert.equal(cache.compile(text, { name: 'trust policy' }), trust, 'used last, so kept');
  cache.compile('{"Statement":[], "Id":"c"}'); // evicts "b", the least recently used
  assert.equal(cache.compile(text, { name: 'trust policy' }), trust);
  const bad = cache.compile('{"Statement":', { name: 'session policy' });
  assert.match(bad.errors[0]?.message ?? '', /^the policy is not valid JSON: /);
});
