import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createRole } from './actions/create-role.js';
import { deleteRolePermissionsBoundary } from './actions/delete-role-permissions-boundary.js';
import { putRolePermissionsBoundary } from './actions/put-role-permissions-boundary.js';
import { tagRole } from './actions/tag-role.js';
import { roleNeed } from './authorization-needs.js';
import { ACCOUNT, rootContext } from './testdata/context.js';

test('roleNeed authorizes on the stored role ARN with its path, found by name in any case', async () => {
  const { ctx, store } = await rootContext();
  await store.roles.create({
    accountId: ACCOUNT,
    name: 'App',
    id: 'AROAEXAMPLEROLEPATH01',
    path: '/a/b/',
    arn: `arn:aws:iam::${ACCOUNT}:role/a/b/App`,
    trustPolicy: '{}',
    createdAt: 0,
  });
  assert.deepEqual(await roleNeed(ctx, 'iam:GetRole', 'app'), [
    { action: 'iam:GetRole', resource: `arn:aws:iam::${ACCOUNT}:role/a/b/App` },
  ]);
  assert.deepEqual(await roleNeed(ctx, 'iam:GetRole', 'other'), [
    { action: 'iam:GetRole', resource: `arn:aws:iam::${ACCOUNT}:role/other` },
  ]);
  await store.close();
});

test('role needs carry the role tags as aws:ResourceTag and iam:ResourceTag, and what the action adds', async () => {
  const { ctx, store } = await rootContext();
  await store.roles.create({
    accountId: ACCOUNT,
    name: 'tagged',
    id: 'AROAEXAMPLEROLETAGS01',
    path: '/',
    arn: `arn:aws:iam::${ACCOUNT}:role/tagged`,
    trustPolicy: '{}',
    tags: [{ key: 'Team', value: 'a' }],
    createdAt: 0,
  });
  const [need] = await tagRole.authorize({ RoleName: 'tagged', Tags: [{ Key: 'Env', Value: 'dev' }] }, ctx);
  assert.deepEqual(
    need?.context,
    new Map<string, string | string[]>([
      ['aws:resourcetag/team', 'a'],
      ['iam:resourcetag/team', 'a'],
      ['aws:requesttag/env', 'dev'],
      ['aws:tagkeys', ['Env']],
    ]),
  );
  await store.close();
});

test('boundary needs carry iam:PermissionsBoundary: the one set, or the one in place when deleted', async () => {
  const { ctx, store } = await rootContext();
  const boundary = `arn:aws:iam::${ACCOUNT}:policy/b`;
  await store.roles.create({
    accountId: ACCOUNT,
    name: 'bounded',
    id: 'AROAEXAMPLEROLEBOUND1',
    path: '/',
    arn: `arn:aws:iam::${ACCOUNT}:role/bounded`,
    trustPolicy: '{}',
    permissionsBoundaryArn: boundary,
    createdAt: 0,
  });
  const [put] = await putRolePermissionsBoundary.authorize(
    { RoleName: 'x', PermissionsBoundary: `${boundary}2` },
    ctx,
  );
  assert.equal(put?.context?.get('iam:permissionsboundary'), `${boundary}2`);
  const [del] = await deleteRolePermissionsBoundary.authorize({ RoleName: 'bounded' }, ctx);
  assert.equal(del?.context?.get('iam:permissionsboundary'), boundary);
  const [create] = await createRole.authorize(
    {
      RoleName: 'n',
      AssumeRolePolicyDocument: '{}',
      PermissionsBoundary: boundary,
      Tags: [{ Key: 'k', Value: 'v' }],
    },
    ctx,
  );
  assert.equal(create?.context?.get('iam:permissionsboundary'), boundary);
  assert.equal(create?.context?.get('aws:requesttag/k'), 'v');
  await store.close();
});
