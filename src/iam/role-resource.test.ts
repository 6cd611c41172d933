import assert from 'node:assert/strict';
import { test } from 'node:test';
import { roleNeed } from './role-resource.js';
import { ACCOUNT, rootContext } from './testdata/context.js';

test('roleNeed authorizes on the stored role ARN with its path, found by name in any case', async () => {
  const { ctx, store } = await rootContext();
  await store.roles.create({
    accountId: ACCOUNT,
    name: 'App',
    id: 'AROAEXAMPLEROLEPATH01',
    path: '/a/b/',
    arn: `arn:aws:iam::${ACCOUNT}:role/a/b/App`,
    trustPolicy: '{}',
    createdAt: 0,
  });
  assert.deepEqual(await roleNeed(ctx, 'iam:GetRole', 'app'), [
    { action: 'iam:GetRole', resource: `arn:aws:iam::${ACCOUNT}:role/a/b/App` },
  ]);
  assert.deepEqual(await roleNeed(ctx, 'iam:GetRole', 'other'), [
    { action: 'iam:GetRole', resource: `arn:aws:iam::${ACCOUNT}:role/other` },
  ]);
  await store.close();
});
