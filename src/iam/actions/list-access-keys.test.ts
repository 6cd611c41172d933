import assert from 'node:assert/strict';
import { test } from 'node:test';
import { invoke, rootContext } from '../testdata/context.js';
import { asUser } from '../testdata/users.js';
import { createAccessKey } from './create-access-key.js';
import { createUser } from './create-user.js';
import { listAccessKeys } from './list-access-keys.js';

test('ListAccessKeys lists a user keys without their secrets, in creation order', async () => {
  const { ctx, store } = await rootContext();
  await invoke(createUser, ctx, { UserName: 'alice' });
  const a = await invoke(createAccessKey, ctx, { UserName: 'alice' });
  const b = await invoke(createAccessKey, ctx, { UserName: 'alice' });
  const out = await invoke(listAccessKeys, ctx, { UserName: 'alice' });
  assert.deepEqual(
    out.AccessKeyMetadata.map((k) => k.AccessKeyId),
    [a.AccessKey.AccessKeyId, b.AccessKey.AccessKeyId].sort(),
  );
  assert.deepEqual(Object.keys(out.AccessKeyMetadata[0] ?? {}), [
    'UserName',
    'AccessKeyId',
    'Status',
    'CreateDate',
  ]);
  assert.equal(out.IsTruncated, false);
  const own = await invoke(listAccessKeys, asUser(ctx, 'alice'), {});
  assert.equal(own.AccessKeyMetadata.length, 2);
  await store.close();
});

test('ListAccessKeys as the root without UserName lists the root keys only', async () => {
  const { ctx, store } = await rootContext();
  await invoke(createUser, ctx, { UserName: 'alice' });
  await invoke(createAccessKey, ctx, { UserName: 'alice' });
  const root = await invoke(createAccessKey, ctx, {});
  const out = await invoke(listAccessKeys, ctx, {});
  assert.deepEqual(
    out.AccessKeyMetadata.map((k) => k.AccessKeyId),
    [root.AccessKey.AccessKeyId],
  );
  await store.close();
});

test('ListAccessKeys of a missing user is NoSuchEntity 404', async () => {
  const { ctx, store } = await rootContext();
  await assert.rejects(invoke(listAccessKeys, ctx, { UserName: 'ghost' }), {
    code: 'NoSuchEntity',
    status: 404,
    message: 'The user with name ghost cannot be found.',
  });
  await store.close();
});
