import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ACCOUNT, invoke, IRSA_TRUST, READ_S3, rootContext } from '../testdata/context.js';
import { createPolicy } from './create-policy.js';
import { createRole } from './create-role.js';
import { getPolicy } from './get-policy.js';
import { getRole } from './get-role.js';
import { putRolePermissionsBoundary } from './put-role-permissions-boundary.js';

test('PutRolePermissionsBoundary sets the boundary; GetRole and the policy usage count show it', async () => {
  const { ctx, store } = await rootContext();
  await invoke(createRole, ctx, { RoleName: 'app', AssumeRolePolicyDocument: IRSA_TRUST });
  const arn =
    (await invoke(createPolicy, ctx, { PolicyName: 'bound', PolicyDocument: READ_S3 })).Policy.Arn ?? '';
  await invoke(putRolePermissionsBoundary, ctx, { RoleName: 'app', PermissionsBoundary: arn });
  assert.deepEqual((await invoke(getRole, ctx, { RoleName: 'app' })).Role.PermissionsBoundary, {
    PermissionsBoundaryType: 'PermissionsBoundaryPolicy',
    PermissionsBoundaryArn: arn,
  });
  assert.equal((await invoke(getPolicy, ctx, { PolicyArn: arn })).Policy.PermissionsBoundaryUsageCount, 1);
  await store.close();
});

test('PutRolePermissionsBoundary with a policy that does not exist is NoSuchEntity, and changes nothing', async () => {
  const { ctx, store } = await rootContext();
  await invoke(createRole, ctx, { RoleName: 'app', AssumeRolePolicyDocument: IRSA_TRUST });
  for (const arn of [`arn:aws:iam::${ACCOUNT}:policy/none`, 'arn:aws:iam::aws:policy/ReadOnlyAccess']) {
    await assert.rejects(
      invoke(putRolePermissionsBoundary, ctx, { RoleName: 'app', PermissionsBoundary: arn }),
      {
        code: 'NoSuchEntity',
        status: 404,
        message: `Scope ARN: ${arn} does not exist or is not attachable.`,
      },
    );
  }
  assert.equal((await invoke(getRole, ctx, { RoleName: 'app' })).Role.PermissionsBoundary, undefined);
  await store.close();
});

test('PutRolePermissionsBoundary on a missing role is NoSuchEntity for the role', async () => {
  const { ctx, store } = await rootContext();
  const arn =
    (await invoke(createPolicy, ctx, { PolicyName: 'bound', PolicyDocument: READ_S3 })).Policy.Arn ?? '';
  await assert.rejects(
    invoke(putRolePermissionsBoundary, ctx, { RoleName: 'gone', PermissionsBoundary: arn }),
    {
      code: 'NoSuchEntity',
      message: 'The role with name gone cannot be found.',
    },
  );
  await store.close();
});
