import assert from 'node:assert/strict';
import { test } from 'node:test';
import { invoke, rootContext } from '../testdata/context.js';
import { listOpenIDConnectProviders } from './list-open-id-connect-providers.js';

test('ListOpenIDConnectProviders of an account without providers is an empty list', async () => {
  const { ctx, store } = await rootContext();
  const out = await invoke(listOpenIDConnectProviders, ctx, {});
  assert.deepEqual(out.OpenIDConnectProviderList, []);
  await store.close();
});
