import assert from 'node:assert/strict';
import { test } from 'node:test';
import { invoke, IRSA_TRUST, READ_S3, rootContext } from '../testdata/context.js';
import { createRole } from './create-role.js';
import { getRolePolicy } from './get-role-policy.js';
import { putRolePolicy } from './put-role-policy.js';

test('GetRolePolicy returns RoleName, PolicyName and the document percent-encoded', async () => {
  const { ctx, store } = await rootContext();
  await invoke(createRole, ctx, { RoleName: 'app', AssumeRolePolicyDocument: IRSA_TRUST });
  await invoke(putRolePolicy, ctx, { RoleName: 'app', PolicyName: 'p', PolicyDocument: READ_S3 });
  const out = await invoke(getRolePolicy, ctx, { RoleName: 'app', PolicyName: 'p' });
  assert.equal(out.RoleName, 'app');
  assert.equal(out.PolicyName, 'p');
  assert.match(out.PolicyDocument, /^%7B%22/);
  await store.close();
});

test('GetRolePolicy of a missing policy is NoSuchEntity "The role policy with name X cannot be found."', async () => {
  const { ctx, store } = await rootContext();
  await invoke(createRole, ctx, { RoleName: 'app', AssumeRolePolicyDocument: IRSA_TRUST });
  await assert.rejects(invoke(getRolePolicy, ctx, { RoleName: 'app', PolicyName: 'nope' }), {
    code: 'NoSuchEntity',
    status: 404,
    message: 'The role policy with name nope cannot be found.',
  });
  await store.close();
});
