import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ACCOUNT, invoke, rootContext } from '../testdata/context.js';
import { getOpenIDConnectProvider } from './get-open-id-connect-provider.js';

test('GetOpenIDConnectProvider of a missing provider is NoSuchEntity 404', async () => {
  const { ctx, store } = await rootContext();
  const arn = `arn:aws:iam::${ACCOUNT}:oidc-provider/none.example.com`;
  await assert.rejects(invoke(getOpenIDConnectProvider, ctx, { OpenIDConnectProviderArn: arn }), {
    code: 'NoSuchEntity',
    status: 404,
    message: `OpenIDConnect Provider not found for arn ${arn}`,
  });
  await store.close();
});
