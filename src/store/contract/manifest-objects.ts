import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { A, B, T0, storeError, type ContractContext } from './fixtures.js';

/** What manifests created: recorded per account, moved between files, forgotten on delete. */
export function describeManifestObjects({ withStore }: ContractContext): void {
  describe('manifest objects', () => {
    test('a record is kept per account, kind and key, listed in kind then key order', () =>
      withStore(async (store) => {
        const role = await store.manifestObjects.put({
          accountId: A,
          kind: 'Role',
          key: 'app',
          source: '/m/app.yaml',
          at: T0,
        });
        assert.deepEqual(role, {
          accountId: A,
          kind: 'Role',
          key: 'app',
          source: '/m/app.yaml',
          createdAt: T0,
          updatedAt: T0,
        });
        await store.manifestObjects.put({
          accountId: A,
          kind: 'Policy',
          key: 'arn:p',
          source: '/m/a',
          at: T0,
        });
        await store.manifestObjects.put({ accountId: A, kind: 'Role', key: 'App', source: '/m/b', at: T0 });
        await store.manifestObjects.put({ accountId: B, kind: 'Role', key: 'app', source: '/m/c', at: T0 });
        const listed = await store.manifestObjects.list(A);
        assert.deepEqual(
          listed.map((o) => `${o.kind} ${o.key}`),
          ['Policy arn:p', 'Role App', 'Role app'],
        );
        assert.deepEqual(
          (await store.manifestObjects.list(B)).map((o) => o.source),
          ['/m/c'],
        );
      }));

    test('putting a record again moves it to the new source and keeps its createdAt', () =>
      withStore(async (store) => {
        await store.manifestObjects.put({ accountId: A, kind: 'Role', key: 'app', source: '/a', at: T0 });
        const moved = await store.manifestObjects.put({
          accountId: A,
          kind: 'Role',
          key: 'app',
          source: '/b',
          at: T0 + 5,
        });
        assert.deepEqual(moved, {
          accountId: A,
          kind: 'Role',
          key: 'app',
          source: '/b',
          createdAt: T0,
          updatedAt: T0 + 5,
        });
        assert.equal((await store.manifestObjects.list(A)).length, 1);
      }));

    test('delete forgets one record; deleting a missing one fails notFound', () =>
      withStore(async (store) => {
        await store.manifestObjects.put({
          accountId: A,
          kind: 'ServiceAccount',
          key: 'ns/sa',
          source: '/a',
          at: T0,
        });
        await store.manifestObjects.delete(A, 'ServiceAccount', 'ns/sa');
        assert.deepEqual(await store.manifestObjects.list(A), []);
        await assert.rejects(
          store.manifestObjects.delete(A, 'ServiceAccount', 'ns/sa'),
          storeError('notFound', 'manifestObject', 'ServiceAccount ns/sa'),
        );
      }));
  });
}
