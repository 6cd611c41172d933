import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { A, B, T0, doc, storeError, collect, type ContractContext } from './fixtures.js';

/** Managed policies: versions, the atomic default switch, attachment counts, entities. */
export function describeManagedPolicies({ withStore }: ContractContext): void {
  describe('managed policies', () => {
    test('a managed policy starts with v1 as its default version', () =>
      withStore(async (store, f) => {
        const input = f.policy(A, 'Read', {
          path: '/team/',
          description: 'reads',
          tags: [{ key: 'a', value: 'b' }],
        });
        const created = await store.managedPolicies.create(input);
        assert.deepEqual(created, {
          accountId: A,
          name: 'Read',
          id: input.id,
          path: '/team/',
          arn: `arn:aws:iam::${A}:policy/team/Read`,
          description: 'reads',
          tags: [{ key: 'a', value: 'b' }],
          createdAt: T0,
          updatedAt: T0,
          defaultVersionId: 'v1',
          attachmentCount: 0,
          permissionsBoundaryUsageCount: 0,
        });
        assert.deepEqual(await store.managedPolicies.get(A, created.arn), created);
        assert.equal(await store.managedPolicies.get(B, created.arn), undefined);
        assert.deepEqual(await store.managedPolicies.listVersions(A, created.arn), [
          { versionId: 'v1', document: doc('s3:GetObject'), isDefault: true, createdAt: T0 },
        ]);
        await assert.rejects(
          store.managedPolicies.create(f.policy(A, 'READ')),
          storeError('alreadyExists', 'managedPolicy', 'READ'),
        );
        const tagged = await store.managedPolicies.setTags(A, created.arn, []);
        assert.deepEqual(tagged.tags, []);
      }));

    test('switching the default version leaves exactly one default', () =>
      withStore(async (store, f) => {
        const p = await store.managedPolicies.create(f.policy(A, 'p'));
        const v2 = await store.managedPolicies.createVersion(A, p.arn, {
          document: doc('s3:V2'),
          setAsDefault: false,
          createdAt: T0 + 10,
        });
        assert.deepEqual(v2, {
          versionId: 'v2',
          document: doc('s3:V2'),
          isDefault: false,
          createdAt: T0 + 10,
        });
        const v3 = await store.managedPolicies.createVersion(A, p.arn, {
          document: doc('s3:V3'),
          setAsDefault: true,
          createdAt: T0 + 20,
        });
        assert.equal(v3.isDefault, true);
        const after3 = await store.managedPolicies.get(A, p.arn);
        assert.equal(after3?.defaultVersionId, 'v3');
        assert.equal(after3?.updatedAt, T0 + 20);
        assert.deepEqual(
          (await store.managedPolicies.listVersions(A, p.arn)).map((v) => [v.versionId, v.isDefault]),
          [
            ['v3', true],
            ['v2', false],
            ['v1', false],
          ],
        );
        await store.managedPolicies.setDefaultVersion(A, p.arn, 'v2');
        const versions = await store.managedPolicies.listVersions(A, p.arn);
        assert.deepEqual(
          versions.filter((v) => v.isDefault).map((v) => v.versionId),
          ['v2'],
        );
        assert.equal((await store.managedPolicies.get(A, p.arn))?.defaultVersionId, 'v2');
        assert.deepEqual(await store.managedPolicies.getVersion(A, p.arn, 'v2'), {
          ...v2,
          isDefault: true,
        });
        assert.equal(await store.managedPolicies.getVersion(A, p.arn, 'v9'), undefined);
        assert.equal(await store.managedPolicies.getVersion(A, p.arn, 'latest'), undefined);
        await assert.rejects(
          store.managedPolicies.setDefaultVersion(A, p.arn, 'v9'),
          storeError(
            'notFound',
            'policyVersion',
            'v9',
            `policyVersion \`v9\` does not exist in managedPolicy \`${p.arn}\``,
          ),
        );
      }));

    test('the default version cannot be deleted, and version ids are never reused', () =>
      withStore(async (store, f) => {
        const p = await store.managedPolicies.create(f.policy(A, 'p'));
        await store.managedPolicies.createVersion(A, p.arn, {
          document: doc('s3:V2'),
          setAsDefault: true,
          createdAt: T0,
        });
        await assert.rejects(store.managedPolicies.deleteVersion(A, p.arn, 'v2'), {
          ...storeError('deleteConflict', 'policyVersion', 'v2'),
          reason: 'defaultVersion',
          message: `policyVersion \`v2\` in managedPolicy \`${p.arn}\` cannot be deleted: it is the default version of its policy`,
        });
        await store.managedPolicies.deleteVersion(A, p.arn, 'v1');
        await assert.rejects(
          store.managedPolicies.deleteVersion(A, p.arn, 'v1'),
          storeError('notFound', 'policyVersion', 'v1'),
        );
        await store.managedPolicies.createVersion(A, p.arn, {
          document: doc('s3:V3'),
          setAsDefault: false,
          createdAt: T0,
        });
        await store.managedPolicies.deleteVersion(A, p.arn, 'v3');
        const v4 = await store.managedPolicies.createVersion(A, p.arn, {
          document: doc('s3:V4'),
          setAsDefault: false,
          createdAt: T0,
        });
        assert.equal(v4.versionId, 'v4');
        assert.deepEqual(
          (await store.managedPolicies.listVersions(A, p.arn)).map((v) => v.versionId),
          ['v4', 'v2'],
        );
      }));

    test('a policy that is attached or has other versions cannot be deleted', () =>
      withStore(async (store, f) => {
        const p = await store.managedPolicies.create(f.policy(A, 'p'));
        await store.roles.create(f.role(A, 'r'));
        await store.roles.attachPolicy(A, 'r', p.arn);
        await store.managedPolicies.createVersion(A, p.arn, {
          document: doc('s3:V2'),
          setAsDefault: false,
          createdAt: T0,
        });
        await assert.rejects(store.managedPolicies.delete(A, p.arn), {
          ...storeError('deleteConflict', 'managedPolicy', p.arn),
          reason: 'attachments',
          message: `managedPolicy \`${p.arn}\` in account \`${A}\` cannot be deleted: it is still attached to users or roles`,
        });
        await store.roles.detachPolicy(A, 'r', p.arn);
        await assert.rejects(store.managedPolicies.delete(A, p.arn), {
          ...storeError('deleteConflict', 'managedPolicy', p.arn),
          reason: 'policyVersions',
        });
        await store.managedPolicies.deleteVersion(A, p.arn, 'v2');
        await store.managedPolicies.delete(A, p.arn);
        assert.equal(await store.managedPolicies.get(A, p.arn), undefined);
        await assert.rejects(
          store.managedPolicies.delete(A, p.arn),
          storeError('notFound', 'managedPolicy', p.arn),
        );
        await assert.rejects(
          store.managedPolicies.listVersions(A, p.arn),
          storeError('notFound', 'managedPolicy', p.arn),
        );
        // The name is free again.
        await store.managedPolicies.create(f.policy(A, 'P'));
      }));

    test('attachment and boundary counts follow the users and roles that use a policy', () =>
      withStore(async (store, f) => {
        const p = await store.managedPolicies.create(f.policy(A, 'p'));
        await store.roles.create(f.role(A, 'r1'));
        await store.roles.create(f.role(A, 'r2', { permissionsBoundaryArn: p.arn }));
        await store.users.create(f.user(A, 'u', { permissionsBoundaryArn: p.arn }));
        await store.roles.attachPolicy(A, 'r1', p.arn);
        await store.roles.attachPolicy(A, 'r2', p.arn);
        await store.users.attachPolicy(A, 'u', p.arn);
        const counted = await store.managedPolicies.get(A, p.arn);
        assert.equal(counted?.attachmentCount, 3);
        assert.equal(counted?.permissionsBoundaryUsageCount, 2);
        await store.roles.update(A, 'r2', { permissionsBoundaryArn: null });
        assert.equal((await store.managedPolicies.get(A, p.arn))?.permissionsBoundaryUsageCount, 1);
      }));

    test('the entities of a policy list roles then users, page by page', () =>
      withStore(async (store, f) => {
        const p = await store.managedPolicies.create(f.policy(A, 'p'));
        const roles: string[] = [];
        const users: string[] = [];
        await store.transaction(async (tx) => {
          for (let i = 0; i < 5; i++) {
            roles.push((await tx.roles.create(f.role(A, `role-${i}`))).id);
            await tx.roles.attachPolicy(A, `role-${i}`, p.arn);
            users.push((await tx.users.create(f.user(A, `user-${i}`))).id);
            await tx.users.attachPolicy(A, `user-${i}`, p.arn);
          }
          // Not attached: never listed.
          await tx.roles.create(f.role(A, 'unrelated'));
        });
        const expected = [
          ...[...roles].sort().map((id) => ({ type: 'role', id })),
          ...[...users].sort().map((id) => ({ type: 'user', id })),
        ];
        for (const maxItems of [1, 2, 5, 100]) {
          const { items } = await collect(
            (page) => store.managedPolicies.listEntities(A, p.arn, page),
            maxItems,
          );
          assert.deepEqual(
            items.map((e) => ({ type: e.type, id: e.id })),
            expected,
            `maxItems ${maxItems}`,
          );
        }
        const onlyUsers = await collect(
          (page) => store.managedPolicies.listEntities(A, p.arn, { ...page, entityType: 'user' }),
          2,
        );
        assert.deepEqual(onlyUsers.items.map((e) => e.name).sort(), [
          'user-0',
          'user-1',
          'user-2',
          'user-3',
          'user-4',
        ]);
        await assert.rejects(
          store.managedPolicies.listEntities(A, `arn:aws:iam::${A}:policy/none`),
          storeError('notFound', 'managedPolicy', `arn:aws:iam::${A}:policy/none`),
        );
      }));

    test('ListPolicies filters by path prefix and by being attached', () =>
      withStore(async (store, f) => {
        await store.managedPolicies.create(f.policy(A, 'a', { path: '/team/' }));
        const b = await store.managedPolicies.create(f.policy(A, 'b', { path: '/team/sub/' }));
        await store.managedPolicies.create(f.policy(A, 'c'));
        await store.managedPolicies.create(f.policy(B, 'd', { path: '/team/' }));
        await store.roles.create(f.role(A, 'r'));
        await store.roles.attachPolicy(A, 'r', b.arn);
        const names = async (o: Parameters<typeof store.managedPolicies.list>[1]) =>
          (await store.managedPolicies.list(A, o)).items.map((p) => p.name);
        assert.deepEqual(await names({}), ['a', 'b', 'c']);
        assert.deepEqual(await names({ pathPrefix: '/team/' }), ['a', 'b']);
        assert.deepEqual(await names({ pathPrefix: '/team/sub' }), ['b']);
        assert.deepEqual(await names({ onlyAttached: true }), ['b']);
        assert.deepEqual(await names({ pathPrefix: '/nope/' }), []);
        assert.equal((await store.managedPolicies.list(A)).items[1]?.attachmentCount, 1);
      }));
  });
}
