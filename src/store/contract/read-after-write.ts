import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { NewOidcProvider } from '../oidc-providers.js';
import { A, T0, fixtures, type ContractContext } from './fixtures.js';

const URL = 'https://issuer.example/cluster';
const ARN = `arn:aws:iam::${A}:oidc-provider/issuer.example/cluster`;
const PROVIDER: NewOidcProvider = {
  accountId: A,
  arn: ARN,
  url: URL,
  clientIds: ['sts.amazonaws.com'],
  thumbprints: [],
  createdAt: T0,
};

/**
 * A read after a write returns the write, however the reads before it were served (an implementation
 * may keep decoded rows in memory, as SQLite does for roles and OIDC providers, which
 * AssumeRoleWithWebIdentity reads on every call): through the same store, after a transaction commits
 * or rolls back, and through a second store on the same backing.
 */
export function describeReadAfterWrite({ withStore, withBacking, sharedSkip }: ContractContext): void {
  describe('read after write', () => {
    test('a role read before an update, a delete and a re-creation reads each of them after it', () =>
      withStore(async (store, f) => {
        await store.roles.create(f.role(A, 'r'));
        assert.equal((await store.roles.get(A, 'r'))?.maxSessionDuration, 3600);
        await store.roles.update(A, 'r', { maxSessionDuration: 7200, tags: [{ key: 'k', value: 'v' }] });
        const updated = await store.roles.get(A, 'R');
        assert.equal(updated?.maxSessionDuration, 7200);
        assert.deepEqual(updated?.tags, [{ key: 'k', value: 'v' }]);
        await store.roles.delete(A, 'r');
        assert.equal(await store.roles.get(A, 'r'), undefined);
        const again = await store.roles.create(f.role(A, 'r'));
        assert.equal((await store.roles.get(A, 'r'))?.id, again.id);
      }));

    test('an OIDC provider read before an update and a delete reads each of them after it', () =>
      withStore(async (store) => {
        assert.equal(await store.oidcProviders.get(A, ARN), undefined);
        await store.oidcProviders.create(PROVIDER);
        assert.deepEqual((await store.oidcProviders.get(A, ARN))?.clientIds, ['sts.amazonaws.com']);
        await store.oidcProviders.update(A, ARN, { clientIds: ['other'] });
        assert.deepEqual((await store.oidcProviders.get(A, ARN))?.clientIds, ['other']);
        await store.oidcProviders.delete(A, ARN);
        assert.equal(await store.oidcProviders.get(A, ARN), undefined);
      }));

    test('after a transaction, reads see what it committed and nothing of what it rolled back', () =>
      withStore(async (store, f) => {
        await store.roles.create(f.role(A, 'r'));
        await store.oidcProviders.create(PROVIDER);
        assert.ok(await store.roles.get(A, 'r'));
        assert.ok(await store.oidcProviders.get(A, ARN));
        await assert.rejects(
          store.transaction(async (tx) => {
            await tx.roles.update(A, 'r', { description: 'rolled back' });
            await tx.oidcProviders.delete(A, ARN);
            assert.equal((await tx.roles.get(A, 'r'))?.description, 'rolled back');
            assert.equal(await tx.oidcProviders.get(A, ARN), undefined);
            throw new Error('no');
          }),
        );
        assert.equal((await store.roles.get(A, 'r'))?.description, undefined);
        assert.ok(await store.oidcProviders.get(A, ARN));
        await store.transaction(async (tx) => {
          await tx.roles.update(A, 'r', { description: 'committed' });
          await tx.oidcProviders.update(A, ARN, { clientIds: ['committed'] });
        });
        assert.equal((await store.roles.get(A, 'r'))?.description, 'committed');
        assert.deepEqual((await store.oidcProviders.get(A, ARN))?.clientIds, ['committed']);
      }));

    test(
      'a store that read a role and a provider sees another store’s later changes to them',
      sharedSkip,
      () =>
        withBacking(async (open) => {
          const first = await open();
          const second = await open();
          const f = fixtures();
          await first.accounts.create({ id: A, createdAt: T0 });
          await first.roles.create(f.role(A, 'r'));
          await first.oidcProviders.create(PROVIDER);
          assert.equal((await second.roles.get(A, 'r'))?.maxSessionDuration, 3600);
          assert.deepEqual((await second.oidcProviders.get(A, ARN))?.clientIds, ['sts.amazonaws.com']);
          await first.roles.update(A, 'r', { maxSessionDuration: 7200 });
          await first.oidcProviders.update(A, ARN, { clientIds: ['other'] });
          assert.equal((await second.roles.get(A, 'r'))?.maxSessionDuration, 7200);
          assert.deepEqual((await second.oidcProviders.get(A, ARN))?.clientIds, ['other']);
          await first.roles.delete(A, 'r');
          await first.oidcProviders.delete(A, ARN);
          assert.equal(await second.roles.get(A, 'r'), undefined);
          assert.equal(await second.oidcProviders.get(A, ARN), undefined);
        }),
    );
  });
}
