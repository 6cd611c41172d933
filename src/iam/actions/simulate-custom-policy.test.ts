import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ACCOUNT, invoke, rootContext } from '../testdata/context.js';
import { simulateCustomPolicy } from './simulate-custom-policy.js';

/** AWS's own example (AWS CLI reference, simulate-custom-policy, example 1), byte for byte. */
const DYNAMO =
  '{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"dynamodb:*","Resource":"*","Condition":{"DateGreaterThan":{"aws:CurrentTime":"2018-08-16T12:00:00Z"}}}}';

const date = (v: string) => ({
  'ContextEntries.member.1.ContextKeyName': 'aws:CurrentTime',
  'ContextEntries.member.1.ContextKeyValues.member.1': v,
  'ContextEntries.member.1.ContextKeyType': 'date',
});

test("SimulateCustomPolicy reproduces AWS's example: allowed, PolicyInputList.1 at line 1 columns 38 to 167", async () => {
  const { ctx, store } = await rootContext();
  const out = await invoke(simulateCustomPolicy, ctx, {
    'PolicyInputList.member.1': DYNAMO,
    'ActionNames.member.1': 'dynamodb:CreateBackup',
    ...date('2019-04-25T11:00:00Z'),
  });
  assert.deepEqual(out.EvaluationResults, [
    {
      EvalActionName: 'dynamodb:CreateBackup',
      EvalResourceName: '*',
      EvalDecision: 'allowed',
      MatchedStatements: [
        {
          SourcePolicyId: 'PolicyInputList.1',
          SourcePolicyType: 'none',
          StartPosition: { Line: 1, Column: 38 },
          EndPosition: { Line: 1, Column: 167 },
        },
      ],
      MissingContextValues: [],
    },
  ]);
  assert.equal(out.IsTruncated, false);
  await store.close();
});

test("SimulateCustomPolicy reproduces AWS's example 2: a date before the condition's is implicitDeny with no statements", async () => {
  const { ctx, store } = await rootContext();
  const out = await invoke(simulateCustomPolicy, ctx, {
    'PolicyInputList.member.1': DYNAMO,
    'ActionNames.member.1': 'dynamodb:CreateBackup',
    ...date('2014-04-25T11:00:00Z'),
  });
  assert.equal(out.EvaluationResults?.[0]?.EvalDecision, 'implicitDeny');
  assert.deepEqual(out.EvaluationResults?.[0]?.MatchedStatements, []);
  await store.close();
});

test('SimulateCustomPolicy without the condition key is implicitDeny with the key in MissingContextValues', async () => {
  const { ctx, store } = await rootContext();
  const out = await invoke(simulateCustomPolicy, ctx, {
    'PolicyInputList.member.1': DYNAMO,
    'ActionNames.member.1': 'dynamodb:CreateBackup',
  });
  assert.equal(out.EvaluationResults?.[0]?.EvalDecision, 'implicitDeny');
  assert.deepEqual(out.EvaluationResults?.[0]?.MissingContextValues, ['aws:CurrentTime']);
  await store.close();
});

const MULTILINE = `{
  "Version": "2012-10-17",
  "Statement": [
    { "Effect": "Allow", "Action": "s3:*", "Resource": "*" },
    {
      "Sid": "NoDelete",
      "Effect": "Deny",
      "Action": "s3:DeleteObject",
      "Resource": "arn:aws:s3:::b/*"
    }
  ]
}`;

