import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ACCOUNT, invoke, rootContext } from '../testdata/context.js';
import { createOpenIDConnectProvider } from './create-open-id-connect-provider.js';
import { deleteOpenIDConnectProvider } from './delete-open-id-connect-provider.js';
import { getOpenIDConnectProvider } from './get-open-id-connect-provider.js';
import { listOpenIDConnectProviders } from './list-open-id-connect-providers.js';

const URL = 'https://oidc.example.com/id/ABC';
const ARN = `arn:aws:iam::${ACCOUNT}:oidc-provider/oidc.example.com/id/ABC`;

test('CreateOpenIDConnectProvider answers the ARN of the URL without https://', async () => {
  const { ctx, store } = await rootContext();
  const out = await invoke(createOpenIDConnectProvider, ctx, {
    Url: URL,
    'ClientIDList.member.1': 'sts.amazonaws.com',
    'ThumbprintList.member.1': 'a'.repeat(40),
  });
  assert.equal(out.OpenIDConnectProviderArn, ARN);
  const got = await invoke(getOpenIDConnectProvider, ctx, { OpenIDConnectProviderArn: ARN });
  assert.equal(got.Url, 'oidc.example.com/id/ABC');
  assert.deepEqual(got.ClientIDList, ['sts.amazonaws.com']);
  assert.deepEqual(got.ThumbprintList, ['a'.repeat(40)]);
  const listed = await invoke(listOpenIDConnectProviders, ctx, {});
  assert.deepEqual(listed.OpenIDConnectProviderList, [{ Arn: ARN }]);
  await invoke(deleteOpenIDConnectProvider, ctx, { OpenIDConnectProviderArn: ARN });
  assert.deepEqual((await invoke(listOpenIDConnectProviders, ctx, {})).OpenIDConnectProviderList, []);
  await store.close();
});

test('CreateOpenIDConnectProvider with a registered URL is EntityAlreadyExists 409', async () => {
  const { ctx, store } = await rootContext();
  await invoke(createOpenIDConnectProvider, ctx, { Url: URL, 'ClientIDList.member.1': 'sts.amazonaws.com' });
  await assert.rejects(invoke(createOpenIDConnectProvider, ctx, { Url: URL }), {
    code: 'EntityAlreadyExists',
    status: 409,
    message: `Provider with url ${URL} already exists.`,
  });
  await store.close();
});

test('CreateOpenIDConnectProvider with a thumbprint that is not 40 characters is ValidationError', async () => {
  const { ctx, store } = await rootContext();
  await assert.rejects(
    invoke(createOpenIDConnectProvider, ctx, { Url: URL, 'ThumbprintList.member.1': 'abc' }),
    {
      code: 'ValidationError',
      status: 400,
    },
  );
  await store.close();
});

test('CreateOpenIDConnectProvider with an http:// URL is InvalidInput', async () => {
  const { ctx, store } = await rootContext();
  await assert.rejects(invoke(createOpenIDConnectProvider, ctx, { Url: 'http://oidc.example.com' }), {
    code: 'InvalidInput',
    status: 400,
  });
  await store.close();
});
