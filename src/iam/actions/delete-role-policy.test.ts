import assert from 'node:assert/strict';
import { test } from 'node:test';
import { invoke, IRSA_TRUST, rootContext } from '../testdata/context.js';
import { createRole } from './create-role.js';
import { deleteRolePolicy } from './delete-role-policy.js';

test('DeleteRolePolicy of a missing inline policy is NoSuchEntity naming the policy', async () => {
  const { ctx, store } = await rootContext();
  await invoke(createRole, ctx, { RoleName: 'app', AssumeRolePolicyDocument: IRSA_TRUST });
  await assert.rejects(invoke(deleteRolePolicy, ctx, { RoleName: 'app', PolicyName: 'p' }), {
    code: 'NoSuchEntity',
    status: 404,
    message: 'The role policy with name p cannot be found.',
  });
  await store.close();
});

test('DeleteRolePolicy on a missing role is NoSuchEntity naming the role', async () => {
  const { ctx, store } = await rootContext();
  await assert.rejects(invoke(deleteRolePolicy, ctx, { RoleName: 'x', PolicyName: 'p' }), {
    code: 'NoSuchEntity',
    message: 'The role with name x cannot be found.',
  });
  await store.close();
});
