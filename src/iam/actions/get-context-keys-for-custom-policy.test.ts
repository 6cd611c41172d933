import assert from 'node:assert/strict';
import { test } from 'node:test';
import { invoke, rootContext } from '../testdata/context.js';
import { getContextKeysForCustomPolicy } from './get-context-keys-for-custom-policy.js';

/** AWS's example (AWS CLI reference, get-context-keys-for-custom-policy, example 1). */
const DYNAMO =
  '{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"dynamodb:*","Resource":"arn:aws:dynamodb:us-west-2:123456789012:table/${aws:username}","Condition":{"DateGreaterThan":{"aws:CurrentTime":"2015-08-16T12:00:00Z"}}}}';

test("GetContextKeysForCustomPolicy reproduces AWS's example: aws:username, then aws:CurrentTime", async () => {
  const { ctx, store } = await rootContext();
  const out = await invoke(getContextKeysForCustomPolicy, ctx, { 'PolicyInputList.member.1': DYNAMO });
  assert.deepEqual(out.ContextKeyNames, ['aws:username', 'aws:CurrentTime']);
  await store.close();
});

test('keys are listed once across policies, ignoring case; variables of a 2008-10-17 policy are text', async () => {
  const { ctx, store } = await rootContext();
  const second = JSON.stringify({
    Version: '2012-10-17',
    Statement: [
      {
        Effect: 'Allow',
        Action: 's3:ListBucket',
        Resource: '*',
        Condition: {
          StringLike: { 's3:prefix': '${aws:PrincipalTag/team}/*' },
          DateLessThan: { 'AWS:currenttime': '2030' },
        },
      },
    ],
  });
  const old = JSON.stringify({
    Version: '2008-10-17',
    Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::b/${aws:userid}' }],
  });
  const out = await invoke(getContextKeysForCustomPolicy, ctx, {
    'PolicyInputList.member.1': DYNAMO,
    'PolicyInputList.member.2': second,
    'PolicyInputList.member.3': old,
  });
  assert.deepEqual(out.ContextKeyNames, [
    'aws:username',
    'aws:CurrentTime',
    's3:prefix',
    'aws:PrincipalTag/team',
  ]);
  await store.close();
});

test('GetContextKeysForCustomPolicy of a malformed policy is InvalidInput 400', async () => {
  const { ctx, store } = await rootContext();
  await assert.rejects(invoke(getContextKeysForCustomPolicy, ctx, { 'PolicyInputList.member.1': '[]' }), {
    code: 'InvalidInput',
    status: 400,
    message: 'Syntax errors in policy.',
  });
  await store.close();
});

test('GetContextKeysForCustomPolicy is authorized as iam:GetContextKeysForCustomPolicy on *', async () => {
  const { ctx, store } = await rootContext();
  assert.deepEqual(getContextKeysForCustomPolicy.authorize({ PolicyInputList: [] }, ctx), [
    { action: 'iam:GetContextKeysForCustomPolicy', resource: '*' },
  ]);
  await store.close();
});
