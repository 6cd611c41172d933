import type { PolicyHolderStore } from './principal-policies.js';
import type { Page, PathPageRequest, Tag } from './types.js';

/** An IAM user. */
export interface User {
  readonly accountId: string;
  readonly name: string;
  /** `AIDA...`, unique across accounts. */
  readonly id: string;
  /** `/` or `/a/b/`. */
  readonly path: string;
  /** `arn:aws:iam::ACCOUNT:user/PATH/NAME` */
  readonly arn: string;
  readonly permissionsBoundaryArn?: string;
  readonly tags: readonly Tag[];
  readonly createdAt: number;
}

/** What CreateUser stores; no tags when absent. */
export interface NewUser extends Omit<User, 'tags'> {
  readonly tags?: readonly Tag[];
}

/** The parts UpdateUser, Put/DeleteUserPermissionsBoundary and Tag/UntagUser change. */
export interface UserUpdate {
  /** UpdateUser's NewUserName / NewPath: name, path and ARN change together. */
  readonly rename?: { readonly name: string; readonly path: string; readonly arn: string };
  /** `null` removes the boundary. */
  readonly permissionsBoundaryArn?: string | null;
  /** The whole new tag list. */
  readonly tags?: readonly Tag[];
}

/**
 * IAM users and their identity policies (their access keys are in `AccessKeyStore`). Lists are in
 * name order, ignoring case.
 */
export interface UserStore extends PolicyHolderStore {
  /** Fails `notFound` (`account`) or `alreadyExists` (`user`: the name in any case, or the id). */
  create(user: NewUser): Promise<User>;
  get(accountId: string, name: string): Promise<User | undefined>;
  list(accountId: string, options?: PathPageRequest): Promise<Page<User>>;
  /** Fails `notFound` (`user`) or, on a rename to a taken name, `alreadyExists` (`user`). */
  update(accountId: string, name: string, update: UserUpdate): Promise<User>;
  /**
   * Fails `notFound` (`user`) or `deleteConflict` with reason `accessKeys`, `inlinePolicies` or
   * `attachedPolicies`, as IAM's DeleteUser refuses a user that still has them.
   */
  delete(accountId: string, name: string): Promise<void>;
}
