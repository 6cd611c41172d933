import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ACCOUNT, invoke, rootContext } from '../testdata/context.js';
import { createOpenIDConnectProvider } from './create-open-id-connect-provider.js';
import { listOpenIDConnectProviderTags } from './list-open-id-connect-provider-tags.js';
import { tagOpenIDConnectProvider } from './tag-open-id-connect-provider.js';
import { untagOpenIDConnectProvider } from './untag-open-id-connect-provider.js';

const ARN = `arn:aws:iam::${ACCOUNT}:oidc-provider/oidc.example.com/id/ABC`;

test('Tag, Untag and ListOpenIDConnectProviderTags: merge ignoring key case, remove, list paged', async () => {
  const { ctx, store } = await rootContext();
  await invoke(createOpenIDConnectProvider, ctx, {
    Url: 'https://oidc.example.com/id/ABC',
    'Tags.member.1.Key': 'cluster',
    'Tags.member.1.Value': 'one',
  });
  await invoke(tagOpenIDConnectProvider, ctx, {
    OpenIDConnectProviderArn: ARN,
    'Tags.member.1.Key': 'Cluster',
    'Tags.member.1.Value': 'two',
    'Tags.member.2.Key': 'env',
    'Tags.member.2.Value': 'dev',
  });
  const first = await invoke(listOpenIDConnectProviderTags, ctx, {
    OpenIDConnectProviderArn: ARN,
    MaxItems: '1',
  });
  assert.deepEqual(first.Tags, [{ Key: 'Cluster', Value: 'two' }]);
  assert.equal(first.IsTruncated, true);
  const rest = await invoke(listOpenIDConnectProviderTags, ctx, {
    OpenIDConnectProviderArn: ARN,
    Marker: first.Marker ?? '',
  });
  assert.deepEqual(rest.Tags, [{ Key: 'env', Value: 'dev' }]);
  await invoke(untagOpenIDConnectProvider, ctx, {
    OpenIDConnectProviderArn: ARN,
    'TagKeys.member.1': 'CLUSTER',
  });
  assert.deepEqual(
    (await invoke(listOpenIDConnectProviderTags, ctx, { OpenIDConnectProviderArn: ARN })).Tags,
    [{ Key: 'env', Value: 'dev' }],
  );
  await store.close();
});

test('TagOpenIDConnectProvider with duplicate keys is InvalidInput; a missing provider NoSuchEntity', async () => {
  const { ctx, store } = await rootContext();
  await invoke(createOpenIDConnectProvider, ctx, { Url: 'https://oidc.example.com/id/ABC' });
  await assert.rejects(
    invoke(tagOpenIDConnectProvider, ctx, {
      OpenIDConnectProviderArn: ARN,
      'Tags.member.1.Key': 'a',
      'Tags.member.1.Value': '1',
      'Tags.member.2.Key': 'A',
      'Tags.member.2.Value': '2',
    }),
    { code: 'InvalidInput', status: 400 },
  );
  const missing = `${ARN}-missing`;
  await assert.rejects(
    invoke(tagOpenIDConnectProvider, ctx, {
      OpenIDConnectProviderArn: missing,
      'Tags.member.1.Key': 'a',
      'Tags.member.1.Value': '1',
    }),
    { code: 'NoSuchEntity', message: `OpenIDConnect Provider not found for arn ${missing}` },
  );
  await assert.rejects(
    invoke(untagOpenIDConnectProvider, ctx, { OpenIDConnectProviderArn: missing, 'TagKeys.member.1': 'a' }),
    {
      code: 'NoSuchEntity',
    },
  );
  await assert.rejects(invoke(listOpenIDConnectProviderTags, ctx, { OpenIDConnectProviderArn: missing }), {
    code: 'NoSuchEntity',
  });
  await store.close();
});
