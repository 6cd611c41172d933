import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ACCOUNT, invoke, IRSA_TRUST, READ_S3, rootContext } from '../testdata/context.js';
import { attachRolePolicy } from './attach-role-policy.js';
import { createPolicy } from './create-policy.js';
import { createRole } from './create-role.js';
import { deletePolicy } from './delete-policy.js';
import { deleteRole } from './delete-role.js';
import { detachRolePolicy } from './detach-role-policy.js';
import { getPolicy } from './get-policy.js';
import { listAttachedRolePolicies } from './list-attached-role-policies.js';

test('AttachRolePolicy attaches once; the role cannot be deleted and the policy cannot be deleted until detached', async () => {
  const { ctx, store } = await rootContext();
  await invoke(createRole, ctx, { RoleName: 'app', AssumeRolePolicyDocument: IRSA_TRUST });
  const arn =
    (await invoke(createPolicy, ctx, { PolicyName: 'read', PolicyDocument: READ_S3 })).Policy.Arn ?? '';
  await invoke(attachRolePolicy, ctx, { RoleName: 'app', PolicyArn: arn });
  await invoke(attachRolePolicy, ctx, { RoleName: 'app', PolicyArn: arn });
  const listed = await invoke(listAttachedRolePolicies, ctx, { RoleName: 'app' });
  assert.deepEqual(listed.AttachedPolicies, [{ PolicyName: 'read', PolicyArn: arn }]);
  assert.equal((await invoke(getPolicy, ctx, { PolicyArn: arn })).Policy.AttachmentCount, 1);
  await assert.rejects(invoke(deleteRole, ctx, { RoleName: 'app' }), { code: 'DeleteConflict', status: 409 });
  await assert.rejects(invoke(deletePolicy, ctx, { PolicyArn: arn }), {
    code: 'DeleteConflict',
    status: 409,
    message: 'Cannot delete a policy attached to entities.',
  });
  await invoke(detachRolePolicy, ctx, { RoleName: 'app', PolicyArn: arn });
  await invoke(deletePolicy, ctx, { PolicyArn: arn });
  await invoke(deleteRole, ctx, { RoleName: 'app' });
  await store.close();
});

test('AttachRolePolicy of a missing policy is NoSuchEntity naming the policy', async () => {
  const { ctx, store } = await rootContext();
  await invoke(createRole, ctx, { RoleName: 'app', AssumeRolePolicyDocument: IRSA_TRUST });
  const arn = `arn:aws:iam::${ACCOUNT}:policy/none`;
  await assert.rejects(invoke(attachRolePolicy, ctx, { RoleName: 'app', PolicyArn: arn }), {
    code: 'NoSuchEntity',
    message: `Policy ${arn} does not exist or is not attachable.`,
  });
  await store.close();
});
