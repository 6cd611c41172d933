import type { PolicyHolderStore } from './principal-policies.js';
import type { Page, PathPageRequest, Tag } from './types.js';

/** CreateRole's default `MaxSessionDuration`, in seconds. */
export const DEFAULT_MAX_SESSION_DURATION = 3600;

/** An IAM role. */
export interface Role {
  readonly accountId: string;
  readonly name: string;
  /** `AROA...`, unique across accounts. */
  readonly id: string;
  readonly path: string;
  /** `arn:aws:iam::ACCOUNT:role/PATH/NAME` */
  readonly arn: string;
  /** The trust (assume-role) policy document as the caller stored it. */
  readonly trustPolicy: string;
  readonly description?: string;
  /** Seconds. */
  readonly maxSessionDuration: number;
  readonly permissionsBoundaryArn?: string;
  readonly tags: readonly Tag[];
  readonly createdAt: number;
}

/** What CreateRole stores. */
export interface NewRole extends Omit<Role, 'tags' | 'maxSessionDuration'> {
  readonly tags?: readonly Tag[];
  /** `DEFAULT_MAX_SESSION_DURATION` when absent. */
  readonly maxSessionDuration?: number;
}

/**
 * The parts UpdateRole, UpdateRoleDescription, UpdateAssumeRolePolicy, Put/DeleteRolePermissionsBoundary
 * and Tag/UntagRole change. Roles are never renamed. `null` removes an optional part.
 */
export interface RoleUpdate {
  readonly trustPolicy?: string;
  readonly description?: string | null;
  readonly maxSessionDuration?: number;
  readonly permissionsBoundaryArn?: string | null;
  /** The whole new tag list. */
  readonly tags?: readonly Tag[];
}

/** IAM roles and their identity policies. Lists are in name order, ignoring case. */
export interface RoleStore extends PolicyHolderStore {
  /** Fails `notFound` (`account`) or `alreadyExists` (`role`: the name in any case, or the id). */
  create(role: NewRole): Promise<Role>;
  get(accountId: string, name: string): Promise<Role | undefined>;
  list(accountId: string, options?: PathPageRequest): Promise<Page<Role>>;
  /** Fails `notFound` (`role`). */
  update(accountId: string, name: string, update: RoleUpdate): Promise<Role>;
  /**
   * Fails `notFound` (`role`) or `deleteConflict` with reason `inlinePolicies` or `attachedPolicies`,
   * as IAM's DeleteRole refuses a role that still has them.
   */
  delete(accountId: string, name: string): Promise<void>;
}
