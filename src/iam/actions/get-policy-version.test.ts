import assert from 'node:assert/strict';
import { test } from 'node:test';
import { invoke, READ_S3, rootContext } from '../testdata/context.js';
import { createPolicy } from './create-policy.js';
import { getPolicyVersion } from './get-policy-version.js';

test('GetPolicyVersion of a version that does not exist is NoSuchEntity', async () => {
  const { ctx, store } = await rootContext();
  const made = await invoke(createPolicy, ctx, { PolicyName: 'read', PolicyDocument: READ_S3 });
  await assert.rejects(invoke(getPolicyVersion, ctx, { PolicyArn: made.Policy.Arn ?? '', VersionId: 'v2' }), {
    code: 'NoSuchEntity',
    status: 404,
  });
  await store.close();
});
