import assert from 'node:assert/strict';
import { test } from 'node:test';
import { invoke, IRSA_TRUST, READ_S3, rootContext } from '../testdata/context.js';
import { createPolicy } from './create-policy.js';
import { createRole } from './create-role.js';
import { detachRolePolicy } from './detach-role-policy.js';

test('DetachRolePolicy of a policy that is not attached is NoSuchEntity', async () => {
  const { ctx, store } = await rootContext();
  await invoke(createRole, ctx, { RoleName: 'app', AssumeRolePolicyDocument: IRSA_TRUST });
  const arn =
    (await invoke(createPolicy, ctx, { PolicyName: 'read', PolicyDocument: READ_S3 })).Policy.Arn ?? '';
  await assert.rejects(invoke(detachRolePolicy, ctx, { RoleName: 'app', PolicyArn: arn }), {
    code: 'NoSuchEntity',
    status: 404,
    message: `Policy ${arn} was not found.`,
  });
  await store.close();
});
