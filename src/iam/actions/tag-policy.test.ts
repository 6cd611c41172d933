import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ACCOUNT, invoke, READ_S3, rootContext } from '../testdata/context.js';
import { createPolicy } from './create-policy.js';
import { getPolicy } from './get-policy.js';
import { tagPolicy } from './tag-policy.js';

test('TagPolicy adds tags, overwriting a key already there ignoring case; GetPolicy shows them', async () => {
  const { ctx, store } = await rootContext();
  const arn =
    (
      await invoke(createPolicy, ctx, {
        PolicyName: 'p',
        PolicyDocument: READ_S3,
        'Tags.member.1.Key': 'owner',
        'Tags.member.1.Value': 'a',
      })
    ).Policy.Arn ?? '';
  await invoke(tagPolicy, ctx, {
    PolicyArn: arn,
    'Tags.member.1.Key': 'Owner',
    'Tags.member.1.Value': 'b',
    'Tags.member.2.Key': 'tier',
    'Tags.member.2.Value': '',
  });
  assert.deepEqual((await invoke(getPolicy, ctx, { PolicyArn: arn })).Policy.Tags, [
    { Key: 'Owner', Value: 'b' },
    { Key: 'tier', Value: '' },
  ]);
  await store.close();
});

test('TagPolicy on a missing policy is NoSuchEntity; duplicate keys InvalidInput', async () => {
  const { ctx, store } = await rootContext();
  const missing = `arn:aws:iam::${ACCOUNT}:policy/none`;
  await assert.rejects(
    invoke(tagPolicy, ctx, { PolicyArn: missing, 'Tags.member.1.Key': 'k', 'Tags.member.1.Value': 'v' }),
    { code: 'NoSuchEntity', status: 404, message: `Policy ${missing} does not exist or is not attachable.` },
  );
  const arn =
    (await invoke(createPolicy, ctx, { PolicyName: 'p', PolicyDocument: READ_S3 })).Policy.Arn ?? '';
  await assert.rejects(
    invoke(tagPolicy, ctx, {
      PolicyArn: arn,
      'Tags.member.1.Key': 'k',
      'Tags.member.1.Value': 'v',
      'Tags.member.2.Key': 'K',
      'Tags.member.2.Value': 'v',
    }),
    { code: 'InvalidInput', status: 400 },
  );
  assert.deepEqual(await tagPolicy.authorize({ PolicyArn: arn, Tags: [] }, ctx), [
    { action: 'iam:TagPolicy', resource: arn },
  ]);
  await store.close();
});
