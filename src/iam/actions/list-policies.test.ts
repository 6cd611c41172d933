import assert from 'node:assert/strict';
import { test } from 'node:test';
import { invoke, IRSA_TRUST, READ_S3, rootContext } from '../testdata/context.js';
import { attachRolePolicy } from './attach-role-policy.js';
import { createPolicy } from './create-policy.js';
import { createRole } from './create-role.js';
import { listPolicies } from './list-policies.js';
import { putRolePermissionsBoundary } from './put-role-permissions-boundary.js';

async function fixture() {
  const { ctx, store } = await rootContext();
  const arns: Record<string, string> = {};
  for (const [name, path] of [
    ['c', '/'],
    ['a', '/team/'],
    ['b', '/'],
    ['d', '/team/'],
  ] as const) {
    const out = await invoke(createPolicy, ctx, {
      PolicyName: name,
      Path: path,
      PolicyDocument: READ_S3,
      'Tags.member.1.Key': 'k',
      'Tags.member.1.Value': 'v',
    });
    arns[name] = out.Policy.Arn ?? '';
  }
  await invoke(createRole, ctx, { RoleName: 'r', AssumeRolePolicyDocument: IRSA_TRUST });
  await invoke(attachRolePolicy, ctx, { RoleName: 'r', PolicyArn: arns.a ?? '' });
  await invoke(putRolePermissionsBoundary, ctx, { RoleName: 'r', PermissionsBoundary: arns.d ?? '' });
  return { ctx, store };
}

test('ListPolicies lists customer managed policies in name order, paged, without tags', async () => {
  const { ctx, store } = await fixture();
  const first = await invoke(listPolicies, ctx, { MaxItems: '3' });
  assert.deepEqual(
    first.Policies?.map((p) => p.PolicyName),
    ['a', 'b', 'c'],
  );
  assert.equal(first.Policies?.[0]?.Tags, undefined);
  assert.equal(first.Policies?.[0]?.AttachmentCount, 1);
  assert.equal(first.IsTruncated, true);
  const rest = await invoke(listPolicies, ctx, { MaxItems: '3', Marker: first.Marker ?? '' });
  assert.deepEqual(
    rest.Policies?.map((p) => p.PolicyName),
    ['d'],
  );
  assert.equal(rest.IsTruncated, false);
  await store.close();
});

test('ListPolicies Scope=AWS lists nothing (no AWS managed policies); Local and All list the same', async () => {
  const { ctx, store } = await fixture();
  const aws = await invoke(listPolicies, ctx, { Scope: 'AWS' });
  assert.deepEqual(aws.Policies, []);
  assert.equal(aws.IsTruncated, false);
  const local = await invoke(listPolicies, ctx, { Scope: 'Local' });
  const all = await invoke(listPolicies, ctx, { Scope: 'All' });
  assert.deepEqual(local, all);
  await assert.rejects(invoke(listPolicies, ctx, { Scope: 'Mine' }), {
    code: 'ValidationError',
    message:
      "1 validation error detected: Value 'Mine' at 'scope' failed to satisfy constraint: Member must satisfy enum value set: [All, AWS, Local]",
  });
  await store.close();
});

test('ListPolicies PathPrefix, OnlyAttached and PolicyUsageFilter=PermissionsBoundary filter', async () => {
  const { ctx, store } = await fixture();
  const names = async (params: Record<string, string>) =>
    (await invoke(listPolicies, ctx, params)).Policies?.map((p) => p.PolicyName);
  assert.deepEqual(await names({ PathPrefix: '/team/' }), ['a', 'd']);
  assert.deepEqual(await names({ OnlyAttached: 'true' }), ['a']);
  assert.deepEqual(await names({ OnlyAttached: 'true', PolicyUsageFilter: 'PermissionsPolicy' }), ['a']);
  assert.deepEqual(await names({ OnlyAttached: 'true', PolicyUsageFilter: 'PermissionsBoundary' }), ['d']);
  assert.deepEqual(await names({ PolicyUsageFilter: 'PermissionsBoundary' }), ['a', 'b', 'c', 'd']);
  const paged = await invoke(listPolicies, ctx, {
    OnlyAttached: 'true',
    PolicyUsageFilter: 'PermissionsBoundary',
    MaxItems: '1',
  });
  assert.deepEqual(
    paged.Policies?.map((p) => p.PolicyName),
    ['d'],
  );
  assert.equal(paged.IsTruncated, false);
  await assert.rejects(invoke(listPolicies, ctx, { Marker: 'not-a-marker' }), {
    code: 'InvalidInput',
    status: 400,
  });
  await store.close();
});
