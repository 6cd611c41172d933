import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { A, T0, doc, fixtures, storeError, type ContractContext } from './fixtures.js';

/** Transactions (commit, rollback, nesting, isolation) and durability across stores. */
export function describeTransactions({ withStore, withBacking, sharedSkip }: ContractContext): void {
  describe('transactions', () => {
    test('a transaction commits when its function resolves, and returns its value', () =>
      withStore(async (store, f) => {
        const value = await store.transaction(async (tx) => {
          await tx.roles.create(f.role(A, 'r'));
          await tx.roles.putPolicy(A, 'r', { name: 'p', document: '{}' });
          return 42;
        });
        assert.equal(value, 42);
        assert.ok(await store.roles.getPolicy(A, 'r', 'p'));
      }));

    test('a transaction rolls back every write when its function throws, and passes the error on', () =>
      withStore(async (store, f) => {
        await store.roles.create(f.role(A, 'kept'));
        const boom = new Error('boom');
        await assert.rejects(
          store.transaction(async (tx) => {
            await tx.roles.create(f.role(A, 'r'));
            await tx.roles.update(A, 'kept', { description: 'changed' });
            await tx.accessKeys.create({
              accessKeyId: 'AKIAROLLEDBACK',
              accountId: A,
              secretAccessKey: 's',
              createdAt: T0,
            });
            throw boom;
          }),
          (e) => e === boom,
        );
        assert.equal(await store.roles.get(A, 'r'), undefined);
        assert.equal('description' in ((await store.roles.get(A, 'kept')) ?? {}), false);
        assert.equal(await store.accessKeys.get('AKIAROLLEDBACK'), undefined);
      }));

    test('a store error inside a transaction rolls it back like any other', () =>
      withStore(async (store, f) => {
        await store.roles.create(f.role(A, 'taken'));
        await assert.rejects(
          store.transaction(async (tx) => {
            await tx.roles.create(f.role(A, 'new'));
            await tx.roles.create(f.role(A, 'TAKEN'));
          }),
          storeError('alreadyExists', 'role', 'TAKEN'),
        );
        assert.equal(await store.roles.get(A, 'new'), undefined);
      }));

    test('a nested transaction joins the outer one and rolls back with it', () =>
      withStore(async (store, f) => {
        await assert.rejects(
          store.transaction(async (tx) => {
            await tx.transaction(async (inner) => {
              await inner.roles.create(f.role(A, 'inner'));
            });
            // Calls on the store itself from inside the transaction join it too.
            await store.transaction(async () => {
              await store.roles.create(f.role(A, 'also-inner'));
            });
            assert.ok(await tx.roles.get(A, 'inner'), 'the outer transaction sees the nested write');
            throw new Error('outer fails');
          }),
          { message: 'outer fails' },
        );
        assert.equal(await store.roles.get(A, 'inner'), undefined);
        assert.equal(await store.roles.get(A, 'also-inner'), undefined);
        await store.transaction((tx) =>
          tx.transaction(async (inner) => {
            await inner.roles.create(f.role(A, 'committed'));
          }),
        );
        assert.ok(await store.roles.get(A, 'committed'));
      }));

    test('a nested transaction that fails dooms the outer one even when the error is caught', () =>
      withStore(async (store, f) => {
        await assert.rejects(
          store.transaction(async (tx) => {
            await tx.roles.create(f.role(A, 'outer'));
            await tx
              .transaction(async (inner) => {
                await inner.roles.create(f.role(A, 'inner'));
                throw new Error('inner fails');
              })
              .catch(() => undefined);
          }),
          { message: 'inner fails' },
        );
        assert.equal(await store.roles.get(A, 'outer'), undefined);
        assert.equal(await store.roles.get(A, 'inner'), undefined);
      }));

    test('a read from outside an open transaction never sees its uncommitted writes', () =>
      withStore(async (store, f) => {
        const { opened: held, open: release } = latch();
        const { opened: wrote, open: written } = latch();
        const tx = store.transaction(async (t) => {
          await t.roles.create(f.role(A, 'pending'));
          written();
          await held;
          throw new Error('rolled back');
        });
        await wrote;
        const outside = store.roles.get(A, 'pending');
        release();
        await assert.rejects(tx, { message: 'rolled back' });
        assert.equal(await outside, undefined);
      }));

    test('writes from outside an open transaction are neither lost nor rolled back with it', () =>
      withStore(async (store, f) => {
        const { opened: held, open: release } = latch();
        const { opened: wrote, open: written } = latch();
        const tx = store.transaction(async (t) => {
          await t.roles.create(f.role(A, 'inside'));
          written();
          await held;
          throw new Error('rolled back');
        });
        await wrote;
        const outside = store.roles.create(f.role(A, 'outside'));
        release();
        await assert.rejects(tx);
        await outside;
        assert.ok(await store.roles.get(A, 'outside'));
        assert.equal(await store.roles.get(A, 'inside'), undefined);
      }));

    test('a transaction after an earlier one keeps reads from outside away from its uncommitted writes', () =>
      withStore(async (store, f) => {
        await store.transaction((t) => t.roles.create(f.role(A, 'first')));
        let release = () => {};
        const held = new Promise<void>((resolve) => {
          release = resolve;
        });
        let written = () => {};
        const wrote = new Promise<void>((resolve) => {
          written = resolve;
        });
        const tx = store.transaction(async (t) => {
          await t.roles.create(f.role(A, 'second'));
          written();
          await held;
          assert.ok(await t.roles.get(A, 'second'), 'the transaction sees its own write');
          throw new Error('rolled back');
        });
        await wrote;
        const outside = store.roles.get(A, 'second');
        release();
        await assert.rejects(tx, { message: 'rolled back' });
        assert.equal(await outside, undefined);
        assert.ok(await store.roles.get(A, 'first'));
      }));

    test('concurrent transactions each apply all their writes', () =>
      withStore(async (store, f) => {
        await Promise.all(
          [0, 1, 2, 3].map((i) =>
            store.transaction(async (tx) => {
              await tx.roles.create(f.role(A, `r${i}`));
              await Promise.resolve();
              await tx.roles.putPolicy(A, `r${i}`, { name: 'p', document: `${i}` });
            }),
          ),
        );
        for (const i of [0, 1, 2, 3]) {
          assert.equal((await store.roles.getPolicy(A, `r${i}`, 'p'))?.document, `${i}`);
        }
      }));

    test('transactionSyncedLater commits and returns like transaction, and rolls back when it throws', () =>
      withStore(async (store, f) => {
        assert.equal(
          await store.transactionSyncedLater(async (tx) => {
            await tx.roles.create(f.role(A, 'kept'));
            return 5;
          }),
          5,
        );
        await assert.rejects(
          store.transactionSyncedLater(async (tx) => {
            await tx.roles.create(f.role(A, 'gone'));
            throw new Error('boom');
          }),
          { message: 'boom' },
        );
        assert.ok(await store.roles.get(A, 'kept'));
        assert.equal(await store.roles.get(A, 'gone'), undefined);
      }));

    test('a single call is atomic without a transaction: a refused delete changes nothing', () =>
      withStore(async (store, f) => {
        const p = await store.managedPolicies.create(f.policy(A, 'p'));
        await store.managedPolicies.createVersion(A, p.arn, {
          document: '{}',
          setAsDefault: false,
          createdAt: T0,
        });
        await assert.rejects(store.managedPolicies.delete(A, p.arn), { reason: 'policyVersions' });
        assert.equal((await store.managedPolicies.listVersions(A, p.arn)).length, 2);
      }));
  });

  describe('durability', () => {
    test('a second store on the same data sees committed writes, and not rolled-back ones', sharedSkip, () =>
      withBacking(async (open) => {
        const first = await open();
        const second = await open();
        const f = fixtures();
        await first.accounts.create({ id: A, createdAt: T0 });
        await first.roles.create(f.role(A, 'committed'));
        await assert.rejects(
          first.transaction(async (tx) => {
            await tx.roles.create(f.role(A, 'rolled-back'));
            throw new Error('no');
          }),
        );
        assert.equal((await second.roles.get(A, 'committed'))?.name, 'committed');
        assert.equal(await second.roles.get(A, 'rolled-back'), undefined);
        await second.roles.putPolicy(A, 'committed', { name: 'p', document: '{}' });
        assert.ok(await first.roles.getPolicy(A, 'committed', 'p'));
        // Name uniqueness holds across stores too.
        await assert.rejects(
          second.roles.create(f.role(A, 'COMMITTED')),
          storeError('alreadyExists', 'role', 'COMMITTED'),
        );
      }),
    );

    test('data survives closing and reopening, and reopening migrates nothing twice', sharedSkip, () =>
      withBacking(async (open) => {
        const f = fixtures();
        const first = await open();
        await first.accounts.create({ id: A, createdAt: T0 });
        const p = await first.managedPolicies.create(f.policy(A, 'p'));
        await first.managedPolicies.createVersion(A, p.arn, {
          document: doc('s3:V2'),
          setAsDefault: true,
          createdAt: T0,
        });
        await first.sealingKeys.create({ id: 's', key: f.ids.bytes(32), createdAt: T0 });
        await first.close();
        for (let i = 0; i < 2; i++) {
          const again = await open();
          assert.equal((await again.managedPolicies.get(A, p.arn))?.defaultVersionId, 'v2');
          assert.equal((await again.sealingKeys.get('s'))?.key.length, 32);
          await again.close();
        }
      }),
    );
  });
}

/** A promise and the function that resolves it: one task holds on `opened` until another calls `open`. */
function latch(): { readonly opened: Promise<void>; readonly open: () => void } {
  let open = () => {};
  const opened = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { opened, open };
}
