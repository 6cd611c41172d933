import assert from 'node:assert/strict';
import { test } from 'node:test';
import { invoke, IRSA_TRUST, READ_S3, rootContext } from '../testdata/context.js';
import { createRole } from './create-role.js';
import { getRole } from './get-role.js';
import { updateAssumeRolePolicy } from './update-assume-role-policy.js';

const TRUST_ROOT = JSON.stringify({
  Version: '2012-10-17',
  Statement: [
    { Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::111122223333:root' }, Action: 'sts:AssumeRole' },
  ],
});

test('UpdateAssumeRolePolicy replaces the trust policy GetRole returns', async () => {
  const { ctx, store } = await rootContext();
  await invoke(createRole, ctx, { RoleName: 'app', AssumeRolePolicyDocument: IRSA_TRUST });
  await invoke(updateAssumeRolePolicy, ctx, { RoleName: 'app', PolicyDocument: TRUST_ROOT });
  const out = await invoke(getRole, ctx, { RoleName: 'app' });
  assert.equal(decodeURIComponent(out.Role.AssumeRolePolicyDocument ?? ''), TRUST_ROOT);
  await store.close();
});

test('UpdateAssumeRolePolicy with an identity policy (no Principal) is MalformedPolicyDocument', async () => {
  const { ctx, store } = await rootContext();
  await invoke(createRole, ctx, { RoleName: 'app', AssumeRolePolicyDocument: IRSA_TRUST });
  await assert.rejects(invoke(updateAssumeRolePolicy, ctx, { RoleName: 'app', PolicyDocument: READ_S3 }), {
    code: 'MalformedPolicyDocument',
    status: 400,
  });
  await store.close();
});

test('UpdateAssumeRolePolicy of a missing role is NoSuchEntity', async () => {
  const { ctx, store } = await rootContext();
  await assert.rejects(invoke(updateAssumeRolePolicy, ctx, { RoleName: 'x', PolicyDocument: TRUST_ROOT }), {
    code: 'NoSuchEntity',
    message: 'The role with name x cannot be found.',
  });
  await store.close();
});