test('an explicit deny is the only matched statement, with its line and column in a multi-line document', async () => {
  const { ctx, store } = await rootContext();
  const out = await invoke(simulateCustomPolicy, ctx, {
    'PolicyInputList.member.1': MULTILINE,
    'ActionNames.member.1': 's3:DeleteObject',
    'ActionNames.member.2': 's3:GetObject',
    'ResourceArns.member.1': 'arn:aws:s3:::b/k',
  });
  const [del, get] = out.EvaluationResults ?? [];
  assert.equal(del?.EvalDecision, 'explicitDeny');
  assert.deepEqual(del?.MatchedStatements, [
    {
      SourcePolicyId: 'PolicyInputList.1',
      SourcePolicyType: 'none',
      StartPosition: { Line: 5, Column: 6 },
      EndPosition: { Line: 10, Column: 6 },
    },
  ]);
  assert.equal(del?.EvalResourceName, 'arn:aws:s3:::b/k');
  assert.equal(del?.ResourceSpecificResults?.[0]?.EvalResourceDecision, 'explicitDeny');
  assert.deepEqual(del?.EvalDecisionDetails, new Map());
  assert.equal(get?.EvalDecision, 'allowed');
  assert.deepEqual(get?.MatchedStatements?.[0]?.StartPosition, { Line: 4, Column: 6 });
  await store.close();
});

test('a permissions boundary input limits the identity policies and reports AllowedByPermissionsBoundary', async () => {
  const { ctx, store } = await rootContext();
  const boundary = JSON.stringify({
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: '*' }],
  });
  const out = await invoke(simulateCustomPolicy, ctx, {
    'PolicyInputList.member.1': MULTILINE,
    'PermissionsBoundaryPolicyInputList.member.1': boundary,
    'ActionNames.member.1': 's3:GetObject',
    'ActionNames.member.2': 's3:PutObject',
  });
  const [get, put] = out.EvaluationResults ?? [];
  assert.equal(get?.EvalDecision, 'allowed');
  assert.deepEqual(get?.PermissionsBoundaryDecisionDetail, { AllowedByPermissionsBoundary: true });
  assert.deepEqual(
    get?.MatchedStatements?.map((s) => s.SourcePolicyId),
    ['PolicyInputList.1', 'PermissionsBoundaryPolicyInputList.1'],
  );
  assert.equal(put?.EvalDecision, 'implicitDeny');
  assert.deepEqual(put?.PermissionsBoundaryDecisionDetail, { AllowedByPermissionsBoundary: false });
  await store.close();
});

test('a resource policy naming CallerArn allows without any identity allow, in the same account', async () => {
  const { ctx, store } = await rootContext();
  const caller = `arn:aws:iam::${ACCOUNT}:user/alice`;
  const bucketPolicy = JSON.stringify({
    Version: '2012-10-17',
    Statement: [
      { Effect: 'Allow', Principal: { AWS: caller }, Action: 's3:GetObject', Resource: 'arn:aws:s3:::b/*' },
    ],
  });
  const out = await invoke(simulateCustomPolicy, ctx, {
    'PolicyInputList.member.1': '{"Version":"2012-10-17","Statement":[]}',
    'ActionNames.member.1': 's3:GetObject',
    'ResourceArns.member.1': 'arn:aws:s3:::b/k',
    ResourcePolicy: bucketPolicy,
    CallerArn: caller,
    ResourceOwner: ACCOUNT,
  });
  const r = out.EvaluationResults?.[0];
  assert.equal(r?.EvalDecision, 'allowed');
  assert.equal(r?.MatchedStatements?.[0]?.SourcePolicyId, 'ResourcePolicy');
  assert.equal(r?.MatchedStatements?.[0]?.SourcePolicyType, 'resource');
  await store.close();
});

test('across accounts the resource policy alone is not enough, and EvalDecisionDetails says which side refused', async () => {
  const { ctx, store } = await rootContext();
  const caller = `arn:aws:iam::${ACCOUNT}:user/alice`;
  const bucketPolicy = JSON.stringify({
    Version: '2012-10-17',
    Statement: [
      { Effect: 'Allow', Principal: { AWS: caller }, Action: 's3:GetObject', Resource: 'arn:aws:s3:::b/*' },
    ],
  });
  const out = await invoke(simulateCustomPolicy, ctx, {
    'PolicyInputList.member.1': '{"Version":"2012-10-17","Statement":[]}',
    'ActionNames.member.1': 's3:GetObject',
    'ResourceArns.member.1': 'arn:aws:s3:::b/k',
    ResourcePolicy: bucketPolicy,
    CallerArn: caller,
    ResourceOwner: '444455556666',
  });
  const r = out.EvaluationResults?.[0];
  assert.equal(r?.EvalDecision, 'implicitDeny');
  assert.deepEqual(
    r?.EvalDecisionDetails,
    new Map([
      ['IAM Policy', 'implicitDeny'],
      ['Resource Policy', 'allowed'],
    ]),
  );
  await store.close();
});

