import assert from 'node:assert/strict';
import { test } from 'node:test';
import { invoke, READ_S3, rootContext } from '../testdata/context.js';
import { attachUserPolicy } from './attach-user-policy.js';
import { createAccessKey } from './create-access-key.js';
import { createPolicy } from './create-policy.js';
import { createUser } from './create-user.js';
import { deleteAccessKey } from './delete-access-key.js';
import { deleteUserPolicy } from './delete-user-policy.js';
import { deleteUser } from './delete-user.js';
import { detachUserPolicy } from './detach-user-policy.js';
import { getUser } from './get-user.js';
import { putUserPolicy } from './put-user-policy.js';

test('DeleteUser is DeleteConflict 409 while the user has access keys, inline or attached policies', async () => {
  const { ctx, store } = await rootContext();
  await invoke(createUser, ctx, { UserName: 'alice' });
  const key = await invoke(createAccessKey, ctx, { UserName: 'alice' });
  await invoke(putUserPolicy, ctx, { UserName: 'alice', PolicyName: 'p', PolicyDocument: READ_S3 });
  const policy = await invoke(createPolicy, ctx, { PolicyName: 'm', PolicyDocument: READ_S3 });
  const arn = policy.Policy.Arn ?? '';
  await invoke(attachUserPolicy, ctx, { UserName: 'alice', PolicyArn: arn });

  const conflict = (message: string) => ({ code: 'DeleteConflict', status: 409, message });
  await assert.rejects(
    invoke(deleteUser, ctx, { UserName: 'alice' }),
    conflict('Cannot delete entity, must delete access keys first.'),
  );
  await invoke(deleteAccessKey, ctx, { UserName: 'alice', AccessKeyId: key.AccessKey.AccessKeyId });
  await assert.rejects(
    invoke(deleteUser, ctx, { UserName: 'alice' }),
    conflict('Cannot delete entity, must delete policies first.'),
  );
  await invoke(deleteUserPolicy, ctx, { UserName: 'alice', PolicyName: 'p' });
  await assert.rejects(
    invoke(deleteUser, ctx, { UserName: 'alice' }),
    conflict('Cannot delete entity, must detach all policies first.'),
  );
  await invoke(detachUserPolicy, ctx, { UserName: 'alice', PolicyArn: arn });
  await invoke(deleteUser, ctx, { UserName: 'alice' });
  await assert.rejects(invoke(getUser, ctx, { UserName: 'alice' }), { code: 'NoSuchEntity' });
  await store.close();
});

test('DeleteUser of a missing user is NoSuchEntity 404', async () => {
  const { ctx, store } = await rootContext();
  await assert.rejects(invoke(deleteUser, ctx, { UserName: 'ghost' }), {
    code: 'NoSuchEntity',
    status: 404,
    message: 'The user with name ghost cannot be found.',
  });
  await store.close();
});
