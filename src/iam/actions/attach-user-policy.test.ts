import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ACCOUNT, invoke, READ_S3, rootContext } from '../testdata/context.js';
import { attachUserPolicy } from './attach-user-policy.js';
import { createPolicy } from './create-policy.js';
import { createUser } from './create-user.js';
import { listAttachedUserPolicies } from './list-attached-user-policies.js';

test('AttachUserPolicy attaches a managed policy; attaching it again changes nothing', async () => {
  const { ctx, store } = await rootContext();
  await invoke(createUser, ctx, { UserName: 'alice' });
  const p = await invoke(createPolicy, ctx, { PolicyName: 'read', PolicyDocument: READ_S3 });
  const arn = p.Policy.Arn ?? '';
  await invoke(attachUserPolicy, ctx, { UserName: 'alice', PolicyArn: arn });
  await invoke(attachUserPolicy, ctx, { UserName: 'alice', PolicyArn: arn });
  const out = await invoke(listAttachedUserPolicies, ctx, { UserName: 'alice' });
  assert.deepEqual(out.AttachedPolicies, [{ PolicyName: 'read', PolicyArn: arn }]);
  await store.close();
});

test('AttachUserPolicy of a policy that does not exist is NoSuchEntity 404', async () => {
  const { ctx, store } = await rootContext();
  await invoke(createUser, ctx, { UserName: 'alice' });
  const arn = `arn:aws:iam::${ACCOUNT}:policy/none`;
  await assert.rejects(invoke(attachUserPolicy, ctx, { UserName: 'alice', PolicyArn: arn }), {
    code: 'NoSuchEntity',
    status: 404,
    message: `Policy ${arn} does not exist or is not attachable.`,
  });
  await assert.rejects(invoke(attachUserPolicy, ctx, { UserName: 'ghost', PolicyArn: arn }), {
    message: 'The user with name ghost cannot be found.',
  });
  await store.close();
});

test('AttachUserPolicy of an eleventh policy is LimitExceeded 409 "Cannot exceed quota for PoliciesPerUser: 10"', async () => {
  const { ctx, store } = await rootContext();
  await invoke(createUser, ctx, { UserName: 'alice' });
  const arns: string[] = [];
  for (let n = 0; n < 11; n++) {
    const p = await invoke(createPolicy, ctx, { PolicyName: `p${n}`, PolicyDocument: READ_S3 });
    arns.push(p.Policy.Arn ?? '');
  }
  for (const arn of arns.slice(0, 10))
    await invoke(attachUserPolicy, ctx, { UserName: 'alice', PolicyArn: arn });
  await assert.rejects(invoke(attachUserPolicy, ctx, { UserName: 'alice', PolicyArn: arns[10] ?? '' }), {
    code: 'LimitExceeded',
    status: 409,
    message: 'Cannot exceed quota for PoliciesPerUser: 10',
  });
  // Attaching one already attached is still no change, not a quota error.
  await invoke(attachUserPolicy, ctx, { UserName: 'alice', PolicyArn: arns[0] ?? '' });
  await store.close();
});
