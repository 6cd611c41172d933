import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { A, B, T0, storeError, collect, type ContractContext } from './fixtures.js';

/** OIDC providers, the server-wide keys, and service accounts. */
export function describeOidcAndServerRecords({ withStore }: ContractContext): void {
  describe('OIDC providers', () => {
    const url = 'https://issuer.example/cluster';
    const arn = (account: string) => `arn:aws:iam::${account}:oidc-provider/issuer.example/cluster`;

    test('an OIDC provider keeps its URL, audiences and thumbprints in order', () =>
      withStore(async (store) => {
        const created = await store.oidcProviders.create({
          accountId: A,
          arn: arn(A),
          url,
          clientIds: ['sts.amazonaws.com', 'other'],
          thumbprints: ['9e99a48a9960b14926bb7f3b02e22da2b0ab7280'],
          createdAt: T0,
        });
        assert.deepEqual(created, {
          accountId: A,
          arn: arn(A),
          url,
          clientIds: ['sts.amazonaws.com', 'other'],
          thumbprints: ['9e99a48a9960b14926bb7f3b02e22da2b0ab7280'],
          tags: [],
          createdAt: T0,
        });
        assert.deepEqual(await store.oidcProviders.get(A, arn(A)), created);
        const updated = await store.oidcProviders.update(A, arn(A), {
          clientIds: ['sts.amazonaws.com'],
          thumbprints: [],
        });
        assert.deepEqual(updated, { ...created, clientIds: ['sts.amazonaws.com'], thumbprints: [] });
        const tagged = await store.oidcProviders.update(A, arn(A), {
          tags: [{ key: 'cluster', value: 'kind' }],
        });
        assert.deepEqual(tagged, { ...updated, tags: [{ key: 'cluster', value: 'kind' }] });
        // Provider URLs, and so ARNs, are case-sensitive (irsa-wire.md §4.1).
        assert.equal(await store.oidcProviders.get(A, arn(A).replace('issuer', 'ISSUER')), undefined);
        await assert.rejects(
          store.oidcProviders.create({ ...created, createdAt: T0 + 1 }),
          storeError('alreadyExists', 'oidcProvider', arn(A)),
        );
        await store.oidcProviders.delete(A, arn(A));
        assert.equal(await store.oidcProviders.get(A, arn(A)), undefined);
        await assert.rejects(
          store.oidcProviders.delete(A, arn(A)),
          storeError('notFound', 'oidcProvider', arn(A)),
        );
        await assert.rejects(
          store.oidcProviders.update(A, arn(A), { tags: [] }),
          storeError('notFound', 'oidcProvider', arn(A)),
        );
      }));

    test('providers are per account and list in ARN order', () =>
      withStore(async (store) => {
        const provider = (account: string, host: string) => ({
          accountId: account,
          arn: `arn:aws:iam::${account}:oidc-provider/${host}`,
          url: `https://${host}`,
          clientIds: ['sts.amazonaws.com'],
          thumbprints: [],
          createdAt: T0,
        });
        await store.oidcProviders.create(provider(A, 'z.example'));
        await store.oidcProviders.create(provider(A, 'a.example/path'));
        await store.oidcProviders.create(provider(B, 'a.example/path'));
        assert.deepEqual(
          (await store.oidcProviders.list(A)).map((p) => p.url),
          ['https://a.example/path', 'https://z.example'],
        );
        assert.deepEqual(
          (await store.oidcProviders.list(B)).map((p) => p.accountId),
          [B],
        );
        assert.equal(await store.oidcProviders.get(B, provider(A, 'z.example').arn), undefined);
      }));
  });

  describe('server keys', () => {
    test('signing keys list oldest first, and retiring keeps the first retirement time', () =>
      withStore(async (store) => {
        const pem = '-----BEGIN PRIVATE KEY-----\nMC4CAQAwBQYDK2VwBCIEIA==\n-----END PRIVATE KEY-----\n';
        await store.signingKeys.create({ kid: 'k2', alg: 'RS256', privateKeyPem: pem, createdAt: T0 + 1 });
        await store.signingKeys.create({ kid: 'k1', alg: 'RS256', privateKeyPem: pem, createdAt: T0 });
        await store.signingKeys.create({ kid: 'k0', alg: 'ES256', privateKeyPem: pem, createdAt: T0 + 1 });
        assert.deepEqual(
          (await store.signingKeys.list()).map((k) => k.kid),
          ['k1', 'k0', 'k2'],
        );
        assert.deepEqual(await store.signingKeys.get('k1'), {
          kid: 'k1',
          alg: 'RS256',
          privateKeyPem: pem,
          createdAt: T0,
        });
        assert.equal((await store.signingKeys.retire('k1', T0 + 5)).retiredAt, T0 + 5);
        assert.equal((await store.signingKeys.retire('k1', T0 + 9)).retiredAt, T0 + 5);
        await assert.rejects(
          store.signingKeys.create({ kid: 'k1', alg: 'RS256', privateKeyPem: pem, createdAt: T0 }),
          storeError('alreadyExists', 'signingKey', 'k1'),
        );
        await store.signingKeys.delete('k1');
        assert.equal(await store.signingKeys.get('k1'), undefined);
        await assert.rejects(store.signingKeys.retire('k1', T0), storeError('notFound', 'signingKey', 'k1'));
        await assert.rejects(store.signingKeys.delete('k1'), storeError('notFound', 'signingKey', 'k1'));
      }));

    test('sealing keys keep their bytes exactly', () =>
      withStore(async (store, f) => {
        const bytes = f.ids.bytes(32);
        bytes[0] = 0;
        bytes[31] = 255;
        await store.sealingKeys.create({ id: 's1', key: bytes, createdAt: T0 });
        const read = await store.sealingKeys.get('s1');
        assert.ok(read !== undefined && Buffer.isBuffer(read.key));
        assert.deepEqual(read, { id: 's1', key: bytes, createdAt: T0 });
        await store.sealingKeys.create({ id: 's0', key: f.ids.bytes(32), createdAt: T0 + 1 });
        assert.deepEqual(
          (await store.sealingKeys.list()).map((k) => k.id),
          ['s1', 's0'],
        );
        assert.equal((await store.sealingKeys.retire('s1', T0 + 2)).retiredAt, T0 + 2);
        await assert.rejects(
          store.sealingKeys.create({ id: 's1', key: bytes, createdAt: T0 }),
          storeError('alreadyExists', 'sealingKey', 's1'),
        );
        await store.sealingKeys.delete('s1');
        await assert.rejects(store.sealingKeys.delete('s1'), storeError('notFound', 'sealingKey', 's1'));
      }));
  });

  describe('service accounts', () => {
    test('a service account keeps its uid when applied again with new annotations', () =>
      withStore(async (store) => {
        const first = await store.serviceAccounts.upsert({
          namespace: 'default',
          name: 'app',
          annotations: { 'eks.amazonaws.com/role-arn': `arn:aws:iam::${A}:role/app` },
          uid: 'uid-1',
          at: T0,
        });
        assert.deepEqual(first, {
          namespace: 'default',
          name: 'app',
          uid: 'uid-1',
          annotations: { 'eks.amazonaws.com/role-arn': `arn:aws:iam::${A}:role/app` },
          createdAt: T0,
          updatedAt: T0,
        });
        const again = await store.serviceAccounts.upsert({
          namespace: 'default',
          name: 'app',
          annotations: { 'eks.amazonaws.com/audience': 'sts.amazonaws.com' },
          uid: 'uid-2',
          at: T0 + 1,
        });
        assert.deepEqual(again, {
          ...first,
          annotations: { 'eks.amazonaws.com/audience': 'sts.amazonaws.com' },
          updatedAt: T0 + 1,
        });
        assert.deepEqual(await store.serviceAccounts.get('default', 'app'), again);
        assert.equal(await store.serviceAccounts.get('default', 'App'), undefined);
        await assert.rejects(
          store.serviceAccounts.upsert({
            namespace: 'other',
            name: 'app',
            annotations: {},
            uid: 'uid-1',
            at: T0,
          }),
          storeError('alreadyExists', 'serviceAccount', 'other/app'),
        );
        await store.serviceAccounts.delete('default', 'app');
        await assert.rejects(
          store.serviceAccounts.delete('default', 'app'),
          storeError('notFound', 'serviceAccount', 'default/app'),
        );
      }));

    test('service accounts list by namespace then name, and by one namespace', () =>
      withStore(async (store) => {
        const names = ['kube-system/b', 'default/z', 'default/a', 'team/a', 'kube-system/a'];
        for (const [i, n] of names.entries()) {
          const [namespace = '', name = ''] = n.split('/');
          await store.serviceAccounts.upsert({ namespace, name, annotations: {}, uid: `u${i}`, at: T0 });
        }
        const all = await collect((p) => store.serviceAccounts.list(p), 2);
        assert.deepEqual(
          all.items.map((s) => `${s.namespace}/${s.name}`),
          ['default/a', 'default/z', 'kube-system/a', 'kube-system/b', 'team/a'],
        );
        const kube = await collect((p) => store.serviceAccounts.list({ ...p, namespace: 'kube-system' }), 1);
        assert.deepEqual(
          kube.items.map((s) => s.name),
          ['a', 'b'],
        );
      }));
  });
}
