import type { Page, PageRequest } from './types.js';

/** An AWS account: the first part of every IAM key. */
export interface Account {
  /** Twelve digits. */
  readonly id: string;
  readonly createdAt: number;
}

/**
 * Accounts. The account root's access keys are access keys without a user (see `AccessKeyStore`).
 */
export interface AccountStore {
  /** Fails `alreadyExists` when the id is taken. An id that is not twelve digits is a `TypeError`. */
  create(account: Account): Promise<Account>;
  get(id: string): Promise<Account | undefined>;
  /** In id order. */
  list(page?: PageRequest): Promise<Page<Account>>;
}
