import assert from 'node:assert/strict';
import { test } from 'node:test';
import { invoke, READ_S3, rootContext } from '../testdata/context.js';
import { createUser } from './create-user.js';
import { deleteUserPolicy } from './delete-user-policy.js';
import { getUserPolicy } from './get-user-policy.js';
import { putUserPolicy } from './put-user-policy.js';

test('DeleteUserPolicy removes the policy; again it is NoSuchEntity "The user policy with name X cannot be found."', async () => {
  const { ctx, store } = await rootContext();
  await invoke(createUser, ctx, { UserName: 'alice' });
  await invoke(putUserPolicy, ctx, { UserName: 'alice', PolicyName: 'p', PolicyDocument: READ_S3 });
  await invoke(deleteUserPolicy, ctx, { UserName: 'alice', PolicyName: 'P' });
  await assert.rejects(invoke(getUserPolicy, ctx, { UserName: 'alice', PolicyName: 'p' }), {
    code: 'NoSuchEntity',
  });
  await assert.rejects(invoke(deleteUserPolicy, ctx, { UserName: 'alice', PolicyName: 'p' }), {
    code: 'NoSuchEntity',
    status: 404,
    message: 'The user policy with name p cannot be found.',
  });
  await assert.rejects(invoke(deleteUserPolicy, ctx, { UserName: 'ghost', PolicyName: 'p' }), {
    message: 'The user with name ghost cannot be found.',
  });
  await store.close();
});
