import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ACCOUNT, invoke, rootContext } from '../testdata/context.js';
import { createOpenIDConnectProvider } from './create-open-id-connect-provider.js';
import { listOpenIDConnectProviderTags } from './list-open-id-connect-provider-tags.js';

const ARN = `arn:aws:iam::${ACCOUNT}:oidc-provider/oidc.example.com/id/ABC`;

test('ListOpenIDConnectProviderTags of a provider without tags is an empty, untruncated list', async () => {
  const { ctx, store } = await rootContext();
  await invoke(createOpenIDConnectProvider, ctx, { Url: 'https://oidc.example.com/id/ABC' });
  const out = await invoke(listOpenIDConnectProviderTags, ctx, { OpenIDConnectProviderArn: ARN });
  assert.deepEqual(out.Tags, []);
  assert.equal(out.IsTruncated, false);
  assert.equal(out.Marker, undefined);
  await assert.rejects(
    invoke(listOpenIDConnectProviderTags, ctx, { OpenIDConnectProviderArn: ARN, MaxItems: '1001' }),
    {
      code: 'ValidationError',
    },
  );
  await store.close();
});
