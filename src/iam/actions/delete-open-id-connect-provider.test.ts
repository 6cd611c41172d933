import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ACCOUNT, invoke, rootContext } from '../testdata/context.js';
import { deleteOpenIDConnectProvider } from './delete-open-id-connect-provider.js';

test('DeleteOpenIDConnectProvider of a missing provider is NoSuchEntity 404', async () => {
  const { ctx, store } = await rootContext();
  const arn = `arn:aws:iam::${ACCOUNT}:oidc-provider/none.example.com`;
  await assert.rejects(invoke(deleteOpenIDConnectProvider, ctx, { OpenIDConnectProviderArn: arn }), {
    code: 'NoSuchEntity',
    status: 404,
  });
  await store.close();
});
