import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { A, B, T0, doc, storeError, type ContractContext } from './fixtures.js';

/** IAM users: case-insensitive names, renames, their policies, and what blocks their deletion. */
export function describeUsers({ withStore }: ContractContext): void {
  describe('users', () => {
    test('a user is created, read back in any case, updated and deleted', () =>
      withStore(async (store, f) => {
        const input = f.user(A, 'Alice', { path: '/eng/', tags: [{ key: 'team', value: 'a' }] });
        const created = await store.users.create(input);
        assert.deepEqual(created, {
          accountId: A,
          name: 'Alice',
          id: input.id,
          path: '/eng/',
          arn: `arn:aws:iam::${A}:user/eng/Alice`,
          tags: [{ key: 'team', value: 'a' }],
          createdAt: T0,
        });
        assert.deepEqual(await store.users.get(A, 'ALICE'), created);
        const bounded = await store.users.update(A, 'alice', {
          permissionsBoundaryArn: `arn:aws:iam::${A}:policy/boundary`,
          tags: [],
        });
        assert.equal(bounded.permissionsBoundaryArn, `arn:aws:iam::${A}:policy/boundary`);
        assert.deepEqual(bounded.tags, []);
        const unbounded = await store.users.update(A, 'Alice', { permissionsBoundaryArn: null });
        assert.equal('permissionsBoundaryArn' in unbounded, false);
        await store.users.delete(A, 'aLiCe');
        assert.equal(await store.users.get(A, 'Alice'), undefined);
        await assert.rejects(store.users.delete(A, 'Alice'), storeError('notFound', 'user', 'Alice'));
      }));

    test('user names are unique per account ignoring case', () =>
      withStore(async (store, f) => {
        await store.users.create(f.user(A, 'alice'));
        await assert.rejects(
          store.users.create(f.user(A, 'ALICE')),
          storeError(
            'alreadyExists',
            'user',
            'ALICE',
            'user `ALICE` already exists in account `111122223333`',
          ),
        );
        await store.users.create(f.user(B, 'ALICE'));
      }));

    test('a renamed user keeps its id and its access keys, and cannot take a name in use', () =>
      withStore(async (store, f) => {
        const alice = await store.users.create(f.user(A, 'alice'));
        await store.users.create(f.user(A, 'bob'));
        const key = f.accessKeyId();
        await store.accessKeys.create({
          accessKeyId: key,
          accountId: A,
          userName: 'alice',
          secretAccessKey: 's',
          createdAt: T0,
        });
        await assert.rejects(
          store.users.update(A, 'alice', {
            rename: { name: 'BOB', path: '/', arn: `arn:aws:iam::${A}:user/BOB` },
          }),
          storeError('alreadyExists', 'user', 'BOB'),
        );
        const renamed = await store.users.update(A, 'alice', {
          rename: { name: 'Alicia', path: '/x/', arn: `arn:aws:iam::${A}:user/x/Alicia` },
        });
        assert.equal(renamed.id, alice.id);
        assert.equal(renamed.path, '/x/');
        assert.equal(await store.users.get(A, 'alice'), undefined);
        assert.deepEqual((await store.accessKeys.get(key))?.user, {
          name: 'Alicia',
          id: alice.id,
          arn: `arn:aws:iam::${A}:user/x/Alicia`,
        });
        // A rename that changes only the case is allowed.
        const recased = await store.users.update(A, 'alicia', {
          rename: { name: 'ALICIA', path: renamed.path, arn: renamed.arn },
        });
        assert.equal(recased.name, 'ALICIA');
      }));

    test('a user with access keys or policies cannot be deleted', () =>
      withStore(async (store, f) => {
        await store.users.create(f.user(A, 'alice'));
        const policy = await store.managedPolicies.create(f.policy(A, 'read'));
        const key = f.accessKeyId();
        await store.accessKeys.create({
          accessKeyId: key,
          accountId: A,
          userName: 'alice',
          secretAccessKey: 's',
          createdAt: T0,
        });
        await store.users.putPolicy(A, 'alice', { name: 'inline', document: doc('s3:*') });
        await store.users.attachPolicy(A, 'alice', policy.arn);
        await assert.rejects(store.users.delete(A, 'alice'), {
          ...storeError('deleteConflict', 'user', 'alice'),
          reason: 'accessKeys',
          message: 'user `alice` in account `111122223333` cannot be deleted: it still has access keys',
        });
        await store.accessKeys.delete(A, key);
        await assert.rejects(store.users.delete(A, 'alice'), { reason: 'inlinePolicies' });
        await store.users.deletePolicy(A, 'alice', 'inline');
        await assert.rejects(store.users.delete(A, 'alice'), { reason: 'attachedPolicies' });
        await store.users.detachPolicy(A, 'alice', policy.arn);
        await store.users.delete(A, 'alice');
      }));

    test("a user's inline and attached policies work as a role's do", () =>
      withStore(async (store, f) => {
        await store.users.create(f.user(A, 'alice'));
        const policy = await store.managedPolicies.create(f.policy(A, 'read'));
        await store.users.putPolicy(A, 'alice', { name: 'p', document: doc('s3:*') });
        await store.users.attachPolicy(A, 'ALICE', policy.arn);
        assert.deepEqual(await store.users.getPolicyDocuments(A, 'alice'), {
          inline: [{ name: 'p', document: doc('s3:*') }],
          attached: [{ name: 'read', arn: policy.arn, versionId: 'v1', document: doc('s3:GetObject') }],
        });
        assert.deepEqual((await store.users.listAttachedPolicies(A, 'alice')).items, [
          { name: 'read', arn: policy.arn },
        ]);
        assert.deepEqual((await store.managedPolicies.listEntities(A, policy.arn)).items, [
          { type: 'user', name: 'alice', id: (await store.users.get(A, 'alice'))?.id },
        ]);
      }));
  });
}
