import assert from 'node:assert/strict';
import { test } from 'node:test';
import { invoke, IRSA_TRUST, READ_S3, rootContext } from '../testdata/context.js';
import { createRole } from './create-role.js';
import { getRolePolicy } from './get-role-policy.js';
import { putRolePolicy } from './put-role-policy.js';

test('PutRolePolicy stores an inline policy and replaces it under the same name', async () => {
  const { ctx, store } = await rootContext();
  await invoke(createRole, ctx, { RoleName: 'app', AssumeRolePolicyDocument: IRSA_TRUST });
  await invoke(putRolePolicy, ctx, {
    RoleName: 'app',
    PolicyName: 'p',
    PolicyDocument: '{"Version":"2012-10-17","Statement":[]}',
  });
  await invoke(putRolePolicy, ctx, { RoleName: 'app', PolicyName: 'p', PolicyDocument: READ_S3 });
  const out = await invoke(getRolePolicy, ctx, { RoleName: 'app', PolicyName: 'p' });
  assert.equal(decodeURIComponent(out.PolicyDocument), READ_S3);
  await store.close();
});

test('PutRolePolicy with a Principal in an identity policy is MalformedPolicyDocument 400', async () => {
  const { ctx, store } = await rootContext();
  await invoke(createRole, ctx, { RoleName: 'app', AssumeRolePolicyDocument: IRSA_TRUST });
  await assert.rejects(
    invoke(putRolePolicy, ctx, { RoleName: 'app', PolicyName: 'p', PolicyDocument: IRSA_TRUST }),
    {
      code: 'MalformedPolicyDocument',
      status: 400,
    },
  );
  await store.close();
});

test('PutRolePolicy on a missing role is NoSuchEntity', async () => {
  const { ctx, store } = await rootContext();
  await assert.rejects(
    invoke(putRolePolicy, ctx, { RoleName: 'x', PolicyName: 'p', PolicyDocument: READ_S3 }),
    {
      code: 'NoSuchEntity',
      status: 404,
      message: 'The role with name x cannot be found.',
    },
  );
  await store.close();
});
