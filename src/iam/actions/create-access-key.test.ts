import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ACCOUNT, invoke, rootContext } from '../testdata/context.js';
import { asRoleSession, asUser } from '../testdata/users.js';
import { createAccessKey } from './create-access-key.js';
import { createUser } from './create-user.js';

test('CreateAccessKey issues an Active AKIA key with a 40-character secret that authenticates', async () => {
  const { ctx, store } = await rootContext();
  await invoke(createUser, ctx, { UserName: 'alice' });
  const out = await invoke(createAccessKey, ctx, { UserName: 'alice' });
  assert.match(out.AccessKey.AccessKeyId, /^AKIA[A-Z2-7]{16}$/);
  assert.match(out.AccessKey.SecretAccessKey, /^[A-Za-z0-9+/]{40}$/);
  assert.equal(out.AccessKey.Status, 'Active');
  assert.equal(out.AccessKey.UserName, 'alice');
  const stored = await store.accessKeys.get(out.AccessKey.AccessKeyId);
  assert.equal(stored?.user?.name, 'alice');
  assert.equal(stored?.secretAccessKey, out.AccessKey.SecretAccessKey);
  await store.close();
});

test('CreateAccessKey beyond two keys is LimitExceeded 409 "Cannot exceed quota for AccessKeysPerUser: 2"', async () => {
  const { ctx, store } = await rootContext();
  await invoke(createUser, ctx, { UserName: 'alice' });
  await invoke(createAccessKey, ctx, { UserName: 'alice' });
  await invoke(createAccessKey, ctx, { UserName: 'alice' });
  await assert.rejects(invoke(createAccessKey, ctx, { UserName: 'alice' }), {
    code: 'LimitExceeded',
    status: 409,
    message: 'Cannot exceed quota for AccessKeysPerUser: 2',
  });
  assert.equal((await store.accessKeys.listForUser(ACCOUNT, 'alice')).items.length, 2);
  await store.close();
});

test('CreateAccessKey without UserName makes the calling user a key, and the root a root key', async () => {
  const { ctx, store } = await rootContext();
  await invoke(createUser, ctx, { UserName: 'alice' });
  const own = await invoke(createAccessKey, asUser(ctx, 'alice'), {});
  assert.equal(own.AccessKey.UserName, 'alice');
  const root = await invoke(createAccessKey, ctx, {});
  assert.equal(root.AccessKey.UserName, undefined);
  assert.equal((await store.accessKeys.get(root.AccessKey.AccessKeyId))?.user, undefined);
  await store.close();
});

test('CreateAccessKey without UserName from a role session is ValidationError', async () => {
  const { ctx, store } = await rootContext();
  await assert.rejects(invoke(createAccessKey, asRoleSession(ctx), {}), {
    code: 'ValidationError',
    status: 400,
    message: 'Must specify userName when calling with non-User credentials',
  });
  await store.close();
});

test('CreateAccessKey for a missing user is NoSuchEntity 404', async () => {
  const { ctx, store } = await rootContext();
  await assert.rejects(invoke(createAccessKey, ctx, { UserName: 'ghost' }), {
    code: 'NoSuchEntity',
    status: 404,
    message: 'The user with name ghost cannot be found.',
  });
  await store.close();
});

test('CreateAccessKey authorizes on the target user ARN: the named one or the caller itself', async () => {
  const { ctx, store } = await rootContext();
  await invoke(createUser, ctx, { UserName: 'alice', Path: '/eng/' });
  const arn = `arn:aws:iam::${ACCOUNT}:user/eng/alice`;
  assert.deepEqual(await createAccessKey.authorize({ UserName: 'alice' }, ctx), [
    { action: 'iam:CreateAccessKey', resource: arn },
  ]);
  assert.deepEqual(await createAccessKey.authorize({}, asUser(ctx, 'alice', '/eng/')), [
    { action: 'iam:CreateAccessKey', resource: arn },
  ]);
  await store.close();
});
