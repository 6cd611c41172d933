import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ACCOUNT, invoke, rootContext } from '../testdata/context.js';
import { createUser } from './create-user.js';
import { listUsers } from './list-users.js';

test('ListUsers pages in name order with MaxItems and Marker, without tags', async () => {
  const { ctx, store } = await rootContext();
  for (const name of ['carol', 'alice', 'bob']) {
    await invoke(createUser, ctx, { UserName: name, 'Tags.member.1.Key': 'k', 'Tags.member.1.Value': 'v' });
  }
  const first = await invoke(listUsers, ctx, { MaxItems: '2' });
  assert.deepEqual(
    first.Users.map((u) => u.UserName),
    ['alice', 'bob'],
  );
  assert.equal(first.IsTruncated, true);
  assert.equal(first.Users[0]?.Tags, undefined);
  const second = await invoke(listUsers, ctx, { MaxItems: '2', Marker: first.Marker ?? '' });
  assert.deepEqual(
    second.Users.map((u) => u.UserName),
    ['carol'],
  );
  assert.equal(second.IsTruncated, false);
  assert.equal(second.Marker, undefined);
  await store.close();
});

test('ListUsers with PathPrefix lists only the users under it', async () => {
  const { ctx, store } = await rootContext();
  await invoke(createUser, ctx, { UserName: 'a', Path: '/eng/' });
  await invoke(createUser, ctx, { UserName: 'b' });
  const out = await invoke(listUsers, ctx, { PathPrefix: '/eng/' });
  assert.deepEqual(
    out.Users.map((u) => u.UserName),
    ['a'],
  );
  await store.close();
});

test('ListUsers with a marker it did not issue is InvalidInput 400', async () => {
  const { ctx, store } = await rootContext();
  await assert.rejects(invoke(listUsers, ctx, { Marker: 'bogus' }), {
    code: 'InvalidInput',
    status: 400,
    message: 'Invalid Marker.',
  });
  await store.close();
});

test('ListUsers authorizes iam:ListUsers on the user ARN of the path prefix', async () => {
  const { ctx, store } = await rootContext();
  assert.deepEqual(await listUsers.authorize({}, ctx), [
    { action: 'iam:ListUsers', resource: `arn:aws:iam::${ACCOUNT}:user/` },
  ]);
  assert.deepEqual(await listUsers.authorize({ PathPrefix: '/eng/' }, ctx), [
    { action: 'iam:ListUsers', resource: `arn:aws:iam::${ACCOUNT}:user/eng/` },
  ]);
  await store.close();
});
