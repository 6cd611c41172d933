import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ACCOUNT, invoke, rootContext } from '../testdata/context.js';
import { createOpenIDConnectProvider } from './create-open-id-connect-provider.js';
import { untagOpenIDConnectProvider } from './untag-open-id-connect-provider.js';

const ARN = `arn:aws:iam::${ACCOUNT}:oidc-provider/oidc.example.com/id/ABC`;

test('UntagOpenIDConnectProvider removes the keys ignoring case and keeps the others', async () => {
  const { ctx, store } = await rootContext();
  await invoke(createOpenIDConnectProvider, ctx, {
    Url: 'https://oidc.example.com/id/ABC',
    'Tags.member.1.Key': 'a',
    'Tags.member.1.Value': '1',
    'Tags.member.2.Key': 'b',
    'Tags.member.2.Value': '2',
  });
  await invoke(untagOpenIDConnectProvider, ctx, { OpenIDConnectProviderArn: ARN, 'TagKeys.member.1': 'A' });
  assert.deepEqual((await store.oidcProviders.get(ACCOUNT, ARN))?.tags, [{ key: 'b', value: '2' }]);
  await store.close();
});
