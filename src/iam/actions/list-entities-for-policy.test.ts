import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ACCOUNT, invoke, IRSA_TRUST, READ_S3, rootContext } from '../testdata/context.js';
import { attachRolePolicy } from './attach-role-policy.js';
import { createPolicy } from './create-policy.js';
import { createRole } from './create-role.js';
import { listEntitiesForPolicy } from './list-entities-for-policy.js';
import { putRolePermissionsBoundary } from './put-role-permissions-boundary.js';

async function fixture() {
  const { ctx, store } = await rootContext();
  const arn =
    (await invoke(createPolicy, ctx, { PolicyName: 'p', PolicyDocument: READ_S3 })).Policy.Arn ?? '';
  const ids: Record<string, string> = {};
  for (const [name, path] of [
    ['attached', '/'],
    ['team', '/team/'],
    ['bounded', '/'],
  ] as const) {
    ids[name] = (
      await invoke(createRole, ctx, { RoleName: name, Path: path, AssumeRolePolicyDocument: IRSA_TRUST })
    ).Role.RoleId;
  }
  await invoke(attachRolePolicy, ctx, { RoleName: 'attached', PolicyArn: arn });
  await invoke(attachRolePolicy, ctx, { RoleName: 'team', PolicyArn: arn });
  await invoke(putRolePermissionsBoundary, ctx, { RoleName: 'bounded', PermissionsBoundary: arn });
  await store.users.create({
    accountId: ACCOUNT,
    name: 'alice',
    id: 'AIDAEXAMPLEALICE00001',
    path: '/',
    arn: `arn:aws:iam::${ACCOUNT}:user/alice`,
    createdAt: 0,
  });
  await store.users.attachPolicy(ACCOUNT, 'alice', arn);
  return { ctx, store, arn, ids };
}

const roleNames = (out: { PolicyRoles?: readonly { RoleName?: string }[] }) =>
  (out.PolicyRoles ?? []).map((r) => r.RoleName).sort();

test('ListEntitiesForPolicy lists attached roles and users, and bounded roles without a usage filter', async () => {
  const { ctx, store, arn, ids } = await fixture();
  const all = await invoke(listEntitiesForPolicy, ctx, { PolicyArn: arn });
  assert.deepEqual(roleNames(all), ['attached', 'bounded', 'team']);
  assert.deepEqual(all.PolicyUsers, [{ UserName: 'alice', UserId: 'AIDAEXAMPLEALICE00001' }]);
  assert.deepEqual(all.PolicyGroups, []);
  assert.equal(all.IsTruncated, false);
  const attached = await invoke(listEntitiesForPolicy, ctx, {
    PolicyArn: arn,
    PolicyUsageFilter: 'PermissionsPolicy',
  });
  assert.deepEqual(roleNames(attached), ['attached', 'team']);
  const bounded = await invoke(listEntitiesForPolicy, ctx, {
    PolicyArn: arn,
    PolicyUsageFilter: 'PermissionsBoundary',
  });
  assert.deepEqual(bounded.PolicyRoles, [{ RoleName: 'bounded', RoleId: ids.bounded }]);
  assert.deepEqual(bounded.PolicyUsers, []);
  await store.close();
});

test('ListEntitiesForPolicy EntityFilter and PathPrefix narrow the list; Group lists nothing', async () => {
  const { ctx, store, arn } = await fixture();
  const roles = await invoke(listEntitiesForPolicy, ctx, { PolicyArn: arn, EntityFilter: 'Role' });
  assert.deepEqual(roles.PolicyUsers, []);
  assert.equal(roles.PolicyRoles?.length, 3);
  const users = await invoke(listEntitiesForPolicy, ctx, { PolicyArn: arn, EntityFilter: 'User' });
  assert.deepEqual(roleNames(users), []);
  assert.equal(users.PolicyUsers?.length, 1);
  const team = await invoke(listEntitiesForPolicy, ctx, { PolicyArn: arn, PathPrefix: '/team/' });
  assert.deepEqual(roleNames(team), ['team']);
  assert.deepEqual(team.PolicyUsers, []);
  const groups = await invoke(listEntitiesForPolicy, ctx, { PolicyArn: arn, EntityFilter: 'Group' });
  assert.deepEqual([groups.PolicyRoles, groups.PolicyUsers, groups.PolicyGroups], [[], [], []]);
  await store.close();
});

test('ListEntitiesForPolicy pages with MaxItems and Marker, in both listing modes', async () => {
  const { ctx, store, arn } = await fixture();
  for (const filter of [{}, { PolicyUsageFilter: 'PermissionsPolicy' }] as Record<string, string>[]) {
    const seen: string[] = [];
    let marker: string | undefined;
    for (let n = 0; n < 10; n++) {
      const page = await invoke(listEntitiesForPolicy, ctx, {
        PolicyArn: arn,
        MaxItems: '1',
        ...filter,
        ...(marker !== undefined ? { Marker: marker } : {}),
      });
      seen.push(
        ...(page.PolicyRoles ?? []).map((r) => r.RoleName ?? ''),
        ...(page.PolicyUsers ?? []).map((u) => u.UserName ?? ''),
      );
      marker = page.Marker;
      if (page.IsTruncated !== true) break;
    }
    assert.equal(marker, undefined);
    assert.deepEqual(
      seen.sort(),
      filter.PolicyUsageFilter === undefined
        ? ['alice', 'attached', 'bounded', 'team']
        : ['alice', 'attached', 'team'],
    );
  }
  await store.close();
});

test('ListEntitiesForPolicy of a missing policy is NoSuchEntity 404', async () => {
  const { ctx, store } = await rootContext();
  const missing = `arn:aws:iam::${ACCOUNT}:policy/none`;
  await assert.rejects(invoke(listEntitiesForPolicy, ctx, { PolicyArn: missing }), {
    code: 'NoSuchEntity',
    status: 404,
    message: `Policy ${missing} does not exist or is not attachable.`,
  });
  await store.close();
});
