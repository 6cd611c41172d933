import assert from 'node:assert/strict';
import { test } from 'node:test';
import { invoke, READ_S3, rootContext } from '../testdata/context.js';
import { createPolicy } from './create-policy.js';
import { deletePolicy } from './delete-policy.js';
import { getPolicy } from './get-policy.js';

test('DeletePolicy removes an unattached policy', async () => {
  const { ctx, store } = await rootContext();
  const arn =
    (await invoke(createPolicy, ctx, { PolicyName: 'read', PolicyDocument: READ_S3 })).Policy.Arn ?? '';
  await invoke(deletePolicy, ctx, { PolicyArn: arn });
  await assert.rejects(invoke(getPolicy, ctx, { PolicyArn: arn }), { code: 'NoSuchEntity' });
  await assert.rejects(invoke(deletePolicy, ctx, { PolicyArn: arn }), { code: 'NoSuchEntity', status: 404 });
  await store.close();
});
