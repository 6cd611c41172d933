import assert from 'node:assert/strict';
import { test } from 'node:test';
import { callerPolicies } from '../caller-policies.js';
import { callerPrincipal } from '../caller.js';
import { authorize } from '../../policy/authorize.js';
import { ACCOUNT, invoke, IRSA_TRUST, READ_S3, rootContext } from '../testdata/context.js';
import { attachRolePolicy } from './attach-role-policy.js';
import { createPolicyVersion } from './create-policy-version.js';
import { createPolicy } from './create-policy.js';
import { createRole } from './create-role.js';
import { getPolicy } from './get-policy.js';
import { setDefaultPolicyVersion } from './set-default-policy-version.js';

const PUT_S3 = JSON.stringify({
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Action: 's3:PutObject', Resource: 'arn:aws:s3:::bucket/*' }],
});

test('SetDefaultPolicyVersion switches the version a role session is authorized with', async () => {
  const { ctx, store } = await rootContext();
  const arn =
    (await invoke(createPolicy, ctx, { PolicyName: 'p', PolicyDocument: READ_S3 })).Policy.Arn ?? '';
  await invoke(createPolicyVersion, ctx, { PolicyArn: arn, PolicyDocument: PUT_S3 });
  const role = (await invoke(createRole, ctx, { RoleName: 'app', AssumeRolePolicyDocument: IRSA_TRUST }))
    .Role;
  await invoke(attachRolePolicy, ctx, { RoleName: 'app', PolicyArn: arn });
  const session = {
    kind: 'assumedRole',
    accountId: ACCOUNT,
    partition: 'aws',
    arn: `arn:aws:sts::${ACCOUNT}:assumed-role/app/s`,
    roleArn: role.Arn,
    roleId: role.RoleId,
    roleName: 'app',
    sessionName: 's',
    accessKeyId: 'ASIAEXAMPLE',
    issuedAt: 0,
    expiresAt: 1,
  } as const;
  const decide = async (action: string) => {
    const p = await callerPolicies(store, session, ctx.policies);
    return authorize({
      principal: callerPrincipal(session),
      action,
      resource: 'arn:aws:s3:::bucket/key',
      context: new Map(),
      identityPolicies: p.identityPolicies,
    }).decision;
  };
  assert.equal(await decide('s3:GetObject'), 'allowed');
  assert.equal(await decide('s3:PutObject'), 'implicitDeny');
  await invoke(setDefaultPolicyVersion, ctx, { PolicyArn: arn, VersionId: 'v2' });
  assert.equal((await invoke(getPolicy, ctx, { PolicyArn: arn })).Policy.DefaultVersionId, 'v2');
  assert.equal(await decide('s3:GetObject'), 'implicitDeny');
  assert.equal(await decide('s3:PutObject'), 'allowed');
  await store.close();
});

test('SetDefaultPolicyVersion to a version that does not exist is NoSuchEntity, and keeps the default', async () => {
  const { ctx, store } = await rootContext();
  const arn =
    (await invoke(createPolicy, ctx, { PolicyName: 'p', PolicyDocument: READ_S3 })).Policy.Arn ?? '';
  await assert.rejects(invoke(setDefaultPolicyVersion, ctx, { PolicyArn: arn, VersionId: 'v9' }), {
    code: 'NoSuchEntity',
    status: 404,
    message: `Policy ${arn} version v9 does not exist.`,
  });
  assert.equal((await invoke(getPolicy, ctx, { PolicyArn: arn })).Policy.DefaultVersionId, 'v1');
  const missing = `arn:aws:iam::${ACCOUNT}:policy/none`;
  await assert.rejects(invoke(setDefaultPolicyVersion, ctx, { PolicyArn: missing, VersionId: 'v1' }), {
    code: 'NoSuchEntity',
    message: `Policy ${missing} does not exist or is not attachable.`,
  });
  await store.close();
});

test('SetDefaultPolicyVersion on a permissions boundary changes what the bounded role session may do', async () => {
  const { ctx, store } = await rootContext();
  const boundary =
    (await invoke(createPolicy, ctx, { PolicyName: 'b', PolicyDocument: READ_S3 })).Policy.Arn ?? '';
  await invoke(createPolicyVersion, ctx, { PolicyArn: boundary, PolicyDocument: PUT_S3 });
  const everything = JSON.stringify({
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Action: 's3:*', Resource: '*' }],
  });
  const all =
    (await invoke(createPolicy, ctx, { PolicyName: 'all', PolicyDocument: everything })).Policy.Arn ?? '';
  const role = (
    await invoke(createRole, ctx, {
      RoleName: 'app',
      AssumeRolePolicyDocument: IRSA_TRUST,
      PermissionsBoundary: boundary,
    })
  ).Role;
  await invoke(attachRolePolicy, ctx, { RoleName: 'app', PolicyArn: all });
  const session = {
    kind: 'assumedRole',
    accountId: ACCOUNT,
    partition: 'aws',
    arn: `arn:aws:sts::${ACCOUNT}:assumed-role/app/s`,
    roleArn: role.Arn,
    roleId: role.RoleId,
    roleName: 'app',
    sessionName: 's',
    accessKeyId: 'ASIAEXAMPLE',
    issuedAt: 0,
    expiresAt: 1,
  } as const;
  const decide = async (action: string) => {
    const p = await callerPolicies(store, session, ctx.policies);
    return authorize({
      principal: callerPrincipal(session),
      action,
      resource: 'arn:aws:s3:::bucket/key',
      context: new Map(),
      identityPolicies: p.identityPolicies,
      ...(p.permissionsBoundary !== undefined ? { permissionsBoundary: p.permissionsBoundary } : {}),
    }).decision;
  };
  assert.equal(await decide('s3:GetObject'), 'allowed');
  assert.equal(await decide('s3:PutObject'), 'implicitDeny');
  await invoke(setDefaultPolicyVersion, ctx, { PolicyArn: boundary, VersionId: 'v2' });
  assert.equal(await decide('s3:GetObject'), 'implicitDeny');
  assert.equal(await decide('s3:PutObject'), 'allowed');
  await store.close();
});
