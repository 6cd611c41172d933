import assert from 'node:assert/strict';
import { test } from 'node:test';
import { invoke, rootContext } from '../testdata/context.js';
import { createUser } from './create-user.js';
import { getUser } from './get-user.js';
import { untagUser } from './untag-user.js';

test('UntagUser removes the keys given, ignoring case; an absent key is no error', async () => {
  const { ctx, store } = await rootContext();
  await invoke(createUser, ctx, {
    UserName: 'alice',
    'Tags.member.1.Key': 'team',
    'Tags.member.1.Value': 'a',
    'Tags.member.2.Key': 'env',
    'Tags.member.2.Value': 'dev',
  });
  await invoke(untagUser, ctx, { UserName: 'alice', 'TagKeys.member.1': 'TEAM', 'TagKeys.member.2': 'nope' });
  const out = await invoke(getUser, ctx, { UserName: 'alice' });
  assert.deepEqual(out.User.Tags, [{ Key: 'env', Value: 'dev' }]);
  await store.close();
});

test('UntagUser without TagKeys is ValidationError', async () => {
  const { ctx, store } = await rootContext();
  await invoke(createUser, ctx, { UserName: 'alice' });
  await assert.rejects(invoke(untagUser, ctx, { UserName: 'alice' }), {
    code: 'ValidationError',
    status: 400,
  });
  await store.close();
});
