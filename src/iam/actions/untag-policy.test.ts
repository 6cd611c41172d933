import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ACCOUNT, invoke, READ_S3, rootContext } from '../testdata/context.js';
import { createPolicy } from './create-policy.js';
import { untagPolicy } from './untag-policy.js';

test('UntagPolicy removes keys ignoring case; a key the policy lacks is no error', async () => {
  const { ctx, store } = await rootContext();
  const arn =
    (
      await invoke(createPolicy, ctx, {
        PolicyName: 'p',
        PolicyDocument: READ_S3,
        'Tags.member.1.Key': 'owner',
        'Tags.member.1.Value': 'a',
        'Tags.member.2.Key': 'tier',
        'Tags.member.2.Value': 'b',
      })
    ).Policy.Arn ?? '';
  await invoke(untagPolicy, ctx, { PolicyArn: arn, 'TagKeys.member.1': 'OWNER', 'TagKeys.member.2': 'none' });
  assert.deepEqual((await store.managedPolicies.get(ACCOUNT, arn))?.tags, [{ key: 'tier', value: 'b' }]);
  await assert.rejects(invoke(untagPolicy, ctx, { PolicyArn: `${arn}x`, 'TagKeys.member.1': 'k' }), {
    code: 'NoSuchEntity',
    status: 404,
  });
  await store.close();
});
