import assert from 'node:assert/strict';
import { describe } from 'node:test';
import { describeAccountsAndKeys } from './contract/accounts-and-keys.js';
import { describeBucketsAndObjects } from './contract/buckets-and-objects.js';
import { A, B, fixtures, T0, type ContractContext, type Fixtures } from './contract/fixtures.js';
import { describeInlineObjects } from './contract/inline-objects.js';
import { describeManagedPolicies } from './contract/managed-policies.js';
import { describeManifestObjects } from './contract/manifest-objects.js';
import { describeOidcAndServerRecords } from './contract/oidc-and-server.js';
import { describePaging } from './contract/paging.js';
import { describeReadAfterWrite } from './contract/read-after-write.js';
import { describeRoles } from './contract/roles.js';
import { describeTransactions } from './contract/transactions.js';
import { describeUploads } from './contract/uploads.js';
import { describeUsers } from './contract/users.js';
import type { Store } from './types.js';

/**
 * The behaviour every `Store` implementation must have, as one suite (hono's `runTest({ newRouter })`
 * is the model): run it once per implementation and configuration.
 */
export interface StoreContractOptions {
  /** Names the suite in the test output. */
  readonly name: string;
  /** A new, empty store of its own. */
  readonly newStore: () => Promise<Store>;
  /**
   * For the durability tests: `newBacking` makes a new, empty backing (a database file, a database) and
   * returns a function that opens one more `Store` on it, so that several can be open at once. Backings
   * that cannot be shared give `skip`: the reason the skipped tests print.
   */
  readonly shared: { readonly newBacking: () => Promise<() => Promise<Store>> } | { readonly skip: string };
}

/**
 * Registers the store contract as node:test suites: CRUD of every aggregate, case-insensitive names,
 * account isolation, IAM's delete conflicts, paging, transactions and, where the backing can be shared,
 * durability across stores. Each test gets a store of its own from `newStore`.
 */
export function runStoreContract(options: StoreContractOptions): void {
  /** A fresh store with accounts A and B, closed after `fn`. */
  async function withStore(fn: (store: Store, f: Fixtures) => Promise<void>) {
    const store = await options.newStore();
    try {
      await store.accounts.create({ id: A, createdAt: T0 });
      await store.accounts.create({ id: B, createdAt: T0 });
      await fn(store, fixtures());
    } finally {
      await store.close();
    }
  }
  const sharedSkip = 'skip' in options.shared ? { skip: options.shared.skip } : {};
  async function withBacking(fn: (open: () => Promise<Store>) => Promise<void>) {
    assert.ok('newBacking' in options.shared);
    const open = await options.shared.newBacking();
    const opened: Store[] = [];
    try {
      await fn(async () => {
        const store = await open();
        opened.push(store);
        return store;
      });
    } finally {
      for (const store of opened) await store.close();
    }
  }

  const context: ContractContext = { withStore, withBacking, sharedSkip };
  describe(`store contract: ${options.name}`, () => {
    describeAccountsAndKeys(context);
    describeUsers(context);
    describeRoles(context);
    describeManagedPolicies(context);
    describeOidcAndServerRecords(context);
    describePaging(context);
    describeTransactions(context);
    describeManifestObjects(context);
    describeBucketsAndObjects(context);
    describeUploads(context);
    describeReadAfterWrite(context);
    describeInlineObjects(context);
  });
}
