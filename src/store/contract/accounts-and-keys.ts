import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { A, B, T0, storeError, collect, type ContractContext } from './fixtures.js';

/** Accounts, and access keys: the global lookup by id that SigV4 authentication makes. */
export function describeAccountsAndKeys({ withStore }: ContractContext): void {
  describe('accounts', () => {
    test('an account is created once and read back by id', () =>
      withStore(async (store) => {
        assert.deepEqual(await store.accounts.get(A), { id: A, createdAt: T0 });
        assert.equal(await store.accounts.get('999999999999'), undefined);
        await assert.rejects(
          store.accounts.create({ id: A, createdAt: T0 + 1 }),
          storeError('alreadyExists', 'account', A, 'account `111122223333` already exists'),
        );
        assert.deepEqual((await store.accounts.list()).items, [
          { id: A, createdAt: T0 },
          { id: B, createdAt: T0 },
        ]);
      }));

    test('an account id that is not twelve digits is a programming error', () =>
      withStore(async (store) => {
        await assert.rejects(store.accounts.create({ id: '1234', createdAt: T0 }), {
          name: 'TypeError',
          message: 'an account id is twelve digits, got `1234`',
        });
      }));

    test('IAM entities cannot be created in an account that does not exist', () =>
      withStore(async (store, f) => {
        await assert.rejects(
          store.roles.create(f.role('999999999999', 'r')),
          storeError('notFound', 'account', '999999999999', 'account `999999999999` does not exist'),
        );
        await assert.rejects(
          store.users.create(f.user('999999999999', 'u')),
          storeError('notFound', 'account', '999999999999'),
        );
      }));
  });

  describe('access keys', () => {
    test('an access key is found by its id alone, with its account and owner', () =>
      withStore(async (store, f) => {
        const alice = await store.users.create(f.user(B, 'alice'));
        const id = f.accessKeyId();
        const created = await store.accessKeys.create({
          accessKeyId: id,
          accountId: B,
          userName: 'ALICE',
          secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
          createdAt: T0,
        });
        const expected = {
          accessKeyId: id,
          accountId: B,
          user: { name: 'alice', id: alice.id, arn: alice.arn },
          secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
          status: 'Active',
          createdAt: T0,
        };
        assert.deepEqual(created, expected);
        assert.deepEqual(await store.accessKeys.get(id), expected);
        assert.equal(await store.accessKeys.get('AKIANOTAKEY'), undefined);
      }));

    test("the account root's keys have no user and are listed apart from users' keys", () =>
      withStore(async (store, f) => {
        await store.users.create(f.user(A, 'alice'));
        const root = f.accessKeyId();
        const user = f.accessKeyId();
        await store.accessKeys.create({
          accessKeyId: root,
          accountId: A,
          secretAccessKey: 'r',
          createdAt: T0,
        });
        await store.accessKeys.create({
          accessKeyId: user,
          accountId: A,
          userName: 'alice',
          secretAccessKey: 'u',
          createdAt: T0,
        });
        const rootKey = await store.accessKeys.get(root);
        assert.equal(rootKey?.accountId, A);
        assert.equal(rootKey !== undefined && 'user' in rootKey, false);
        assert.deepEqual(
          (await store.accessKeys.listForRoot(A)).items.map((k) => k.accessKeyId),
          [root],
        );
        assert.deepEqual(
          (await store.accessKeys.listForUser(A, 'alice')).items.map((k) => k.accessKeyId),
          [user],
        );
        assert.deepEqual((await store.accessKeys.listForRoot(B)).items, []);
      }));

    test("a user's keys list in creation order, page by page", () =>
      withStore(async (store, f) => {
        await store.users.create(f.user(A, 'alice'));
        const made: { id: string; createdAt: number }[] = [];
        for (let i = 0; i < 7; i++) {
          // Two keys per millisecond: the id breaks the tie.
          const key = { id: f.accessKeyId(), createdAt: T0 + Math.floor(i / 2) };
          made.push(key);
          await store.accessKeys.create({
            accessKeyId: key.id,
            accountId: A,
            userName: 'alice',
            secretAccessKey: `s${i}`,
            createdAt: key.createdAt,
          });
        }
        const byCreation = [...made].sort((x, y) => x.createdAt - y.createdAt || (x.id < y.id ? -1 : 1));
        const { items, pages } = await collect((p) => store.accessKeys.listForUser(A, 'alice', p), 3);
        assert.deepEqual(
          items.map((k) => k.accessKeyId),
          byCreation.map((k) => k.id),
        );
        assert.equal(pages, 3);
        await assert.rejects(
          store.accessKeys.listForUser(A, 'nobody'),
          storeError('notFound', 'user', 'nobody'),
        );
      }));

    test('a key is switched Inactive and back, and deleted', () =>
      withStore(async (store, f) => {
        const id = f.accessKeyId();
        await store.accessKeys.create({
          accessKeyId: id,
          accountId: A,
          secretAccessKey: 's',
          createdAt: T0,
        });
        assert.equal((await store.accessKeys.updateStatus(A, id, 'Inactive')).status, 'Inactive');
        assert.equal((await store.accessKeys.get(id))?.status, 'Inactive');
        assert.equal((await store.accessKeys.updateStatus(A, id, 'Active')).status, 'Active');
        await store.accessKeys.delete(A, id);
        assert.equal(await store.accessKeys.get(id), undefined);
        await assert.rejects(store.accessKeys.delete(A, id), storeError('notFound', 'accessKey', id));
      }));

    test('access key ids are unique across accounts, and another account cannot touch a key', () =>
      withStore(async (store, f) => {
        const id = f.accessKeyId();
        await store.accessKeys.create({
          accessKeyId: id,
          accountId: A,
          secretAccessKey: 's',
          createdAt: T0,
        });
        await assert.rejects(
          store.accessKeys.create({ accessKeyId: id, accountId: B, secretAccessKey: 't', createdAt: T0 }),
          storeError('alreadyExists', 'accessKey', id),
        );
        await assert.rejects(
          store.accessKeys.updateStatus(B, id, 'Inactive'),
          storeError('notFound', 'accessKey', id, `accessKey \`${id}\` does not exist in account \`${B}\``),
        );
        await assert.rejects(store.accessKeys.delete(B, id), storeError('notFound', 'accessKey', id));
        assert.equal((await store.accessKeys.get(id))?.status, 'Active');
      }));

    test('a key for a user that does not exist is refused', () =>
      withStore(async (store, f) => {
        await assert.rejects(
          store.accessKeys.create({
            accessKeyId: f.accessKeyId(),
            accountId: A,
            userName: 'ghost',
            secretAccessKey: 's',
            createdAt: T0,
          }),
          storeError('notFound', 'user', 'ghost', 'user `ghost` does not exist in account `111122223333`'),
        );
      }));
  });
}
