import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ACCOUNT, invoke, READ_S3, rootContext } from '../testdata/context.js';
import { createPolicy } from './create-policy.js';
import { listPolicyTags } from './list-policy-tags.js';

test('ListPolicyTags pages the tags; a missing policy is NoSuchEntity', async () => {
  const { ctx, store } = await rootContext();
  const arn =
    (
      await invoke(createPolicy, ctx, {
        PolicyName: 'p',
        PolicyDocument: READ_S3,
        'Tags.member.1.Key': 'a',
        'Tags.member.1.Value': '1',
        'Tags.member.2.Key': 'b',
        'Tags.member.2.Value': '2',
      })
    ).Policy.Arn ?? '';
  const first = await invoke(listPolicyTags, ctx, { PolicyArn: arn, MaxItems: '1' });
  assert.deepEqual(first.Tags, [{ Key: 'a', Value: '1' }]);
  assert.equal(first.IsTruncated, true);
  const rest = await invoke(listPolicyTags, ctx, { PolicyArn: arn, Marker: first.Marker ?? '' });
  assert.deepEqual(rest.Tags, [{ Key: 'b', Value: '2' }]);
  assert.equal(rest.IsTruncated, false);
  await assert.rejects(invoke(listPolicyTags, ctx, { PolicyArn: `arn:aws:iam::${ACCOUNT}:policy/none` }), {
    code: 'NoSuchEntity',
  });
  await store.close();
});
