import assert from 'node:assert/strict';
import { test } from 'node:test';
import { invoke, IRSA_TRUST, READ_S3, rootContext } from '../testdata/context.js';
import { createRole } from './create-role.js';
import { listRolePolicies } from './list-role-policies.js';
import { putRolePolicy } from './put-role-policy.js';

test('ListRolePolicies lists inline policy names in name order, paged', async () => {
  const { ctx, store } = await rootContext();
  await invoke(createRole, ctx, { RoleName: 'app', AssumeRolePolicyDocument: IRSA_TRUST });
  for (const n of ['b', 'a'])
    await invoke(putRolePolicy, ctx, { RoleName: 'app', PolicyName: n, PolicyDocument: READ_S3 });
  const first = await invoke(listRolePolicies, ctx, { RoleName: 'app', MaxItems: '1' });
  assert.deepEqual(first.PolicyNames, ['a']);
  assert.equal(first.IsTruncated, true);
  const rest = await invoke(listRolePolicies, ctx, { RoleName: 'app', Marker: first.Marker ?? '' });
  assert.deepEqual(rest.PolicyNames, ['b']);
  assert.equal(rest.IsTruncated, false);
  await store.close();
});

test('ListRolePolicies of a missing role is NoSuchEntity', async () => {
  const { ctx, store } = await rootContext();
  await assert.rejects(invoke(listRolePolicies, ctx, { RoleName: 'x' }), {
    code: 'NoSuchEntity',
    status: 404,
  });
  await store.close();
});
