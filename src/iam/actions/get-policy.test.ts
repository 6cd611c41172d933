import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ACCOUNT, invoke, READ_S3, rootContext } from '../testdata/context.js';
import { createPolicy } from './create-policy.js';
import { getPolicy } from './get-policy.js';

test('GetPolicy returns the policy CreatePolicy made', async () => {
  const { ctx, store } = await rootContext();
  const made = await invoke(createPolicy, ctx, {
    PolicyName: 'read',
    PolicyDocument: READ_S3,
    Description: 'd',
  });
  const out = await invoke(getPolicy, ctx, { PolicyArn: made.Policy.Arn ?? '' });
  assert.deepEqual(out.Policy, made.Policy);
  await store.close();
});

test('GetPolicy of a missing policy is NoSuchEntity 404', async () => {
  const { ctx, store } = await rootContext();
  const arn = `arn:aws:iam::${ACCOUNT}:policy/none`;
  await assert.rejects(invoke(getPolicy, ctx, { PolicyArn: arn }), {
    code: 'NoSuchEntity',
    status: 404,
    message: `Policy ${arn} does not exist or is not attachable.`,
  });
  await store.close();
});
