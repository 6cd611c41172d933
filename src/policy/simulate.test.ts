import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fixedClock } from '../shared/clock.js';
import { simulate } from './simulate.js';

const clock = fixedClock(Date.UTC(2026, 0, 1, 12));
const ok = {
  principal: 'arn:aws:iam::111122223333:user/alice',
  action: 's3:GetObject',
  resource: 'arn:aws:s3:::b/k',
};

test('malformed requests get an error that says what was expected, and keep their id', () => {
  assert.deepEqual(simulate('x'), { error: 'a simulation request must be a JSON object' });
  assert.equal(
    simulate({ ...ok, id: 'r1', action: 'GetObject' }).error,
    '`action` must be a string such as "s3:GetObject"',
  );
  assert.equal(simulate({ ...ok, id: 'r1', action: 'GetObject' }).id, 'r1');
  assert.equal(
    simulate({ ...ok, principal: 'arn:aws:iam::111122223333:role/R' }).error?.startsWith(
      'a role does not call AWS itself',
    ),
    true,
  );
  assert.equal(simulate({ ...ok, identityPolicy: [] }).error, 'unknown field `identityPolicy`');
  assert.equal(
    simulate({ ...ok, identityPolicies: [42] }).error,
    '`identityPolicies/0` must be a policy document (an object or its JSON text)',
  );
  assert.equal(
    simulate({ ...ok, resourceAccount: '12' }).error,
    '`resourceAccount` must be a 12-digit account id',
  );
});

test('principal context keys and the time are derived unless the request gives them', () => {
  const policy = (cond: object) => [
    { Version: '2012-10-17', Statement: { Effect: 'Allow', Action: 's3:*', Resource: '*', Condition: cond } },
  ];
  assert.equal(
    simulate({ ...ok, identityPolicies: policy({ StringEquals: { 'aws:username': 'alice' } }) }, { clock })
      .decision,
    'allowed',
  );
  assert.equal(
    simulate(
      { ...ok, identityPolicies: policy({ DateLessThan: { 'aws:CurrentTime': '2026-01-01T13:00:00Z' } }) },
      { clock },
    ).decision,
    'allowed',
  );
  assert.equal(
    simulate(
      {
        ...ok,
        context: { 'aws:username': 'bob' },
        identityPolicies: policy({ StringEquals: { 'aws:username': 'alice' } }),
      },
      { clock },
    ).decision,
    'implicitDeny',
  );
  const session = {
    ...ok,
    principal: {
      arn: 'arn:aws:sts::111122223333:assumed-role/R/s1',
      roleArn: 'arn:aws:iam::111122223333:role/team/R',
      roleId: 'AROAEXAMPLE',
    },
  };
  assert.equal(
    simulate(
      {
        ...session,
        identityPolicies: policy({
          StringEquals: {
            'aws:PrincipalArn': 'arn:aws:iam::111122223333:role/team/R',
            'aws:userid': 'AROAEXAMPLE:s1',
          },
        }),
      },
      { clock },
    ).decision,
    'allowed',
  );
});

test('a policy with validation errors reports them and is not allowed', () => {
  const r = simulate(
    {
      ...ok,
      identityPolicies: [
        { Version: '2012-10-17', Statement: { Effect: 'allow', Action: '*', Resource: '*' } },
      ],
    },
    { clock },
  );
  assert.equal(r.decision, 'implicitDeny');
  assert.equal(r.policyErrors?.[0]?.code, 'INVALID_EFFECT');
  assert.equal(r.policyErrors?.[0]?.policy, 'identityPolicies/0');
});

test('named policies are reported by name; trace is opt-in', () => {
  const r = simulate(
    {
      ...ok,
      identityPolicies: [
        {
          name: 'read',
          document:
            '{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:Get*","Resource":"*"}}',
        },
      ],
    },
    { clock },
  );
  assert.equal(r.matchedStatements?.[0]?.policyName, 'read');
  assert.equal(r.trace, undefined);
  assert.equal(simulate({ ...ok, trace: true }, { clock }).trace?.length, 0);
});
