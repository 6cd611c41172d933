import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { A, B, T0, TRUST, doc, storeError, type ContractContext } from './fixtures.js';

/** IAM roles: account isolation, updates, inline and attached policies, what blocks their deletion. */
export function describeRoles({ withStore }: ContractContext): void {
  describe('roles', () => {
    test('a role is created with IAM defaults and read back in any case', () =>
      withStore(async (store, f) => {
        const input = f.role(A, 'S3Reader', { path: '/irsa/' });
        const role = await store.roles.create(input);
        assert.deepEqual(role, {
          accountId: A,
          name: 'S3Reader',
          id: input.id,
          path: '/irsa/',
          arn: `arn:aws:iam::${A}:role/irsa/S3Reader`,
          trustPolicy: TRUST,
          maxSessionDuration: 3600,
          tags: [],
          createdAt: T0,
        });
        assert.deepEqual(await store.roles.get(A, 's3reader'), role);
        assert.equal(await store.roles.get(A, 'other'), undefined);
      }));

    test('role names are unique per account ignoring case, and keep the case they were created with', () =>
      withStore(async (store, f) => {
        await store.roles.create(f.role(A, 'Admin'));
        await assert.rejects(
          store.roles.create(f.role(A, 'ADMIN')),
          storeError(
            'alreadyExists',
            'role',
            'ADMIN',
            'role `ADMIN` already exists in account `111122223333`',
          ),
        );
        assert.equal((await store.roles.get(A, 'admin'))?.name, 'Admin');
      }));

    test('the same role name lives independently in two accounts', () =>
      withStore(async (store, f) => {
        const a = await store.roles.create(f.role(A, 'app'));
        const b = await store.roles.create(f.role(B, 'app', { description: 'b' }));
        assert.notEqual(a.id, b.id);
        await store.roles.putPolicy(A, 'app', { name: 'p', document: doc('s3:*') });
        assert.equal(await store.roles.getPolicy(B, 'app', 'p'), undefined);
        await store.roles.update(B, 'app', { maxSessionDuration: 7200 });
        assert.equal((await store.roles.get(A, 'app'))?.maxSessionDuration, 3600);
        await store.roles.deletePolicy(A, 'app', 'p');
        await store.roles.delete(A, 'app');
        assert.equal(await store.roles.get(A, 'app'), undefined);
        assert.equal((await store.roles.get(B, 'app'))?.description, 'b');
        assert.deepEqual(
          (await store.roles.list(B)).items.map((r) => r.arn),
          [`arn:aws:iam::${B}:role/app`],
        );
      }));

    test('a role update changes only what it names, and null removes optional parts', () =>
      withStore(async (store, f) => {
        await store.roles.create(
          f.role(A, 'r', { description: 'first', permissionsBoundaryArn: `arn:aws:iam::${A}:policy/b` }),
        );
        const trust = TRUST.replace('issuer.example', 'other.example');
        const updated = await store.roles.update(A, 'R', {
          trustPolicy: trust,
          maxSessionDuration: 43200,
          tags: [{ key: 'k', value: 'v' }],
        });
        assert.equal(updated.trustPolicy, trust);
        assert.equal(updated.maxSessionDuration, 43200);
        assert.equal(updated.description, 'first');
        assert.equal(updated.permissionsBoundaryArn, `arn:aws:iam::${A}:policy/b`);
        assert.deepEqual(updated.tags, [{ key: 'k', value: 'v' }]);
        const cleared = await store.roles.update(A, 'r', {
          description: null,
          permissionsBoundaryArn: null,
        });
        assert.equal('description' in cleared, false);
        assert.equal('permissionsBoundaryArn' in cleared, false);
        assert.deepEqual(cleared.tags, [{ key: 'k', value: 'v' }]);
        assert.deepEqual(await store.roles.get(A, 'r'), cleared);
        await assert.rejects(
          store.roles.update(A, 'gone', { description: 'x' }),
          storeError('notFound', 'role', 'gone'),
        );
      }));

    test('inline role policies are put, replaced, read, listed by name and deleted', () =>
      withStore(async (store, f) => {
        await store.roles.create(f.role(A, 'r'));
        await store.roles.putPolicy(A, 'r', { name: 'Write', document: doc('s3:PutObject') });
        await store.roles.putPolicy(A, 'r', { name: 'read', document: doc('s3:GetObject') });
        await store.roles.putPolicy(A, 'R', { name: 'WRITE', document: doc('s3:*') });
        assert.deepEqual(await store.roles.getPolicy(A, 'r', 'write'), {
          name: 'Write',
          document: doc('s3:*'),
        });
        assert.deepEqual((await store.roles.listPolicies(A, 'r')).items, [
          { name: 'read', document: doc('s3:GetObject') },
          { name: 'Write', document: doc('s3:*') },
        ]);
        await store.roles.deletePolicy(A, 'r', 'READ');
        assert.equal(await store.roles.getPolicy(A, 'r', 'read'), undefined);
        await assert.rejects(
          store.roles.deletePolicy(A, 'r', 'read'),
          storeError(
            'notFound',
            'inlinePolicy',
            'read',
            'inlinePolicy `read` does not exist in role `r` in account `111122223333`',
          ),
        );
        await assert.rejects(
          store.roles.putPolicy(A, 'gone', { name: 'p', document: '{}' }),
          storeError('notFound', 'role', 'gone'),
        );
        await assert.rejects(store.roles.listPolicies(A, 'gone'), storeError('notFound', 'role', 'gone'));
        assert.equal(await store.roles.getPolicy(A, 'gone', 'p'), undefined);
      }));

    test('attaching a managed policy twice changes nothing; detaching one not attached is refused', () =>
      withStore(async (store, f) => {
        await store.roles.create(f.role(A, 'r'));
        const p = await store.managedPolicies.create(f.policy(A, 'read'));
        await store.roles.attachPolicy(A, 'r', p.arn);
        await store.roles.attachPolicy(A, 'R', p.arn);
        assert.deepEqual((await store.roles.listAttachedPolicies(A, 'r')).items, [
          { name: 'read', arn: p.arn },
        ]);
        assert.equal((await store.managedPolicies.get(A, p.arn))?.attachmentCount, 1);
        await store.roles.detachPolicy(A, 'r', p.arn);
        assert.deepEqual((await store.roles.listAttachedPolicies(A, 'r')).items, []);
        await assert.rejects(
          store.roles.detachPolicy(A, 'r', p.arn),
          storeError(
            'notFound',
            'policyAttachment',
            p.arn,
            `policyAttachment \`${p.arn}\` does not exist in role \`r\` in account \`${A}\``,
          ),
        );
        const missing = `arn:aws:iam::${A}:policy/missing`;
        await assert.rejects(
          store.roles.attachPolicy(A, 'r', missing),
          storeError('notFound', 'managedPolicy', missing),
        );
        await assert.rejects(
          store.roles.attachPolicy(A, 'gone', p.arn),
          storeError('notFound', 'role', 'gone'),
        );
      }));

    test('a policy of another account cannot be attached', () =>
      withStore(async (store, f) => {
        await store.roles.create(f.role(A, 'r'));
        const foreign = await store.managedPolicies.create(f.policy(B, 'read'));
        await assert.rejects(
          store.roles.attachPolicy(A, 'r', foreign.arn),
          storeError('notFound', 'managedPolicy', foreign.arn),
        );
      }));

    test('a role with inline or attached policies cannot be deleted', () =>
      withStore(async (store, f) => {
        await store.roles.create(f.role(A, 'r'));
        const p = await store.managedPolicies.create(f.policy(A, 'read'));
        await store.roles.putPolicy(A, 'r', { name: 'inline', document: doc('s3:*') });
        await store.roles.attachPolicy(A, 'r', p.arn);
        await assert.rejects(store.roles.delete(A, 'R'), {
          ...storeError('deleteConflict', 'role', 'r'),
          reason: 'inlinePolicies',
          message: 'role `r` in account `111122223333` cannot be deleted: it still has inline policies',
        });
        await store.roles.deletePolicy(A, 'r', 'inline');
        await assert.rejects(store.roles.delete(A, 'r'), {
          ...storeError('deleteConflict', 'role', 'r'),
          reason: 'attachedPolicies',
          message:
            'role `r` in account `111122223333` cannot be deleted: it still has attached managed policies',
        });
        assert.ok(await store.roles.get(A, 'r'), 'a refused delete leaves the role in place');
        await store.roles.detachPolicy(A, 'r', p.arn);
        await store.roles.delete(A, 'r');
        assert.equal(await store.roles.get(A, 'r'), undefined);
      }));

    test('a role recreated under the same name has nothing of the old one', () =>
      withStore(async (store, f) => {
        const old = await store.roles.create(f.role(A, 'r'));
        await store.roles.delete(A, 'r');
        const fresh = await store.roles.create(f.role(A, 'r'));
        assert.notEqual(fresh.id, old.id);
        assert.deepEqual(await store.roles.getPolicyDocuments(A, 'r'), { inline: [], attached: [] });
      }));

    test("a role's policy documents are its inline policies and the default versions of attached ones", () =>
      withStore(async (store, f) => {
        await store.roles.create(f.role(A, 'r'));
        const p = await store.managedPolicies.create(f.policy(A, 'managed'));
        await store.roles.attachPolicy(A, 'r', p.arn);
        await store.roles.putPolicy(A, 'r', { name: 'b', document: doc('s3:B') });
        await store.roles.putPolicy(A, 'r', { name: 'a', document: doc('s3:A') });
        await store.managedPolicies.createVersion(A, p.arn, {
          document: doc('s3:V2'),
          setAsDefault: false,
          createdAt: T0 + 1,
        });
        assert.deepEqual(await store.roles.getPolicyDocuments(A, 'R'), {
          inline: [
            { name: 'a', document: doc('s3:A') },
            { name: 'b', document: doc('s3:B') },
          ],
          attached: [{ name: 'managed', arn: p.arn, versionId: 'v1', document: doc('s3:GetObject') }],
        });
        await store.managedPolicies.setDefaultVersion(A, p.arn, 'v2');
        assert.deepEqual((await store.roles.getPolicyDocuments(A, 'r'))?.attached, [
          { name: 'managed', arn: p.arn, versionId: 'v2', document: doc('s3:V2') },
        ]);
        assert.equal(await store.roles.getPolicyDocuments(A, 'gone'), undefined);
      }));
  });
}
