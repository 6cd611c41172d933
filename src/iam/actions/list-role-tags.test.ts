import assert from 'node:assert/strict';
import { test } from 'node:test';
import { invoke, IRSA_TRUST, rootContext } from '../testdata/context.js';
import { createRole } from './create-role.js';
import { listRoleTags } from './list-role-tags.js';

test('ListRoleTags pages the tags in order with MaxItems and Marker', async () => {
  const { ctx, store } = await rootContext();
  const params: Record<string, string> = { RoleName: 'app', AssumeRolePolicyDocument: IRSA_TRUST };
  for (const [n, k] of ['c', 'a', 'b'].entries()) {
    params[`Tags.member.${n + 1}.Key`] = k;
    params[`Tags.member.${n + 1}.Value`] = `v${k}`;
  }
  await invoke(createRole, ctx, params);
  const first = await invoke(listRoleTags, ctx, { RoleName: 'app', MaxItems: '2' });
  assert.deepEqual(first.Tags, [
    { Key: 'c', Value: 'vc' },
    { Key: 'a', Value: 'va' },
  ]);
  assert.equal(first.IsTruncated, true);
  const second = await invoke(listRoleTags, ctx, {
    RoleName: 'app',
    MaxItems: '2',
    Marker: first.Marker ?? '',
  });
  assert.deepEqual(second.Tags, [{ Key: 'b', Value: 'vb' }]);
  assert.equal(second.IsTruncated, false);
  assert.equal(second.Marker, undefined);
  await store.close();
});

test('ListRoleTags of a role without tags is an empty list; a foreign marker is InvalidInput', async () => {
  const { ctx, store } = await rootContext();
  await invoke(createRole, ctx, { RoleName: 'app', AssumeRolePolicyDocument: IRSA_TRUST });
  const out = await invoke(listRoleTags, ctx, { RoleName: 'app' });
  assert.deepEqual(out.Tags, []);
  assert.equal(out.IsTruncated, false);
  await assert.rejects(invoke(listRoleTags, ctx, { RoleName: 'app', Marker: 'bogus' }), {
    code: 'InvalidInput',
    status: 400,
  });
  await assert.rejects(invoke(listRoleTags, ctx, { RoleName: 'gone' }), {
    code: 'NoSuchEntity',
    status: 404,
  });
  await store.close();
});
