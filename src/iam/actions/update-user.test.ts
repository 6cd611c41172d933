import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ACCOUNT, invoke, rootContext } from '../testdata/context.js';
import { createAccessKey } from './create-access-key.js';
import { createUser } from './create-user.js';
import { getUser } from './get-user.js';
import { listAccessKeys } from './list-access-keys.js';
import { updateUser } from './update-user.js';

test('UpdateUser renames and moves a user; its id and access keys follow it', async () => {
  const { ctx, store } = await rootContext();
  const created = await invoke(createUser, ctx, { UserName: 'alice' });
  await invoke(createAccessKey, ctx, { UserName: 'alice' });
  await invoke(updateUser, ctx, { UserName: 'alice', NewUserName: 'alicia', NewPath: '/ops/' });
  const out = await invoke(getUser, ctx, { UserName: 'alicia' });
  assert.equal(out.User.UserId, created.User.UserId);
  assert.equal(out.User.Arn, `arn:aws:iam::${ACCOUNT}:user/ops/alicia`);
  const keys = await invoke(listAccessKeys, ctx, { UserName: 'alicia' });
  assert.equal(keys.AccessKeyMetadata[0]?.UserName, 'alicia');
  await assert.rejects(invoke(getUser, ctx, { UserName: 'alice' }), { code: 'NoSuchEntity' });
  await store.close();
});

test('UpdateUser to a taken name is EntityAlreadyExists 409', async () => {
  const { ctx, store } = await rootContext();
  await invoke(createUser, ctx, { UserName: 'alice' });
  await invoke(createUser, ctx, { UserName: 'bob' });
  await assert.rejects(invoke(updateUser, ctx, { UserName: 'alice', NewUserName: 'BOB' }), {
    code: 'EntityAlreadyExists',
    status: 409,
    message: 'User with name BOB already exists.',
  });
  await store.close();
});

test('UpdateUser of a missing user is NoSuchEntity 404', async () => {
  const { ctx, store } = await rootContext();
  await assert.rejects(invoke(updateUser, ctx, { UserName: 'ghost', NewPath: '/x/' }), {
    code: 'NoSuchEntity',
    status: 404,
    message: 'The user with name ghost cannot be found.',
  });
  await store.close();
});

test('UpdateUser authorizes iam:UpdateUser on both the current and the new ARN', async () => {
  const { ctx, store } = await rootContext();
  await invoke(createUser, ctx, { UserName: 'alice', Path: '/eng/' });
  assert.deepEqual(await updateUser.authorize({ UserName: 'alice', NewPath: '/ops/' }, ctx), [
    { action: 'iam:UpdateUser', resource: `arn:aws:iam::${ACCOUNT}:user/eng/alice` },
    { action: 'iam:UpdateUser', resource: `arn:aws:iam::${ACCOUNT}:user/ops/alice` },
  ]);
  await store.close();
});
