import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ACCOUNT, invoke, READ_S3, rootContext } from '../testdata/context.js';
import { createPolicy } from './create-policy.js';
import { getPolicyVersion } from './get-policy-version.js';

test('CreatePolicy makes an ANPA policy whose default version is v1', async () => {
  const { ctx, store } = await rootContext();
  const out = await invoke(createPolicy, ctx, { PolicyName: 'read', PolicyDocument: READ_S3 });
  assert.equal(out.Policy.Arn, `arn:aws:iam::${ACCOUNT}:policy/read`);
  assert.match(out.Policy.PolicyId ?? '', /^ANPA/);
  assert.equal(out.Policy.DefaultVersionId, 'v1');
  assert.equal(out.Policy.AttachmentCount, 0);
  const v = await invoke(getPolicyVersion, ctx, { PolicyArn: out.Policy.Arn ?? '', VersionId: 'v1' });
  assert.equal(decodeURIComponent(v.PolicyVersion?.Document ?? ''), READ_S3);
  assert.equal(v.PolicyVersion?.IsDefaultVersion, true);
  await store.close();
});

test('CreatePolicy with a taken name is EntityAlreadyExists 409', async () => {
  const { ctx, store } = await rootContext();
  await invoke(createPolicy, ctx, { PolicyName: 'read', PolicyDocument: READ_S3 });
  await assert.rejects(invoke(createPolicy, ctx, { PolicyName: 'read', PolicyDocument: READ_S3 }), {
    code: 'EntityAlreadyExists',
    status: 409,
    message: 'A policy called read already exists. Duplicate names are not allowed.',
  });
  await store.close();
});

test('CreatePolicy without Action is MalformedPolicyDocument "Policy statement must contain actions."', async () => {
  const { ctx, store } = await rootContext();
  const doc = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Resource: '*' }] });
  await assert.rejects(invoke(createPolicy, ctx, { PolicyName: 'p', PolicyDocument: doc }), {
    code: 'MalformedPolicyDocument',
    status: 400,
    message: 'Policy statement must contain actions.',
  });
  await store.close();
});
