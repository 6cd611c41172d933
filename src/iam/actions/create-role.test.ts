import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ACCOUNT, invoke, IRSA_TRUST, rootContext } from '../testdata/context.js';
import { createRole } from './create-role.js';

test('CreateRole returns the role with an AROA id, the ARN with its path and MaxSessionDuration 3600', async () => {
  const { ctx, store } = await rootContext();
  const out = await invoke(createRole, ctx, {
    RoleName: 'app',
    Path: '/irsa/',
    AssumeRolePolicyDocument: IRSA_TRUST,
    'Tags.member.1.Key': 'team',
    'Tags.member.1.Value': 'a',
  });
  assert.match(out.Role.RoleId, /^AROA[A-Z0-9]{17}$/);
  assert.equal(out.Role.Arn, `arn:aws:iam::${ACCOUNT}:role/irsa/app`);
  assert.equal(out.Role.MaxSessionDuration, 3600);
  assert.equal(decodeURIComponent(out.Role.AssumeRolePolicyDocument ?? ''), IRSA_TRUST);
  assert.deepEqual(out.Role.Tags, [{ Key: 'team', Value: 'a' }]);
  await store.close();
});

test('CreateRole with a taken name is EntityAlreadyExists 409 "Role with name X already exists."', async () => {
  const { ctx, store } = await rootContext();
  await invoke(createRole, ctx, { RoleName: 'app', AssumeRolePolicyDocument: IRSA_TRUST });
  await assert.rejects(invoke(createRole, ctx, { RoleName: 'APP', AssumeRolePolicyDocument: IRSA_TRUST }), {
    code: 'EntityAlreadyExists',
    status: 409,
    message: 'Role with name APP already exists.',
  });
  await store.close();
});

test('CreateRole with a trust policy that is not JSON is MalformedPolicyDocument 400', async () => {
  const { ctx, store } = await rootContext();
  await assert.rejects(invoke(createRole, ctx, { RoleName: 'app', AssumeRolePolicyDocument: '{nope' }), {
    code: 'MalformedPolicyDocument',
    status: 400,
    message: 'Syntax errors in policy.',
  });
  await store.close();
});

test('CreateRole with a RoleName over 64 characters is ValidationError naming roleName', async () => {
  const { ctx, store } = await rootContext();
  await assert.rejects(
    invoke(createRole, ctx, { RoleName: 'r'.repeat(65), AssumeRolePolicyDocument: IRSA_TRUST }),
    {
      code: 'ValidationError',
      status: 400,
      message: `1 validation error detected: Value '${'r'.repeat(65)}' at 'roleName' failed to satisfy constraint: Member must have length less than or equal to 64`,
    },
  );
  await store.close();
});

test('CreateRole authorizes iam:CreateRole on the ARN of the role it creates', async () => {
  const { ctx, store } = await rootContext();
  const needs = createRole.authorize({ RoleName: 'app', Path: '/p/', AssumeRolePolicyDocument: '{}' }, ctx);
  assert.deepEqual(needs, [{ action: 'iam:CreateRole', resource: `arn:aws:iam::${ACCOUNT}:role/p/app` }]);
  await store.close();
});

test('CreateRole with a PermissionsBoundary that is no managed policy is NoSuchEntity "Scope ARN: ..."', async () => {
  const { ctx, store } = await rootContext();
  const arn = `arn:aws:iam::${ACCOUNT}:policy/none`;
  await assert.rejects(
    invoke(createRole, ctx, {
      RoleName: 'app',
      AssumeRolePolicyDocument: IRSA_TRUST,
      PermissionsBoundary: arn,
    }),
    { code: 'NoSuchEntity', status: 404, message: `Scope ARN: ${arn} does not exist or is not attachable.` },
  );
  await store.close();
});

test('CreateRole with tag keys that differ only in case is InvalidInput and creates nothing', async () => {
  const { ctx, store } = await rootContext();
  await assert.rejects(
    invoke(createRole, ctx, {
      RoleName: 'app',
      AssumeRolePolicyDocument: IRSA_TRUST,
      'Tags.member.1.Key': 'Team',
      'Tags.member.1.Value': 'a',
      'Tags.member.2.Key': 'team',
      'Tags.member.2.Value': 'b',
    }),
    { code: 'InvalidInput', status: 400 },
  );
  assert.equal(await store.roles.get(ACCOUNT, 'app'), undefined);
  await store.close();
});

test('CreateRole keeps Description, MaxSessionDuration and PermissionsBoundary', async () => {
  const { ctx, store } = await rootContext();
  const arn = `arn:aws:iam::${ACCOUNT}:policy/b`;
  await store.managedPolicies.create({
    accountId: ACCOUNT,
    name: 'b',
    id: 'ANPAEXAMPLEBOUNDARY01',
    path: '/',
    arn,
    document: '{"Version":"2012-10-17","Statement":[]}',
    createdAt: 0,
  });
  const out = await invoke(createRole, ctx, {
    RoleName: 'app',
    AssumeRolePolicyDocument: IRSA_TRUST,
    Description: 'd',
    MaxSessionDuration: '7200',
    PermissionsBoundary: arn,
  });
  assert.equal(out.Role.Description, 'd');
  assert.equal(out.Role.MaxSessionDuration, 7200);
  assert.equal(out.Role.PermissionsBoundary?.PermissionsBoundaryArn, arn);
  await store.close();
});
