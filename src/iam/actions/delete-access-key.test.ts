import assert from 'node:assert/strict';
import { test } from 'node:test';
import { invoke, rootContext } from '../testdata/context.js';
import { createAccessKey } from './create-access-key.js';
import { createUser } from './create-user.js';
import { deleteAccessKey } from './delete-access-key.js';

test('DeleteAccessKey deletes the key; deleting it again is NoSuchEntity 404', async () => {
  const { ctx, store } = await rootContext();
  await invoke(createUser, ctx, { UserName: 'alice' });
  const key = await invoke(createAccessKey, ctx, { UserName: 'alice' });
  const id = key.AccessKey.AccessKeyId;
  await invoke(deleteAccessKey, ctx, { UserName: 'alice', AccessKeyId: id });
  assert.equal(await store.accessKeys.get(id), undefined);
  await assert.rejects(invoke(deleteAccessKey, ctx, { UserName: 'alice', AccessKeyId: id }), {
    code: 'NoSuchEntity',
    status: 404,
    message: `The Access Key with id ${id} cannot be found.`,
  });
  await store.close();
});

test('DeleteAccessKey with an AccessKeyId under 16 characters is ValidationError', async () => {
  const { ctx, store } = await rootContext();
  await assert.rejects(invoke(deleteAccessKey, ctx, { AccessKeyId: 'AKIA' }), {
    code: 'ValidationError',
    status: 400,
  });
  await store.close();
});