test('a ResourcePolicy without CallerArn is InvalidInput 400', async () => {
  const { ctx, store } = await rootContext();
  await assert.rejects(
    invoke(simulateCustomPolicy, ctx, {
      'PolicyInputList.member.1': DYNAMO,
      'ActionNames.member.1': 's3:GetObject',
      ResourcePolicy: '{"Version":"2012-10-17","Statement":[]}',
    }),
    { code: 'InvalidInput', status: 400, message: 'CallerArn is required when a ResourcePolicy is given.' },
  );
  await store.close();
});

test('a malformed policy in PolicyInputList is InvalidInput 400 with the message IAM gives the document', async () => {
  const { ctx, store } = await rootContext();
  await assert.rejects(
    invoke(simulateCustomPolicy, ctx, {
      'PolicyInputList.member.1': '{nope',
      'ActionNames.member.1': 's3:GetObject',
    }),
    { code: 'InvalidInput', status: 400, message: 'Syntax errors in policy.' },
  );
  const withPrincipal = JSON.stringify({
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Principal: '*', Action: 's3:*', Resource: '*' }],
  });
  await assert.rejects(
    invoke(simulateCustomPolicy, ctx, {
      'PolicyInputList.member.1': withPrincipal,
      'ActionNames.member.1': 's3:GetObject',
    }),
    { code: 'InvalidInput', status: 400, message: 'Policy document should not specify a principal.' },
  );
  await store.close();
});

test('MaxItems pages the results with IsTruncated and a Marker that continues them', async () => {
  const { ctx, store } = await rootContext();
  const params = {
    'PolicyInputList.member.1': MULTILINE,
    'ActionNames.member.1': 's3:GetObject',
    'ActionNames.member.2': 's3:PutObject',
    'ActionNames.member.3': 's3:DeleteObject',
    MaxItems: '2',
  };
  const first = await invoke(simulateCustomPolicy, ctx, params);
  assert.equal(first.IsTruncated, true);
  assert.deepEqual(
    first.EvaluationResults?.map((r) => r.EvalActionName),
    ['s3:GetObject', 's3:PutObject'],
  );
  const second = await invoke(simulateCustomPolicy, ctx, { ...params, Marker: first.Marker ?? '' });
  assert.equal(second.IsTruncated, false);
  assert.equal(second.Marker, undefined);
  assert.deepEqual(
    second.EvaluationResults?.map((r) => r.EvalActionName),
    ['s3:DeleteObject'],
  );
  await assert.rejects(invoke(simulateCustomPolicy, ctx, { ...params, Marker: 'bogus' }), {
    code: 'InvalidInput',
    message: 'Invalid Marker.',
  });
  await store.close();
});

test('context entries are typed: a stringList is multivalued, a bad boolean is InvalidInput', async () => {
  const { ctx, store } = await rootContext();
  const policy = JSON.stringify({
    Version: '2012-10-17',
    Statement: [
      {
        Effect: 'Allow',
        Action: 'iam:TagRole',
        Resource: '*',
        Condition: {
          'ForAllValues:StringEquals': { 'aws:TagKeys': ['a', 'b'] },
          Bool: { 'aws:SecureTransport': 'true' },
        },
      },
    ],
  });
  const out = await invoke(simulateCustomPolicy, ctx, {
    'PolicyInputList.member.1': policy,
    'ActionNames.member.1': 'iam:TagRole',
    'ContextEntries.member.1.ContextKeyName': 'aws:TagKeys',
    'ContextEntries.member.1.ContextKeyValues.member.1': 'a',
    'ContextEntries.member.1.ContextKeyValues.member.2': 'b',
    'ContextEntries.member.1.ContextKeyType': 'stringList',
    'ContextEntries.member.2.ContextKeyName': 'aws:SecureTransport',
    'ContextEntries.member.2.ContextKeyValues.member.1': 'TRUE',
    'ContextEntries.member.2.ContextKeyType': 'boolean',
  });
  assert.equal(out.EvaluationResults?.[0]?.EvalDecision, 'allowed');
  await assert.rejects(
    invoke(simulateCustomPolicy, ctx, {
      'PolicyInputList.member.1': policy,
      'ActionNames.member.1': 'iam:TagRole',
      'ContextEntries.member.1.ContextKeyName': 'aws:SecureTransport',
      'ContextEntries.member.1.ContextKeyValues.member.1': 'yes',
      'ContextEntries.member.1.ContextKeyType': 'boolean',
    }),
    {
      code: 'InvalidInput',
      status: 400,
      message:
        'ContextEntries.member.1: value yes of context key aws:SecureTransport is not a valid boolean.',
    },
  );
  await store.close();
});

