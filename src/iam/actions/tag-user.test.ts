import assert from 'node:assert/strict';
import { test } from 'node:test';
import { invoke, rootContext } from '../testdata/context.js';
import { createUser } from './create-user.js';
import { getUser } from './get-user.js';
import { tagUser } from './tag-user.js';

test('TagUser adds tags and replaces the value of a key already there, ignoring its case', async () => {
  const { ctx, store } = await rootContext();
  await invoke(createUser, ctx, {
    UserName: 'alice',
    'Tags.member.1.Key': 'team',
    'Tags.member.1.Value': 'a',
  });
  await invoke(tagUser, ctx, {
    UserName: 'alice',
    'Tags.member.1.Key': 'Team',
    'Tags.member.1.Value': 'b',
    'Tags.member.2.Key': 'env',
    'Tags.member.2.Value': 'dev',
  });
  const out = await invoke(getUser, ctx, { UserName: 'alice' });
  assert.deepEqual(out.User.Tags, [
    { Key: 'Team', Value: 'b' },
    { Key: 'env', Value: 'dev' },
  ]);
  await store.close();
});

test('TagUser beyond 50 tags is LimitExceeded 409', async () => {
  const { ctx, store } = await rootContext();
  await invoke(createUser, ctx, { UserName: 'alice' });
  const params = (from: number, count: number) =>
    Object.fromEntries(
      Array.from({ length: count }, (_, n) => [
        [`Tags.member.${n + 1}.Key`, `k${from + n}`],
        [`Tags.member.${n + 1}.Value`, 'v'],
      ]).flat(),
    ) as Record<string, string>;
  await invoke(tagUser, ctx, { UserName: 'alice', ...params(0, 50) });
  await assert.rejects(invoke(tagUser, ctx, { UserName: 'alice', ...params(50, 1) }), {
    code: 'LimitExceeded',
    status: 409,
    message: 'Cannot exceed quota for TagsPerUser: 50',
  });
  await store.close();
});

test('TagUser of a missing user is NoSuchEntity 404', async () => {
  const { ctx, store } = await rootContext();
  await assert.rejects(
    invoke(tagUser, ctx, { UserName: 'ghost', 'Tags.member.1.Key': 'k', 'Tags.member.1.Value': 'v' }),
    { code: 'NoSuchEntity', status: 404, message: 'The user with name ghost cannot be found.' },
  );
  await store.close();
});
