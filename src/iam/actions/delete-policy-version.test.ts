import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ACCOUNT, invoke, READ_S3, rootContext } from '../testdata/context.js';
import { createPolicyVersion } from './create-policy-version.js';
import { createPolicy } from './create-policy.js';
import { deletePolicyVersion } from './delete-policy-version.js';

test('DeletePolicyVersion of the default version is DeleteConflict 409 "Cannot delete the default version of a policy."', async () => {
  const { ctx, store } = await rootContext();
  const arn =
    (await invoke(createPolicy, ctx, { PolicyName: 'p', PolicyDocument: READ_S3 })).Policy.Arn ?? '';
  await assert.rejects(invoke(deletePolicyVersion, ctx, { PolicyArn: arn, VersionId: 'v1' }), {
    code: 'DeleteConflict',
    status: 409,
    message: 'Cannot delete the default version of a policy.',
  });
  await store.close();
});

test('DeletePolicyVersion removes a non-default version; its id is never issued again', async () => {
  const { ctx, store } = await rootContext();
  const arn =
    (await invoke(createPolicy, ctx, { PolicyName: 'p', PolicyDocument: READ_S3 })).Policy.Arn ?? '';
  await invoke(createPolicyVersion, ctx, { PolicyArn: arn, PolicyDocument: READ_S3 });
  await invoke(deletePolicyVersion, ctx, { PolicyArn: arn, VersionId: 'v2' });
  await assert.rejects(invoke(deletePolicyVersion, ctx, { PolicyArn: arn, VersionId: 'v2' }), {
    code: 'NoSuchEntity',
    status: 404,
    message: `Policy ${arn} version v2 does not exist.`,
  });
  const v3 = await invoke(createPolicyVersion, ctx, { PolicyArn: arn, PolicyDocument: READ_S3 });
  assert.equal(v3.PolicyVersion?.VersionId, 'v3');
  await store.close();
});

test('DeletePolicyVersion on a missing policy is NoSuchEntity; a malformed VersionId ValidationError', async () => {
  const { ctx, store } = await rootContext();
  const missing = `arn:aws:iam::${ACCOUNT}:policy/none`;
  await assert.rejects(invoke(deletePolicyVersion, ctx, { PolicyArn: missing, VersionId: 'v2' }), {
    code: 'NoSuchEntity',
    message: `Policy ${missing} does not exist or is not attachable.`,
  });
  await assert.rejects(invoke(deletePolicyVersion, ctx, { PolicyArn: missing, VersionId: 'version2' }), {
    code: 'ValidationError',
    status: 400,
  });
  await store.close();
});
