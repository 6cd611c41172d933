import assert from 'node:assert/strict';
import { test } from 'node:test';
import { authorize } from '../policy/authorize.js';
import type { Caller } from './caller.js';
import { callerPrincipal } from './caller.js';
import { callerPolicies } from './caller-policies.js';
import { ACCOUNT, rootContext } from './testdata/context.js';

const USER_ARN = `arn:aws:iam::${ACCOUNT}:user/alice`;
const alice: Caller = {
  kind: 'user',
  accountId: ACCOUNT,
  partition: 'aws',
  arn: USER_ARN,
  userId: 'AIDAALICE',
  userName: 'alice',
  accessKeyId: 'AKIAALICE',
};
const ROLE = `arn:aws:iam::${ACCOUNT}:role/app`;

const allow = (action: string, resource: string) =>
  JSON.stringify({
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Action: action, Resource: resource }],
  });

async function decide(
  caller: Caller,
  action: string,
  resource: string,
  store: Parameters<typeof callerPolicies>[0],
) {
  const p = await callerPolicies(store, caller);
  return authorize({
    principal: callerPrincipal(caller),
    action,
    resource,
    context: new Map(),
    identityPolicies: p.identityPolicies,
    ...(p.permissionsBoundary !== undefined ? { permissionsBoundary: p.permissionsBoundary } : {}),
  }).decision;
}

async function withAlice() {
  const { ctx, store } = await rootContext();
  await store.users.create({
    accountId: ACCOUNT,
    name: 'alice',
    id: 'AIDAALICE',
    path: '/',
    arn: USER_ARN,
    createdAt: 0,
  });
  return { ctx, store };
}

test('an IAM user is allowed what its inline policy allows and implicitly denied the rest', async () => {
  const { store } = await withAlice();
  await store.users.putPolicy(ACCOUNT, 'alice', {
    name: 'roles',
    document: allow('iam:GetRole', 'arn:aws:iam::*:role/*'),
  });
  assert.equal(await decide(alice, 'iam:GetRole', ROLE, store), 'allowed');
  assert.equal(await decide(alice, 'iam:DeleteRole', ROLE, store), 'implicitDeny');
  await store.close();
});

test('an IAM user is allowed what an attached managed policy allows', async () => {
  const { store } = await withAlice();
  const arn = `arn:aws:iam::${ACCOUNT}:policy/all-iam`;
  await store.managedPolicies.create({
    accountId: ACCOUNT,
    name: 'all-iam',
    id: 'ANPAX',
    path: '/',
    arn,
    document: allow('iam:*', '*'),
    createdAt: 0,
  });
  await store.users.attachPolicy(ACCOUNT, 'alice', arn);
  assert.equal(await decide(alice, 'iam:CreateRole', ROLE, store), 'allowed');
  await store.close();
});

test('a permissions boundary limits what an IAM user is allowed', async () => {
  const { store } = await withAlice();
  const arn = `arn:aws:iam::${ACCOUNT}:policy/only-get`;
  await store.managedPolicies.create({
    accountId: ACCOUNT,
    name: 'only-get',
    id: 'ANPAY',
    path: '/',
    arn,
    document: allow('iam:GetRole', '*'),
    createdAt: 0,
  });
  await store.users.update(ACCOUNT, 'alice', { permissionsBoundaryArn: arn });
  await store.users.putPolicy(ACCOUNT, 'alice', { name: 'all', document: allow('iam:*', '*') });
  assert.equal(await decide(alice, 'iam:GetRole', ROLE, store), 'allowed');
  assert.equal(await decide(alice, 'iam:DeleteRole', ROLE, store), 'implicitDeny');
  await store.close();
});

test('a user caller whose name now belongs to another user (another id) gets none of its policies', async () => {
  const { store } = await withAlice();
  await store.users.putPolicy(ACCOUNT, 'alice', { name: 'all', document: allow('iam:*', '*') });
  assert.equal(await decide(alice, 'iam:GetRole', ROLE, store), 'allowed');
  assert.equal(await decide({ ...alice, userId: 'AIDAOTHER' }, 'iam:GetRole', ROLE, store), 'implicitDeny');
  await store.close();
});

