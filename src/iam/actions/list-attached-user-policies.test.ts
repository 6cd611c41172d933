import assert from 'node:assert/strict';
import { test } from 'node:test';
import { invoke, READ_S3, rootContext } from '../testdata/context.js';
import { attachUserPolicy } from './attach-user-policy.js';
import { createPolicy } from './create-policy.js';
import { createUser } from './create-user.js';
import { listAttachedUserPolicies } from './list-attached-user-policies.js';

test('ListAttachedUserPolicies lists in policy-name order, pages, and filters by PathPrefix', async () => {
  const { ctx, store } = await rootContext();
  await invoke(createUser, ctx, { UserName: 'alice' });
  for (const [name, path] of [
    ['b', '/'],
    ['a', '/team/'],
    ['c', '/'],
  ] as const) {
    const p = await invoke(createPolicy, ctx, { PolicyName: name, Path: path, PolicyDocument: READ_S3 });
    await invoke(attachUserPolicy, ctx, { UserName: 'alice', PolicyArn: p.Policy.Arn ?? '' });
  }
  const first = await invoke(listAttachedUserPolicies, ctx, { UserName: 'alice', MaxItems: '2' });
  assert.deepEqual(
    first.AttachedPolicies.map((p) => p.PolicyName),
    ['a', 'b'],
  );
  assert.equal(first.IsTruncated, true);
  const rest = await invoke(listAttachedUserPolicies, ctx, { UserName: 'alice', Marker: first.Marker ?? '' });
  assert.deepEqual(
    rest.AttachedPolicies.map((p) => p.PolicyName),
    ['c'],
  );
  const team = await invoke(listAttachedUserPolicies, ctx, { UserName: 'alice', PathPrefix: '/team/' });
  assert.deepEqual(
    team.AttachedPolicies.map((p) => p.PolicyName),
    ['a'],
  );
  await assert.rejects(invoke(listAttachedUserPolicies, ctx, { UserName: 'ghost' }), {
    code: 'NoSuchEntity',
    status: 404,
  });
  await store.close();
});
