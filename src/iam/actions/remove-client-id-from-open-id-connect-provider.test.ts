import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ACCOUNT, invoke, rootContext } from '../testdata/context.js';
import { createOpenIDConnectProvider } from './create-open-id-connect-provider.js';
import { removeClientIDFromOpenIDConnectProvider } from './remove-client-id-from-open-id-connect-provider.js';

const ARN = `arn:aws:iam::${ACCOUNT}:oidc-provider/oidc.example.com/id/ABC`;

test('RemoveClientIDFromOpenIDConnectProvider removes exactly that id; a missing id is no error', async () => {
  const { ctx, store } = await rootContext();
  await invoke(createOpenIDConnectProvider, ctx, {
    Url: 'https://oidc.example.com/id/ABC',
    'ClientIDList.member.1': 'sts.amazonaws.com',
    'ClientIDList.member.2': 'other',
  });
  await invoke(removeClientIDFromOpenIDConnectProvider, ctx, {
    OpenIDConnectProviderArn: ARN,
    ClientID: 'OTHER',
  });
  assert.deepEqual((await store.oidcProviders.get(ACCOUNT, ARN))?.clientIds, ['sts.amazonaws.com', 'other']);
  await invoke(removeClientIDFromOpenIDConnectProvider, ctx, {
    OpenIDConnectProviderArn: ARN,
    ClientID: 'other',
  });
  assert.deepEqual((await store.oidcProviders.get(ACCOUNT, ARN))?.clientIds, ['sts.amazonaws.com']);
  await assert.rejects(
    invoke(removeClientIDFromOpenIDConnectProvider, ctx, {
      OpenIDConnectProviderArn: `${ARN}X`,
      ClientID: 'other',
    }),
    { code: 'NoSuchEntity', status: 404 },
  );
  await store.close();
});
