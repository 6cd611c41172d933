import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ACCOUNT, invoke, IRSA_TRUST, rootContext } from '../testdata/context.js';
import { createRole } from './create-role.js';
import { getContextKeysForPrincipalPolicy } from './get-context-keys-for-principal-policy.js';
import { putRolePolicy } from './put-role-policy.js';

const ROLE_ARN = `arn:aws:iam::${ACCOUNT}:role/app`;

test("GetContextKeysForPrincipalPolicy lists the keys of the role's policies, then of PolicyInputList", async () => {
  const { ctx, store } = await rootContext();
  await invoke(createRole, ctx, { RoleName: 'app', AssumeRolePolicyDocument: IRSA_TRUST });
  const tagged = JSON.stringify({
    Version: '2012-10-17',
    Statement: [
      {
        Effect: 'Allow',
        Action: 's3:*',
        Resource: '*',
        Condition: { StringEquals: { 'aws:ResourceTag/team': 'a' } },
      },
    ],
  });
  await invoke(putRolePolicy, ctx, { RoleName: 'app', PolicyName: 'tagged', PolicyDocument: tagged });
  const extra = JSON.stringify({
    Version: '2012-10-17',
    Statement: [
      { Effect: 'Deny', Action: '*', Resource: '*', Condition: { Bool: { 'aws:SecureTransport': 'false' } } },
    ],
  });
  const out = await invoke(getContextKeysForPrincipalPolicy, ctx, {
    PolicySourceArn: ROLE_ARN,
    'PolicyInputList.member.1': extra,
  });
  assert.deepEqual(out.ContextKeyNames, ['aws:ResourceTag/team', 'aws:SecureTransport']);
  await store.close();
});

test('GetContextKeysForPrincipalPolicy of an unknown role is NoSuchEntity 404', async () => {
  const { ctx, store } = await rootContext();
  await assert.rejects(invoke(getContextKeysForPrincipalPolicy, ctx, { PolicySourceArn: ROLE_ARN }), {
    code: 'NoSuchEntity',
    status: 404,
    message: 'The role with name app cannot be found.',
  });
  await store.close();
});

test('GetContextKeysForPrincipalPolicy is authorized on the principal ARN', async () => {
  const { ctx, store } = await rootContext();
  assert.deepEqual(getContextKeysForPrincipalPolicy.authorize({ PolicySourceArn: ROLE_ARN }, ctx), [
    { action: 'iam:GetContextKeysForPrincipalPolicy', resource: ROLE_ARN },
  ]);
  await store.close();
});
