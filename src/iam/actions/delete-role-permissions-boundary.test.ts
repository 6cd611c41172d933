import assert from 'node:assert/strict';
import { test } from 'node:test';
import { invoke, IRSA_TRUST, READ_S3, rootContext } from '../testdata/context.js';
import { createPolicy } from './create-policy.js';
import { createRole } from './create-role.js';
import { deleteRolePermissionsBoundary } from './delete-role-permissions-boundary.js';
import { getRole } from './get-role.js';

test('DeleteRolePermissionsBoundary removes the boundary; again is no error', async () => {
  const { ctx, store } = await rootContext();
  const arn =
    (await invoke(createPolicy, ctx, { PolicyName: 'bound', PolicyDocument: READ_S3 })).Policy.Arn ?? '';
  await invoke(createRole, ctx, {
    RoleName: 'app',
    AssumeRolePolicyDocument: IRSA_TRUST,
    PermissionsBoundary: arn,
  });
  assert.equal(
    (await invoke(getRole, ctx, { RoleName: 'app' })).Role.PermissionsBoundary?.PermissionsBoundaryArn,
    arn,
  );
  await invoke(deleteRolePermissionsBoundary, ctx, { RoleName: 'app' });
  assert.equal((await invoke(getRole, ctx, { RoleName: 'app' })).Role.PermissionsBoundary, undefined);
  await invoke(deleteRolePermissionsBoundary, ctx, { RoleName: 'app' });
  await assert.rejects(invoke(deleteRolePermissionsBoundary, ctx, { RoleName: 'gone' }), {
    code: 'NoSuchEntity',
    status: 404,
  });
  await store.close();
});
