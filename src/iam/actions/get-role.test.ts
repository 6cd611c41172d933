import assert from 'node:assert/strict';
import { test } from 'node:test';
import { invoke, IRSA_TRUST, rootContext } from '../testdata/context.js';
import { createRole } from './create-role.js';
import { getRole } from './get-role.js';

test('GetRole returns the trust policy percent-encoded, decoding to the document sent', async () => {
  const { ctx, store } = await rootContext();
  await invoke(createRole, ctx, { RoleName: 'app', AssumeRolePolicyDocument: IRSA_TRUST, Description: 'd' });
  const out = await invoke(getRole, ctx, { RoleName: 'App' });
  assert.equal(out.Role.RoleName, 'app');
  assert.equal(out.Role.Description, 'd');
  assert.match(out.Role.AssumeRolePolicyDocument ?? '', /^%7B%22Version%22%3A%222012-10-17%22/);
  assert.equal(decodeURIComponent(out.Role.AssumeRolePolicyDocument ?? ''), IRSA_TRUST);
  await store.close();
});

test('GetRole of a missing role is NoSuchEntity 404 "The role with name X cannot be found."', async () => {
  const { ctx, store } = await rootContext();
  await assert.rejects(invoke(getRole, ctx, { RoleName: 'missing' }), {
    code: 'NoSuchEntity',
    status: 404,
    message: 'The role with name missing cannot be found.',
  });
  await store.close();
});
