import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ACCOUNT, invoke, rootContext } from '../testdata/context.js';
import { createOpenIDConnectProvider } from './create-open-id-connect-provider.js';
import { updateOpenIDConnectProviderThumbprint } from './update-open-id-connect-provider-thumbprint.js';

const ARN = `arn:aws:iam::${ACCOUNT}:oidc-provider/oidc.example.com/id/ABC`;
const A = 'a'.repeat(40);
const B = 'b'.repeat(40);

test('UpdateOpenIDConnectProviderThumbprint replaces the whole list', async () => {
  const { ctx, store } = await rootContext();
  await invoke(createOpenIDConnectProvider, ctx, {
    Url: 'https://oidc.example.com/id/ABC',
    'ThumbprintList.member.1': A,
  });
  await invoke(updateOpenIDConnectProviderThumbprint, ctx, {
    OpenIDConnectProviderArn: ARN,
    'ThumbprintList.member.1': B,
  });
  assert.deepEqual((await store.oidcProviders.get(ACCOUNT, ARN))?.thumbprints, [B]);
  await store.close();
});

test('UpdateOpenIDConnectProviderThumbprint checks each thumbprint is 40 characters, at most 5', async () => {
  const { ctx, store } = await rootContext();
  await invoke(createOpenIDConnectProvider, ctx, { Url: 'https://oidc.example.com/id/ABC' });
  await assert.rejects(
    invoke(updateOpenIDConnectProviderThumbprint, ctx, {
      OpenIDConnectProviderArn: ARN,
      'ThumbprintList.member.1': 'abc',
    }),
    { code: 'ValidationError', status: 400 },
  );
  const six: Record<string, string> = { OpenIDConnectProviderArn: ARN };
  for (let n = 1; n <= 6; n++) six[`ThumbprintList.member.${n}`] = String(n).repeat(40);
  await assert.rejects(invoke(updateOpenIDConnectProviderThumbprint, ctx, six), { code: 'ValidationError' });
  await assert.rejects(
    invoke(updateOpenIDConnectProviderThumbprint, ctx, {
      OpenIDConnectProviderArn: `${ARN}/other`,
      'ThumbprintList.member.1': A,
    }),
    { code: 'NoSuchEntity', status: 404 },
  );
  await store.close();
});
