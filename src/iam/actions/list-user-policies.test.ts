import assert from 'node:assert/strict';
import { test } from 'node:test';
import { invoke, READ_S3, rootContext } from '../testdata/context.js';
import { createUser } from './create-user.js';
import { listUserPolicies } from './list-user-policies.js';
import { putUserPolicy } from './put-user-policy.js';

test('ListUserPolicies pages the inline policy names in name order', async () => {
  const { ctx, store } = await rootContext();
  await invoke(createUser, ctx, { UserName: 'alice' });
  for (const name of ['c', 'a', 'b']) {
    await invoke(putUserPolicy, ctx, { UserName: 'alice', PolicyName: name, PolicyDocument: READ_S3 });
  }
  const first = await invoke(listUserPolicies, ctx, { UserName: 'alice', MaxItems: '2' });
  assert.deepEqual(first.PolicyNames, ['a', 'b']);
  assert.equal(first.IsTruncated, true);
  const second = await invoke(listUserPolicies, ctx, { UserName: 'alice', Marker: first.Marker ?? '' });
  assert.deepEqual(second.PolicyNames, ['c']);
  assert.equal(second.IsTruncated, false);
  await store.close();
});

test('ListUserPolicies of a missing user is NoSuchEntity 404', async () => {
  const { ctx, store } = await rootContext();
  await assert.rejects(invoke(listUserPolicies, ctx, { UserName: 'ghost' }), {
    code: 'NoSuchEntity',
    status: 404,
    message: 'The user with name ghost cannot be found.',
  });
  await store.close();
});
