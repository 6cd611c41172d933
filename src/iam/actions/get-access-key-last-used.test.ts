import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ACCOUNT, invoke, rootContext } from '../testdata/context.js';
import { createAccessKey } from './create-access-key.js';
import { createUser } from './create-user.js';
import { getAccessKeyLastUsed } from './get-access-key-last-used.js';

test('GetAccessKeyLastUsed answers the owner and N/A, as AWS does for a key never used', async () => {
  const { ctx, store } = await rootContext();
  await invoke(createUser, ctx, { UserName: 'alice', Path: '/eng/' });
  const key = await invoke(createAccessKey, ctx, { UserName: 'alice' });
  const id = key.AccessKey.AccessKeyId;
  const out = await invoke(getAccessKeyLastUsed, ctx, { AccessKeyId: id });
  assert.deepEqual(out, { UserName: 'alice', AccessKeyLastUsed: { ServiceName: 'N/A', Region: 'N/A' } });
  assert.deepEqual(await getAccessKeyLastUsed.authorize({ AccessKeyId: id }, ctx), [
    { action: 'iam:GetAccessKeyLastUsed', resource: `arn:aws:iam::${ACCOUNT}:user/eng/alice` },
  ]);
  await store.close();
});

test('GetAccessKeyLastUsed of an unknown key is authorized on * and then NoSuchEntity', async () => {
  const { ctx, store } = await rootContext();
  const id = 'AKIAUNKNOWN000000000';
  assert.deepEqual(await getAccessKeyLastUsed.authorize({ AccessKeyId: id }, ctx), [
    { action: 'iam:GetAccessKeyLastUsed', resource: '*' },
  ]);
  await assert.rejects(invoke(getAccessKeyLastUsed, ctx, { AccessKeyId: id }), {
    code: 'NoSuchEntity',
    status: 404,
    message: `The Access Key with id ${id} cannot be found.`,
  });
  await store.close();
});
