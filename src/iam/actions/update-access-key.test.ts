import assert from 'node:assert/strict';
import { test } from 'node:test';
import { invoke, rootContext } from '../testdata/context.js';
import { asUser } from '../testdata/users.js';
import { createAccessKey } from './create-access-key.js';
import { createUser } from './create-user.js';
import { updateAccessKey } from './update-access-key.js';

test('UpdateAccessKey makes a key Inactive and Active again', async () => {
  const { ctx, store } = await rootContext();
  await invoke(createUser, ctx, { UserName: 'alice' });
  const key = await invoke(createAccessKey, ctx, { UserName: 'alice' });
  const id = key.AccessKey.AccessKeyId;
  await invoke(updateAccessKey, ctx, { UserName: 'alice', AccessKeyId: id, Status: 'Inactive' });
  assert.equal((await store.accessKeys.get(id))?.status, 'Inactive');
  await invoke(updateAccessKey, asUser(ctx, 'alice'), { AccessKeyId: id, Status: 'Active' });
  assert.equal((await store.accessKeys.get(id))?.status, 'Active');
  await store.close();
});

test('UpdateAccessKey of a key the user does not own is NoSuchEntity "The Access Key with id X cannot be found."', async () => {
  const { ctx, store } = await rootContext();
  await invoke(createUser, ctx, { UserName: 'alice' });
  await invoke(createUser, ctx, { UserName: 'bob' });
  const key = await invoke(createAccessKey, ctx, { UserName: 'alice' });
  const id = key.AccessKey.AccessKeyId;
  const missing = {
    code: 'NoSuchEntity',
    status: 404,
    message: `The Access Key with id ${id} cannot be found.`,
  };
  await assert.rejects(
    invoke(updateAccessKey, ctx, { UserName: 'bob', AccessKeyId: id, Status: 'Inactive' }),
    missing,
  );
  // Without UserName the root acts on its own keys: a user's key is not one of them.
  await assert.rejects(invoke(updateAccessKey, ctx, { AccessKeyId: id, Status: 'Inactive' }), missing);
  assert.equal((await store.accessKeys.get(id))?.status, 'Active');
  await store.close();
});

test('UpdateAccessKey with a Status other than Active|Inactive is ValidationError', async () => {
  const { ctx, store } = await rootContext();
  await assert.rejects(
    invoke(updateAccessKey, ctx, { AccessKeyId: 'AKIAAAAAAAAAAAAAAAAA', Status: 'Disabled' }),
    {
      code: 'ValidationError',
      status: 400,
      message:
        "1 validation error detected: Value 'Disabled' at 'status' failed to satisfy constraint: Member must satisfy enum value set: [Active, Inactive]",
    },
  );
  await store.close();
});
