import assert from 'node:assert/strict';
import { fixedClock } from '../../shared/clock.js';
import { sequentialIds } from '../../shared/ids.js';
import type { StoreEntity, StoreErrorKind } from '../errors.js';
import type { NewManagedPolicy } from '../managed-policies.js';
import type { NewRole } from '../roles.js';
import type { Page, PageRequest, Store } from '../types.js';
import type { NewUser } from '../users.js';

/** What each part of the store contract gets from `runStoreContract`. */
export interface ContractContext {
  /** Runs `fn` on a fresh store that holds accounts `A` and `B`, and closes the store after it. */
  readonly withStore: (fn: (store: Store, f: Fixtures) => Promise<void>) => Promise<void>;
  /** Runs `fn` with an opener of stores on one fresh shared backing, and closes what it opened. */
  readonly withBacking: (fn: (open: () => Promise<Store>) => Promise<void>) => Promise<void>;
  /** The options of the tests that need `withBacking`: a skip, with its reason, when there is none. */
  readonly sharedSkip: { readonly skip?: string };
}

/** The record builders a contract test gets. */
export type Fixtures = ReturnType<typeof fixtures>;

/** The two accounts every contract test starts with. */
export const A = '111122223333';
export const B = '444455556666';
/** The frozen clock's start. */
export const T0 = Date.UTC(2026, 0, 1);

/** An IRSA-shaped trust policy. */
export const TRUST = JSON.stringify({
  Version: '2012-10-17',
  Statement: [
    {
      Effect: 'Allow',
      Principal: { Federated: `arn:aws:iam::${A}:oidc-provider/issuer.example/cluster` },
      Action: 'sts:AssumeRoleWithWebIdentity',
    },
  ],
});

/** A one-statement identity policy allowing `action`. */
export function doc(action: string): string {
  return JSON.stringify({
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Action: action, Resource: '*' }],
  });
}

/** Builders of valid records, with ids from `sequentialIds` and time from a frozen clock. */
export function fixtures() {
  const ids = sequentialIds();
  const clock = fixedClock(T0);
  return {
    clock,
    ids,
    role: (accountId: string, name: string, over: Partial<NewRole> = {}): NewRole => ({
      accountId,
      name,
      id: ids.uniqueId('AROA'),
      path: over.path ?? '/',
      arn: `arn:aws:iam::${accountId}:role${over.path ?? '/'}${name}`,
      trustPolicy: TRUST,
      createdAt: clock.now(),
      ...over,
    }),
    user: (accountId: string, name: string, over: Partial<NewUser> = {}): NewUser => ({
      accountId,
      name,
      id: ids.uniqueId('AIDA'),
      path: over.path ?? '/',
      arn: `arn:aws:iam::${accountId}:user${over.path ?? '/'}${name}`,
      createdAt: clock.now(),
      ...over,
    }),
    policy: (accountId: string, name: string, over: Partial<NewManagedPolicy> = {}): NewManagedPolicy => ({
      accountId,
      name,
      id: ids.uniqueId('ANPA'),
      path: over.path ?? '/',
      arn: `arn:aws:iam::${accountId}:policy${over.path ?? '/'}${name}`,
      document: doc('s3:GetObject'),
      createdAt: clock.now(),
      ...over,
    }),
    accessKeyId: () => ids.uniqueId('AKIA'),
  };
}

/** What `assert.rejects` checks of a `StoreError`. */
export function storeError(kind: StoreErrorKind, entity: StoreEntity, key: string, message?: string) {
  return { name: 'StoreError', kind, entity, key, ...(message === undefined ? {} : { message }) };
}

/** Every item of a list, page by page, checking that each page is at most `maxItems` long. */
export async function collect<T>(
  list: (page: PageRequest) => Promise<Page<T>>,
  maxItems: number,
): Promise<{ items: T[]; pages: number }> {
  const items: T[] = [];
  let marker: string | undefined;
  let pages = 0;
  do {
    const page = await list(marker === undefined ? { maxItems } : { marker, maxItems });
    assert.ok(page.items.length <= maxItems, `a page holds at most ${maxItems} items`);
    items.push(...page.items);
    marker = page.marker;
    pages++;
    assert.ok(pages < 10_000, 'paging ends');
  } while (marker !== undefined);
  return { items, pages };
}
