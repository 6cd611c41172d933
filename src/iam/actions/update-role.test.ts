import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ACCOUNT, invoke, IRSA_TRUST, rootContext } from '../testdata/context.js';
import { createRole } from './create-role.js';
import { getRole } from './get-role.js';
import { updateRole } from './update-role.js';

test('UpdateRole changes Description and MaxSessionDuration; a member left out keeps its value', async () => {
  const { ctx, store } = await rootContext();
  await invoke(createRole, ctx, {
    RoleName: 'app',
    AssumeRolePolicyDocument: IRSA_TRUST,
    Description: 'old',
  });
  await invoke(updateRole, ctx, { RoleName: 'APP', MaxSessionDuration: '43200' });
  let role = (await invoke(getRole, ctx, { RoleName: 'app' })).Role;
  assert.equal(role.MaxSessionDuration, 43200);
  assert.equal(role.Description, 'old');
  await invoke(updateRole, ctx, { RoleName: 'app', Description: 'new' });
  role = (await invoke(getRole, ctx, { RoleName: 'app' })).Role;
  assert.equal(role.Description, 'new');
  assert.equal(role.MaxSessionDuration, 43200);
  await store.close();
});

test('UpdateRole with MaxSessionDuration outside 3600..43200 is ValidationError naming maxSessionDuration', async () => {
  const { ctx, store } = await rootContext();
  await assert.rejects(invoke(updateRole, ctx, { RoleName: 'app', MaxSessionDuration: '43201' }), {
    code: 'ValidationError',
    status: 400,
    message:
      "1 validation error detected: Value '43201' at 'maxSessionDuration' failed to satisfy constraint: Member must have value less than or equal to 43200",
  });
  await assert.rejects(invoke(updateRole, ctx, { RoleName: 'app', MaxSessionDuration: '3599' }), {
    code: 'ValidationError',
  });
  await store.close();
});

test('UpdateRole of a missing role is NoSuchEntity 404', async () => {
  const { ctx, store } = await rootContext();
  await assert.rejects(invoke(updateRole, ctx, { RoleName: 'gone', Description: 'x' }), {
    code: 'NoSuchEntity',
    status: 404,
    message: 'The role with name gone cannot be found.',
  });
  await store.close();
});

test('UpdateRole authorizes iam:UpdateRole on the role ARN with its path', async () => {
  const { ctx, store } = await rootContext();
  await invoke(createRole, ctx, { RoleName: 'app', Path: '/team/', AssumeRolePolicyDocument: IRSA_TRUST });
  assert.deepEqual(await updateRole.authorize({ RoleName: 'App' }, ctx), [
    { action: 'iam:UpdateRole', resource: `arn:aws:iam::${ACCOUNT}:role/team/app` },
  ]);
  assert.deepEqual(await updateRole.authorize({ RoleName: 'missing' }, ctx), [
    { action: 'iam:UpdateRole', resource: `arn:aws:iam::${ACCOUNT}:role/missing` },
  ]);
  await store.close();
});
