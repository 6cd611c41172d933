import assert from 'node:assert/strict';
import { test } from 'node:test';
import { invoke, READ_S3, rootContext } from '../testdata/context.js';
import { attachUserPolicy } from './attach-user-policy.js';
import { createPolicy } from './create-policy.js';
import { createUser } from './create-user.js';
import { detachUserPolicy } from './detach-user-policy.js';
import { listAttachedUserPolicies } from './list-attached-user-policies.js';

test('DetachUserPolicy detaches; detaching a policy that is not attached is NoSuchEntity 404', async () => {
  const { ctx, store } = await rootContext();
  await invoke(createUser, ctx, { UserName: 'alice' });
  const p = await invoke(createPolicy, ctx, { PolicyName: 'read', PolicyDocument: READ_S3 });
  const arn = p.Policy.Arn ?? '';
  await invoke(attachUserPolicy, ctx, { UserName: 'alice', PolicyArn: arn });
  await invoke(detachUserPolicy, ctx, { UserName: 'alice', PolicyArn: arn });
  assert.deepEqual((await invoke(listAttachedUserPolicies, ctx, { UserName: 'alice' })).AttachedPolicies, []);
  await assert.rejects(invoke(detachUserPolicy, ctx, { UserName: 'alice', PolicyArn: arn }), {
    code: 'NoSuchEntity',
    status: 404,
    message: `Policy ${arn} was not found.`,
  });
  await assert.rejects(invoke(detachUserPolicy, ctx, { UserName: 'ghost', PolicyArn: arn }), {
    code: 'NoSuchEntity',
    message: 'The user with name ghost cannot be found.',
  });
  await store.close();
});