test('the account root is allowed in its own account without any policy', async () => {
  const { ctx, store } = await rootContext();
  assert.equal(await decide(ctx.caller, 'iam:DeleteRole', ROLE, store), 'allowed');
  await store.close();
});

const session = (over: Partial<Caller & { kind: 'assumedRole' }> = {}): Caller => ({
  kind: 'assumedRole',
  accountId: ACCOUNT,
  partition: 'aws',
  arn: `arn:aws:sts::${ACCOUNT}:assumed-role/app/s`,
  roleArn: ROLE,
  roleId: 'AROAAPP',
  roleName: 'app',
  sessionName: 's',
  accessKeyId: 'ASIAX',
  issuedAt: 0,
  expiresAt: 1,
  ...over,
});

async function withRole() {
  const { ctx, store } = await rootContext();
  await store.roles.create({
    accountId: ACCOUNT,
    name: 'app',
    id: 'AROAAPP',
    path: '/',
    arn: ROLE,
    trustPolicy: '{"Version":"2012-10-17","Statement":[]}',
    createdAt: 0,
  });
  await store.roles.putPolicy(ACCOUNT, 'app', { name: 'read', document: allow('iam:Get*', '*') });
  return { ctx, store };
}

async function decideWithSession(
  caller: Caller,
  action: string,
  store: Parameters<typeof callerPolicies>[0],
) {
  const p = await callerPolicies(store, caller);
  return authorize({
    principal: callerPrincipal(caller),
    action,
    resource: ROLE,
    context: new Map(),
    identityPolicies: p.identityPolicies,
    ...(p.permissionsBoundary !== undefined ? { permissionsBoundary: p.permissionsBoundary } : {}),
    ...(p.sessionPolicy !== undefined ? { sessionPolicy: p.sessionPolicy } : {}),
  }).decision;
}

test("a role session is allowed what its role's policies allow", async () => {
  const { store } = await withRole();
  assert.equal(await decideWithSession(session(), 'iam:GetRole', store), 'allowed');
  assert.equal(await decideWithSession(session(), 'iam:DeleteRole', store), 'implicitDeny');
  await store.close();
});

test('a session policy limits a role session to what both allow', async () => {
  const { store } = await withRole();
  const limited = session({ sessionPolicy: allow('iam:GetRolePolicy', '*') });
  assert.equal(await decideWithSession(limited, 'iam:GetRolePolicy', store), 'allowed');
  assert.equal(await decideWithSession(limited, 'iam:GetRole', store), 'implicitDeny');
  await store.close();
});

test('managed session policies join the inline one; one that is gone allows nothing', async () => {
  const { store } = await withRole();
  const arn = `arn:aws:iam::${ACCOUNT}:policy/get-role`;
  await store.managedPolicies.create({
    accountId: ACCOUNT,
    name: 'get-role',
    id: 'ANPAGETROLE',
    path: '/',
    arn,
    document: allow('iam:GetRole', '*'),
    createdAt: 0,
  });
  const both = session({ sessionPolicy: allow('iam:GetRolePolicy', '*'), policyArns: [arn] });
  assert.equal(await decideWithSession(both, 'iam:GetRole', store), 'allowed');
  assert.equal(await decideWithSession(both, 'iam:GetRolePolicy', store), 'allowed');
  const gone = session({ policyArns: [`arn:aws:iam::${ACCOUNT}:policy/deleted`] });
  assert.equal(await decideWithSession(gone, 'iam:GetRole', store), 'implicitDeny');
  await store.close();
});

test('a session of a role deleted and created again gets nothing from the new role', async () => {
  const { store } = await withRole();
  assert.equal(
    await decideWithSession(session({ roleId: 'AROAOLDROLE' }), 'iam:GetRole', store),
    'implicitDeny',
  );
  await store.close();
});

test('a session of a deleted user gets nothing from a new user of the same name', async () => {
  const { store } = await withAlice();
  await store.users.putPolicy(ACCOUNT, 'alice', { name: 'roles', document: allow('iam:GetRole', '*') });
  const stale: Caller = { ...alice, userId: 'AIDAOLDALICE', temporary: { issuedAt: 0, expiresAt: 1 } };
  assert.equal(await decide(stale, 'iam:GetRole', ROLE, store), 'implicitDeny');
  assert.equal(await decide(alice, 'iam:GetRole', ROLE, store), 'allowed');
  await store.close();
});
