/**
 * Property tests: random documents and requests never make the engine throw, and nothing malformed
 * ever grants access. fast-check shrinks any counterexample to a minimal one.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { authorize } from '../../../src/policy/authorize.js';
import { compilePolicy } from '../../../src/policy/compile.js';
import { buildContext } from '../../../src/policy/context.js';
import { parsePrincipal } from '../../../src/policy/principal.js';
import { simulate } from '../../../src/policy/simulate.js';
import type { Principal } from '../../../src/policy/types.js';
import { validatePolicy } from '../../../src/policy/validate.js';

const RUNS = 400;
const principal = parsePrincipal('arn:aws:sts::111122223333:assumed-role/R/s') as Principal;

const operators = [
  'StringEquals',
  'StringNotEquals',
  'StringLike',
  'StringNotLike',
  'StringEqualsIgnoreCase',
  'NumericLessThan',
  'NumericEquals',
  'DateGreaterThan',
  'Bool',
  'IpAddress',
  'NotIpAddress',
  'ArnLike',
  'ArnNotEquals',
  'Null',
  'BinaryEquals',
  'ForAllValues:StringLike',
  'ForAnyValue:StringEquals',
  'StringEqualsIfExists',
  'Nul',
  'stringequals',
];
const keys = [
  'aws:SourceIp',
  'aws:username',
  'aws:PrincipalTag/team',
  'aws:TagKeys',
  'aws:CurrentTime',
  's3:prefix',
  'x',
];
const scalar = fc.oneof(
  fc.string({ maxLength: 12 }),
  fc.integer(),
  fc.boolean(),
  fc.constantFrom('*', '10.0.0.0/8', '2026-01-01', '${aws:username}', 'arn:aws:s3:::b/*', '${'),
);
const anyJson: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    scalar,
    fc.constant(null),
    fc.array(tie('value'), { maxLength: 3 }),
    fc.dictionary(fc.string({ maxLength: 8 }), tie('value'), { maxKeys: 3 }),
  ),
})).value;

const statement = fc.record(
  {
    Sid: fc.oneof(fc.constant('S1'), fc.string({ maxLength: 5 })),
    Effect: fc.constantFrom('Allow', 'Deny', 'allow', 'Maybe', 1),
    Action: fc.oneof(
      fc.constantFrom('*', 's3:*', 's3:Get*', 's3:GetObject', 'iam:*', 'GetObject', 's3::x'),
      fc.array(fc.constantFrom('s3:Get*', 's3:Put*', '*'), { maxLength: 2 }),
      anyJson,
    ),
    NotAction: fc.constantFrom('s3:Delete*', 'iam:*'),
    Resource: fc.oneof(
      fc.constantFrom(
        '*',
        'arn:aws:s3:::b/*',
        'arn:aws:s3:::b/${aws:username}/*',
        'arn:aws:s3:*',
        'bad',
        'arn:aws:s3:::?/k',
      ),
      anyJson,
    ),
    NotResource: fc.constantFrom('arn:aws:s3:::other/*'),
    Principal: fc.oneof(
      fc.constant('*'),
      fc.record({ AWS: fc.constantFrom('111122223333', 'arn:aws:iam::111122223333:role/R', '*') }),
      anyJson,
    ),
    Condition: fc.oneof(
      fc.dictionary(
        fc.constantFrom(...operators),
        fc.dictionary(fc.constantFrom(...keys), fc.oneof(scalar, fc.array(scalar, { maxLength: 3 })), {
          maxKeys: 2,
        }),
        { maxKeys: 2 },
      ),
      anyJson,
    ),
  },
  { requiredKeys: [] },
);
const document = fc.oneof(
  fc.record(
    {
      Version: fc.constantFrom('2012-10-17', '2008-10-17', 'x'),
      Statement: fc.oneof(statement, fc.array(statement, { maxLength: 4 })),
    },
    { requiredKeys: ['Statement'] },
  ),
  anyJson,
);
const context = fc.dictionary(
  fc.constantFrom(...keys),
  fc.oneof(scalar, fc.array(fc.string({ maxLength: 6 }), { maxLength: 3 })),
  { maxKeys: 5 },
);

test('random documents compile, validate and authorize without throwing, whatever they hold', () => {
  fc.assert(
    fc.property(
      document,
      context,
      fc.constantFrom('s3:GetObject', 'iam:CreateUser', 'x', ''),
      fc.constantFrom('arn:aws:s3:::b/k', '*', 'nope'),
      (doc, ctx, action, resource) => {
        const text = JSON.stringify(doc) ?? 'null';
        validatePolicy(text, 'identity');
        validatePolicy(text, 'resource');
        const policy = compilePolicy(text);
        const r = authorize({
          principal,
          action,
          resource,
          context: buildContext(ctx),
          identityPolicies: [policy],
          resourcePolicy: policy,
          trace: true,
        });
        assert.ok(['allowed', 'explicitDeny', 'implicitDeny'].includes(r.decision));
        const fast = authorize({
          principal,
          action,
          resource,
          context: buildContext(ctx),
          identityPolicies: [policy],
          resourcePolicy: policy,
        });
        assert.equal(fast.decision, r.decision);
      },
    ),
    { numRuns: RUNS },
  );
});

test('a policy with errors never allows, however its statements are shaped', () => {
  fc.assert(
    fc.property(fc.array(statement, { minLength: 1, maxLength: 4 }), context, (statements, ctx) => {
      const policy = compilePolicy({ Version: '2012-10-17', Statement: statements });
      fc.pre(policy.errors.length > 0);
      const r = authorize({
        principal,
        action: 's3:GetObject',
        resource: 'arn:aws:s3:::b/k',
        context: buildContext(ctx),
        identityPolicies: [policy],
      });
      assert.notEqual(r.decision, 'allowed');
    }),
    { numRuns: RUNS },
  );
});

test('random JSON text never throws the parser and never allows', () => {
  fc.assert(
    fc.property(fc.string({ maxLength: 200 }), (text) => {
      const policy = compilePolicy(text);
      const r = authorize({
        principal,
        action: 's3:GetObject',
        resource: 'arn:aws:s3:::b/k',
        context: buildContext({}),
        identityPolicies: [policy],
      });
      if (policy.statements.length === 0) assert.notEqual(r.decision, 'allowed');
    }),
    { numRuns: RUNS * 2 },
  );
});

test('random simulation requests get a decision or an error, never an exception', () => {
  fc.assert(
    fc.property(
      anyJson,
      fc.record(
        {
          principal: anyJson,
          action: anyJson,
          resource: anyJson,
          context: anyJson,
          identityPolicies: anyJson,
        },
        { requiredKeys: [] },
      ),
      (a, b) => {
        for (const req of [a, b]) {
          const r = simulate(req);
          assert.ok(r.error !== undefined || r.decision !== undefined);
        }
      },
    ),
    { numRuns: RUNS },
  );
});