test('ResourceHandlingOption answers 501 InternalFailure "ResourceHandlingOption is not implemented"', async () => {
  const { ctx, store } = await rootContext();
  await assert.rejects(
    invoke(simulateCustomPolicy, ctx, {
      'PolicyInputList.member.1': DYNAMO,
      'ActionNames.member.1': 'ec2:RunInstances',
      ResourceHandlingOption: 'EC2-VPC-EBS',
    }),
    { code: 'InternalFailure', status: 501, message: 'ResourceHandlingOption is not implemented' },
  );
  await store.close();
});

test('an action name without a service prefix is InvalidInput 400', async () => {
  const { ctx, store } = await rootContext();
  await assert.rejects(
    invoke(simulateCustomPolicy, ctx, {
      'PolicyInputList.member.1': DYNAMO,
      'ActionNames.member.1': 'GetObject',
    }),
    {
      code: 'InvalidInput',
      status: 400,
      message: 'Action GetObject must be of the form service:ActionName.',
    },
  );
  await store.close();
});

test('SimulateCustomPolicy is authorized as iam:SimulateCustomPolicy on *', async () => {
  const { ctx, store } = await rootContext();
  assert.deepEqual(simulateCustomPolicy.authorize({ PolicyInputList: [], ActionNames: [] }, ctx), [
    { action: 'iam:SimulateCustomPolicy', resource: '*' },
  ]);
  await store.close();
});

test('a Deny in the permissions boundary is an explicit deny, and the boundary does not allow', async () => {
  const { ctx, store } = await rootContext();
  const boundary = JSON.stringify({
    Version: '2012-10-17',
    Statement: [
      { Effect: 'Allow', Action: 's3:*', Resource: '*' },
      { Effect: 'Deny', Action: 's3:GetObject', Resource: '*' },
    ],
  });
  const out = await invoke(simulateCustomPolicy, ctx, {
    'PolicyInputList.member.1': MULTILINE,
    'PermissionsBoundaryPolicyInputList.member.1': boundary,
    'ActionNames.member.1': 's3:GetObject',
  });
  const r = out.EvaluationResults?.[0];
  assert.equal(r?.EvalDecision, 'explicitDeny');
  assert.deepEqual(r?.PermissionsBoundaryDecisionDetail, { AllowedByPermissionsBoundary: false });
  assert.deepEqual(
    r?.MatchedStatements?.map((s) => s.SourcePolicyId),
    ['PermissionsBoundaryPolicyInputList.1'],
  );
  await store.close();
});

test('two permissions boundaries are InvalidInput 400: "You can input only one permissions boundary"', async () => {
  const { ctx, store } = await rootContext();
  await assert.rejects(
    invoke(simulateCustomPolicy, ctx, {
      'PolicyInputList.member.1': MULTILINE,
      'PermissionsBoundaryPolicyInputList.member.1': MULTILINE,
      'PermissionsBoundaryPolicyInputList.member.2': MULTILINE,
      'ActionNames.member.1': 's3:GetObject',
    }),
    {
      code: 'InvalidInput',
      status: 400,
      message: 'PermissionsBoundaryPolicyInputList may hold only one policy.',
    },
  );
  await store.close();
});
