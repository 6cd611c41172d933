import assert from 'node:assert/strict';
import { test } from 'node:test';
import { invoke, IRSA_TRUST, rootContext } from '../testdata/context.js';
import { createRole } from './create-role.js';
import { updateRoleDescription } from './update-role-description.js';

test('UpdateRoleDescription answers the role with its new description', async () => {
  const { ctx, store } = await rootContext();
  await invoke(createRole, ctx, { RoleName: 'app', AssumeRolePolicyDocument: IRSA_TRUST });
  const out = await invoke(updateRoleDescription, ctx, { RoleName: 'app', Description: 'reads S3' });
  assert.equal(out.Role.RoleName, 'app');
  assert.equal(out.Role.Description, 'reads S3');
  assert.equal(decodeURIComponent(out.Role.AssumeRolePolicyDocument ?? ''), IRSA_TRUST);
  await store.close();
});

test('UpdateRoleDescription without Description is ValidationError; of a missing role NoSuchEntity', async () => {
  const { ctx, store } = await rootContext();
  await assert.rejects(invoke(updateRoleDescription, ctx, { RoleName: 'app' }), {
    code: 'ValidationError',
    message:
      "1 validation error detected: Value null at 'description' failed to satisfy constraint: Member must not be null",
  });
  await assert.rejects(invoke(updateRoleDescription, ctx, { RoleName: 'gone', Description: 'x' }), {
    code: 'NoSuchEntity',
    status: 404,
  });
  await store.close();
});
