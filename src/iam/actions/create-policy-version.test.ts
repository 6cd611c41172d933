import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ACCOUNT, invoke, READ_S3, rootContext } from '../testdata/context.js';
import { createPolicyVersion } from './create-policy-version.js';
import { createPolicy } from './create-policy.js';
import { getPolicy } from './get-policy.js';
import { getPolicyVersion } from './get-policy-version.js';

const V2 = JSON.stringify({
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Action: 's3:PutObject', Resource: 'arn:aws:s3:::bucket/*' }],
});

test('CreatePolicyVersion makes v2, the default only with SetAsDefault, without Document in the answer', async () => {
  const { ctx, store } = await rootContext();
  const arn =
    (await invoke(createPolicy, ctx, { PolicyName: 'p', PolicyDocument: READ_S3 })).Policy.Arn ?? '';
  const v2 = await invoke(createPolicyVersion, ctx, { PolicyArn: arn, PolicyDocument: V2 });
  assert.deepEqual(v2.PolicyVersion, {
    VersionId: 'v2',
    IsDefaultVersion: false,
    CreateDate: ctx.clock.now(),
  });
  assert.equal((await invoke(getPolicy, ctx, { PolicyArn: arn })).Policy.DefaultVersionId, 'v1');
  const v3 = await invoke(createPolicyVersion, ctx, {
    PolicyArn: arn,
    PolicyDocument: V2,
    SetAsDefault: 'true',
  });
  assert.equal(v3.PolicyVersion?.VersionId, 'v3');
  assert.equal(v3.PolicyVersion?.IsDefaultVersion, true);
  assert.equal((await invoke(getPolicy, ctx, { PolicyArn: arn })).Policy.DefaultVersionId, 'v3');
  const got = await invoke(getPolicyVersion, ctx, { PolicyArn: arn, VersionId: 'v3' });
  assert.equal(decodeURIComponent(got.PolicyVersion?.Document ?? ''), V2);
  await store.close();
});

test('CreatePolicyVersion beyond five versions is LimitExceeded 409 with AWS message', async () => {
  const { ctx, store } = await rootContext();
  const arn =
    (await invoke(createPolicy, ctx, { PolicyName: 'p', PolicyDocument: READ_S3 })).Policy.Arn ?? '';
  for (let n = 2; n <= 5; n++) await invoke(createPolicyVersion, ctx, { PolicyArn: arn, PolicyDocument: V2 });
  await assert.rejects(invoke(createPolicyVersion, ctx, { PolicyArn: arn, PolicyDocument: V2 }), {
    code: 'LimitExceeded',
    status: 409,
    message:
      'A managed policy can have up to 5 versions. Before you create a new version, you must delete an existing version.',
  });
  assert.equal((await store.managedPolicies.listVersions(ACCOUNT, arn)).length, 5);
  await store.close();
});

test('CreatePolicyVersion with a bad document is MalformedPolicyDocument; on a missing policy NoSuchEntity', async () => {
  const { ctx, store } = await rootContext();
  const arn =
    (await invoke(createPolicy, ctx, { PolicyName: 'p', PolicyDocument: READ_S3 })).Policy.Arn ?? '';
  await assert.rejects(invoke(createPolicyVersion, ctx, { PolicyArn: arn, PolicyDocument: '{nope' }), {
    code: 'MalformedPolicyDocument',
    status: 400,
  });
  const missing = `arn:aws:iam::${ACCOUNT}:policy/none`;
  await assert.rejects(invoke(createPolicyVersion, ctx, { PolicyArn: missing, PolicyDocument: V2 }), {
    code: 'NoSuchEntity',
    status: 404,
    message: `Policy ${missing} does not exist or is not attachable.`,
  });
  assert.deepEqual(await createPolicyVersion.authorize({ PolicyArn: arn, PolicyDocument: V2 }, ctx), [
    { action: 'iam:CreatePolicyVersion', resource: arn },
  ]);
  await store.close();
});
