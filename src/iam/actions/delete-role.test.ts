import assert from 'node:assert/strict';
import { test } from 'node:test';
import { invoke, IRSA_TRUST, READ_S3, rootContext } from '../testdata/context.js';
import { createRole } from './create-role.js';
import { deleteRolePolicy } from './delete-role-policy.js';
import { deleteRole } from './delete-role.js';
import { getRole } from './get-role.js';
import { putRolePolicy } from './put-role-policy.js';

test('DeleteRole of a role with inline policies is DeleteConflict 409 "Cannot delete entity, must delete policies first."', async () => {
  const { ctx, store } = await rootContext();
  await invoke(createRole, ctx, { RoleName: 'app', AssumeRolePolicyDocument: IRSA_TRUST });
  await invoke(putRolePolicy, ctx, { RoleName: 'app', PolicyName: 'p', PolicyDocument: READ_S3 });
  await assert.rejects(invoke(deleteRole, ctx, { RoleName: 'app' }), {
    code: 'DeleteConflict',
    status: 409,
    message: 'Cannot delete entity, must delete policies first.',
  });
  await invoke(deleteRolePolicy, ctx, { RoleName: 'app', PolicyName: 'p' });
  await invoke(deleteRole, ctx, { RoleName: 'app' });
  await assert.rejects(invoke(getRole, ctx, { RoleName: 'app' }), { code: 'NoSuchEntity' });
  await store.close();
});

test('DeleteRole of a missing role is NoSuchEntity 404', async () => {
  const { ctx, store } = await rootContext();
  await assert.rejects(invoke(deleteRole, ctx, { RoleName: 'gone' }), {
    code: 'NoSuchEntity',
    status: 404,
    message: 'The role with name gone cannot be found.',
  });
  await store.close();
});
