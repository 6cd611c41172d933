import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ACCOUNT, invoke, READ_S3, rootContext } from '../testdata/context.js';
import { createPolicyVersion } from './create-policy-version.js';
import { createPolicy } from './create-policy.js';
import { listPolicyVersions } from './list-policy-versions.js';

test('ListPolicyVersions lists newest first, marks the default, pages, and omits documents', async () => {
  const { ctx, store } = await rootContext();
  const arn =
    (await invoke(createPolicy, ctx, { PolicyName: 'p', PolicyDocument: READ_S3 })).Policy.Arn ?? '';
  await invoke(createPolicyVersion, ctx, { PolicyArn: arn, PolicyDocument: READ_S3, SetAsDefault: 'true' });
  await invoke(createPolicyVersion, ctx, { PolicyArn: arn, PolicyDocument: READ_S3 });
  const first = await invoke(listPolicyVersions, ctx, { PolicyArn: arn, MaxItems: '2' });
  assert.deepEqual(
    first.Versions?.map((v) => [v.VersionId, v.IsDefaultVersion, v.Document]),
    [
      ['v3', false, undefined],
      ['v2', true, undefined],
    ],
  );
  assert.equal(first.IsTruncated, true);
  const rest = await invoke(listPolicyVersions, ctx, { PolicyArn: arn, Marker: first.Marker ?? '' });
  assert.deepEqual(
    rest.Versions?.map((v) => v.VersionId),
    ['v1'],
  );
  assert.equal(rest.IsTruncated, false);
  await assert.rejects(
    invoke(listPolicyVersions, ctx, { PolicyArn: `arn:aws:iam::${ACCOUNT}:policy/none` }),
    {
      code: 'NoSuchEntity',
      status: 404,
    },
  );
  await store.close();
});
