import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ACCOUNT, invoke, rootContext } from '../testdata/context.js';
import { asRoleSession, asUser } from '../testdata/users.js';
import { createUser } from './create-user.js';
import { getUser } from './get-user.js';

test('GetUser returns the named user, found in any case', async () => {
  const { ctx, store } = await rootContext();
  await invoke(createUser, ctx, { UserName: 'Alice', Path: '/eng/' });
  const out = await invoke(getUser, ctx, { UserName: 'alice' });
  assert.equal(out.User.UserName, 'Alice');
  assert.equal(out.User.Arn, `arn:aws:iam::${ACCOUNT}:user/eng/Alice`);
  await store.close();
});

test('GetUser without UserName returns the calling user', async () => {
  const { ctx, store } = await rootContext();
  await invoke(createUser, ctx, { UserName: 'alice' });
  const out = await invoke(getUser, asUser(ctx, 'alice'), {});
  assert.equal(out.User.UserName, 'alice');
  await store.close();
});

test('GetUser without UserName as the root answers the root: its ARN, the account id, no UserName', async () => {
  const { ctx, store } = await rootContext();
  const out = await invoke(getUser, ctx, {});
  assert.deepEqual(out.User, {
    UserId: ACCOUNT,
    Arn: `arn:aws:iam::${ACCOUNT}:root`,
    CreateDate: Date.UTC(2026, 0, 1),
  });
  await store.close();
});

test('GetUser without UserName from a role session is ValidationError "Must specify userName ..."', async () => {
  const { ctx, store } = await rootContext();
  await assert.rejects(invoke(getUser, asRoleSession(ctx), {}), {
    code: 'ValidationError',
    status: 400,
    message: 'Must specify userName when calling with non-User credentials',
  });
  await store.close();
});

test('GetUser of a missing user is NoSuchEntity 404 "The user with name X cannot be found."', async () => {
  const { ctx, store } = await rootContext();
  await assert.rejects(invoke(getUser, ctx, { UserName: 'nobody' }), {
    code: 'NoSuchEntity',
    status: 404,
    message: 'The user with name nobody cannot be found.',
  });
  await store.close();
});

test('GetUser authorizes on the user real ARN with its path, on the root ARN for the root itself', async () => {
  const { ctx, store } = await rootContext();
  await invoke(createUser, ctx, { UserName: 'alice', Path: '/eng/' });
  assert.deepEqual(await getUser.authorize({ UserName: 'ALICE' }, ctx), [
    { action: 'iam:GetUser', resource: `arn:aws:iam::${ACCOUNT}:user/eng/alice` },
  ]);
  assert.deepEqual(await getUser.authorize({ UserName: 'ghost' }, ctx), [
    { action: 'iam:GetUser', resource: `arn:aws:iam::${ACCOUNT}:user/ghost` },
  ]);
  assert.deepEqual(await getUser.authorize({}, ctx), [
    { action: 'iam:GetUser', resource: `arn:aws:iam::${ACCOUNT}:root` },
  ]);
  await store.close();
});
