import assert from 'node:assert/strict';
import { test } from 'node:test';
import { invoke, READ_S3, rootContext } from '../testdata/context.js';
import { createPolicy } from './create-policy.js';
import { createUser } from './create-user.js';
import { deleteUserPermissionsBoundary } from './delete-user-permissions-boundary.js';
import { getUser } from './get-user.js';

test('DeleteUserPermissionsBoundary removes the boundary; without one it is no change', async () => {
  const { ctx, store } = await rootContext();
  const p = await invoke(createPolicy, ctx, { PolicyName: 'boundary', PolicyDocument: READ_S3 });
  await invoke(createUser, ctx, { UserName: 'alice', PermissionsBoundary: p.Policy.Arn ?? '' });
  await invoke(deleteUserPermissionsBoundary, ctx, { UserName: 'alice' });
  assert.equal((await invoke(getUser, ctx, { UserName: 'alice' })).User.PermissionsBoundary, undefined);
  await invoke(deleteUserPermissionsBoundary, ctx, { UserName: 'alice' });
  await assert.rejects(invoke(deleteUserPermissionsBoundary, ctx, { UserName: 'ghost' }), {
    code: 'NoSuchEntity',
    status: 404,
    message: 'The user with name ghost cannot be found.',
  });
  await store.close();
});
