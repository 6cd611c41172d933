import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { A, B, doc, storeError, collect, type ContractContext } from './fixtures.js';

/** IAM's paging: markers, `maxItems`, stable order, path prefixes, bad markers. */
export function describePaging({ withStore }: ContractContext): void {
  describe('paging', () => {
    test('many roles page in name order, ignoring case, each exactly once', () =>
      withStore(async (store, f) => {
        const names: string[] = [];
        await store.transaction(async (tx) => {
          for (let i = 0; i < 150; i++) {
            const name = `${i % 2 === 0 ? 'Role' : 'role'}-${String((i * 7919) % 1000).padStart(3, '0')}`;
            names.push(name);
            await tx.roles.create(f.role(A, name));
          }
        });
        const expected = [...names].sort((x, y) => (x.toLowerCase() < y.toLowerCase() ? -1 : 1));
        for (const maxItems of [1, 7, 150, 1000]) {
          const { items, pages } = await collect((p) => store.roles.list(A, p), maxItems);
          assert.deepEqual(
            items.map((r) => r.name),
            expected,
            `maxItems ${maxItems}`,
          );
          assert.equal(pages, Math.ceil(150 / maxItems));
        }
        const first = await store.roles.list(A);
        assert.equal(first.items.length, 100, 'IAM pages by 100 by default');
        assert.ok(first.marker !== undefined);
        assert.equal((await store.roles.list(A, { marker: first.marker })).items.length, 50);
        assert.deepEqual(await store.roles.list(B), { items: [] });
      }));

    test('a page that ends exactly at the last item has no marker', () =>
      withStore(async (store, f) => {
        for (const name of ['a', 'b', 'c', 'd']) await store.users.create(f.user(A, name));
        const page = await store.users.list(A, { maxItems: 2 });
        assert.ok(page.marker !== undefined);
        const last = await store.users.list(A, { marker: page.marker, maxItems: 2 });
        assert.deepEqual(
          last.items.map((u) => u.name),
          ['c', 'd'],
        );
        assert.equal('marker' in last, false);
      }));

    test('a marker stays valid when its item is deleted, and new items after it are seen', () =>
      withStore(async (store, f) => {
        for (const name of ['a', 'b', 'c', 'd']) await store.roles.create(f.role(A, name));
        const page = await store.roles.list(A, { maxItems: 2 });
        assert.deepEqual(
          page.items.map((r) => r.name),
          ['a', 'b'],
        );
        await store.roles.delete(A, 'b');
        await store.roles.create(f.role(A, 'bb'));
        const next = await store.roles.list(A, { marker: page.marker, maxItems: 10 });
        assert.deepEqual(
          next.items.map((r) => r.name),
          ['bb', 'c', 'd'],
        );
      }));

    test('path prefixes filter users and roles across pages', () =>
      withStore(async (store, f) => {
        for (let i = 0; i < 12; i++) {
          const path = i % 3 === 0 ? '/eng/' : i % 3 === 1 ? '/eng/ops/' : '/sales/';
          await store.users.create(f.user(A, `u${String(i).padStart(2, '0')}`, { path }));
          await store.roles.create(f.role(A, `r${String(i).padStart(2, '0')}`, { path }));
        }
        const eng = await collect((p) => store.users.list(A, { ...p, pathPrefix: '/eng/' }), 3);
        assert.deepEqual(
          eng.items.map((u) => u.name),
          ['u00', 'u01', 'u03', 'u04', 'u06', 'u07', 'u09', 'u10'],
        );
        const ops = await collect((p) => store.roles.list(A, { ...p, pathPrefix: '/eng/ops/' }), 2);
        assert.deepEqual(
          ops.items.map((r) => r.name),
          ['r01', 'r04', 'r07', 'r10'],
        );
        assert.equal((await store.roles.list(A, { pathPrefix: '/' })).items.length, 12);
      }));

    test('inline policies and attached policies page by name', () =>
      withStore(async (store, f) => {
        await store.roles.create(f.role(A, 'r'));
        for (let i = 9; i >= 0; i--) {
          await store.roles.putPolicy(A, 'r', { name: `P${i}`, document: doc(`s3:A${i}`) });
          const p = await store.managedPolicies.create(f.policy(A, `m${i}`));
          await store.roles.attachPolicy(A, 'r', p.arn);
        }
        const inline = await collect((p) => store.roles.listPolicies(A, 'r', p), 4);
        assert.deepEqual(
          inline.items.map((p) => p.name),
          ['P0', 'P1', 'P2', 'P3', 'P4', 'P5', 'P6', 'P7', 'P8', 'P9'],
        );
        const attached = await collect((p) => store.roles.listAttachedPolicies(A, 'r', p), 3);
        assert.deepEqual(
          attached.items.map((p) => p.name),
          ['m0', 'm1', 'm2', 'm3', 'm4', 'm5', 'm6', 'm7', 'm8', 'm9'],
        );
        const managed = await collect((p) => store.managedPolicies.list(A, p), 4);
        assert.equal(managed.items.length, 10);
        const accounts = await collect((p) => store.accounts.list(p), 1);
        assert.deepEqual(
          accounts.items.map((a) => a.id),
          [A, B],
        );
      }));

    test('a marker this store did not issue is refused as invalid input', () =>
      withStore(async (store) => {
        await assert.rejects(store.roles.list(A, { marker: 'not-a-marker' }), {
          ...storeError('invalidInput', 'role', 'not-a-marker'),
          message: 'marker `not-a-marker` was not returned by a list of role items',
        });
        // A marker of a list with another key shape does not fit either.
        const key = Buffer.from(JSON.stringify([1, 'x'])).toString('base64url');
        await assert.rejects(store.users.list(A, { marker: key }), storeError('invalidInput', 'user', key));
      }));

    test('maxItems below one is a programming error', () =>
      withStore(async (store) => {
        await assert.rejects(store.roles.list(A, { maxItems: 0 }), {
          name: 'TypeError',
          message: 'maxItems must be a positive integer, got 0',
        });
        await assert.rejects(store.users.list(A, { maxItems: 1.5 }), { name: 'TypeError' });
      }));
  });
}
