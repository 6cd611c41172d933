import assert from 'node:assert/strict';
import { test } from 'node:test';
import { invoke, rootContext } from '../testdata/context.js';
import { createUser } from './create-user.js';
import { listUserTags } from './list-user-tags.js';

test('ListUserTags pages the tags in their order with MaxItems and Marker', async () => {
  const { ctx, store } = await rootContext();
  await invoke(createUser, ctx, {
    UserName: 'alice',
    'Tags.member.1.Key': 'a',
    'Tags.member.1.Value': '1',
    'Tags.member.2.Key': 'b',
    'Tags.member.2.Value': '2',
    'Tags.member.3.Key': 'c',
    'Tags.member.3.Value': '3',
  });
  const first = await invoke(listUserTags, ctx, { UserName: 'alice', MaxItems: '2' });
  assert.deepEqual(
    first.Tags.map((t) => t.Key),
    ['a', 'b'],
  );
  assert.equal(first.IsTruncated, true);
  const second = await invoke(listUserTags, ctx, { UserName: 'alice', Marker: first.Marker ?? '' });
  assert.deepEqual(second.Tags, [{ Key: 'c', Value: '3' }]);
  assert.equal(second.IsTruncated, false);
  await store.close();
});

test('ListUserTags with a foreign marker is InvalidInput; of a missing user NoSuchEntity', async () => {
  const { ctx, store } = await rootContext();
  await invoke(createUser, ctx, { UserName: 'alice' });
  await assert.rejects(invoke(listUserTags, ctx, { UserName: 'alice', Marker: 'xyz' }), {
    code: 'InvalidInput',
    status: 400,
  });
  await assert.rejects(invoke(listUserTags, ctx, { UserName: 'ghost' }), {
    code: 'NoSuchEntity',
    status: 404,
    message: 'The user with name ghost cannot be found.',
  });
  await store.close();
});
