import assert from 'node:assert/strict';
import { test } from 'node:test';
import { invoke, rootContext } from '../testdata/context.js';
import { listAttachedRolePolicies } from './list-attached-role-policies.js';

test('ListAttachedRolePolicies of a missing role is NoSuchEntity', async () => {
  const { ctx, store } = await rootContext();
  await assert.rejects(invoke(listAttachedRolePolicies, ctx, { RoleName: 'x' }), {
    code: 'NoSuchEntity',
    status: 404,
    message: 'The role with name x cannot be found.',
  });
  await store.close();
});
