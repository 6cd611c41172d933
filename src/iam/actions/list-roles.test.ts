import assert from 'node:assert/strict';
import { test } from 'node:test';
import { invoke, IRSA_TRUST, rootContext } from '../testdata/context.js';
import { createRole } from './create-role.js';
import { listRoles } from './list-roles.js';

test('ListRoles pages with MaxItems: IsTruncated and Marker until the last page', async () => {
  const { ctx, store } = await rootContext();
  for (const name of ['c', 'a', 'b'])
    await invoke(createRole, ctx, { RoleName: name, AssumeRolePolicyDocument: IRSA_TRUST });
  const first = await invoke(listRoles, ctx, { MaxItems: '2' });
  assert.deepEqual(
    first.Roles.map((r) => r.RoleName),
    ['a', 'b'],
  );
  assert.equal(first.IsTruncated, true);
  const second = await invoke(listRoles, ctx, { MaxItems: '2', Marker: first.Marker ?? '' });
  assert.deepEqual(
    second.Roles.map((r) => r.RoleName),
    ['c'],
  );
  assert.equal(second.IsTruncated, false);
  assert.equal(second.Marker, undefined);
  await store.close();
});

test('ListRoles with PathPrefix lists only roles under that path', async () => {
  const { ctx, store } = await rootContext();
  await invoke(createRole, ctx, { RoleName: 'a', Path: '/x/', AssumeRolePolicyDocument: IRSA_TRUST });
  await invoke(createRole, ctx, { RoleName: 'b', AssumeRolePolicyDocument: IRSA_TRUST });
  const out = await invoke(listRoles, ctx, { PathPrefix: '/x/' });
  assert.deepEqual(
    out.Roles.map((r) => r.RoleName),
    ['a'],
  );
  await store.close();
});

test('ListRoles with MaxItems 0 is ValidationError', async () => {
  const { ctx, store } = await rootContext();
  await assert.rejects(invoke(listRoles, ctx, { MaxItems: '0' }), { code: 'ValidationError', status: 400 });
  await store.close();
});
