import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ACCOUNT, invoke, rootContext } from '../testdata/context.js';
import { addClientIDToOpenIDConnectProvider } from './add-client-id-to-open-id-connect-provider.js';
import { createOpenIDConnectProvider } from './create-open-id-connect-provider.js';

const ARN = `arn:aws:iam::${ACCOUNT}:oidc-provider/oidc.example.com/id/ABC`;

test('AddClientIDToOpenIDConnectProvider appends an audience; adding it again changes nothing', async () => {
  const { ctx, store } = await rootContext();
  await invoke(createOpenIDConnectProvider, ctx, {
    Url: 'https://oidc.example.com/id/ABC',
    'ClientIDList.member.1': 'sts.amazonaws.com',
  });
  await invoke(addClientIDToOpenIDConnectProvider, ctx, { OpenIDConnectProviderArn: ARN, ClientID: 'other' });
  await invoke(addClientIDToOpenIDConnectProvider, ctx, { OpenIDConnectProviderArn: ARN, ClientID: 'other' });
  assert.deepEqual((await store.oidcProviders.get(ACCOUNT, ARN))?.clientIds, ['sts.amazonaws.com', 'other']);
  await store.close();
});

test('AddClientIDToOpenIDConnectProvider past 100 client ids is LimitExceeded 409', async () => {
  const { ctx, store } = await rootContext();
  const params: Record<string, string> = { Url: 'https://oidc.example.com/id/ABC' };
  for (let n = 1; n <= 100; n++) params[`ClientIDList.member.${n}`] = `aud-${n}`;
  await invoke(createOpenIDConnectProvider, ctx, params);
  await assert.rejects(
    invoke(addClientIDToOpenIDConnectProvider, ctx, { OpenIDConnectProviderArn: ARN, ClientID: 'one-more' }),
    { code: 'LimitExceeded', status: 409 },
  );
  await invoke(addClientIDToOpenIDConnectProvider, ctx, { OpenIDConnectProviderArn: ARN, ClientID: 'aud-7' });
  await store.close();
});

test('AddClientIDToOpenIDConnectProvider on a missing provider is NoSuchEntity; a 256-char id ValidationError', async () => {
  const { ctx, store } = await rootContext();
  await assert.rejects(
    invoke(addClientIDToOpenIDConnectProvider, ctx, { OpenIDConnectProviderArn: ARN, ClientID: 'a' }),
    { code: 'NoSuchEntity', status: 404, message: `OpenIDConnect Provider not found for arn ${ARN}` },
  );
  await assert.rejects(
    invoke(addClientIDToOpenIDConnectProvider, ctx, {
      OpenIDConnectProviderArn: ARN,
      ClientID: 'a'.repeat(256),
    }),
    { code: 'ValidationError', status: 400 },
  );
  assert.deepEqual(
    await addClientIDToOpenIDConnectProvider.authorize({ OpenIDConnectProviderArn: ARN, ClientID: 'a' }, ctx),
    [{ action: 'iam:AddClientIDToOpenIDConnectProvider', resource: ARN }],
  );
  await store.close();
});
