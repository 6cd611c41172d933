import type { Page, PageRequest, PathPageRequest, Tag } from './types.js';

/** A customer managed policy. */
export interface ManagedPolicy {
  readonly accountId: string;
  readonly name: string;
  /** `ANPA...`, unique across accounts. */
  readonly id: string;
  readonly path: string;
  /** `arn:aws:iam::ACCOUNT:policy/PATH/NAME`, unique. */
  readonly arn: string;
  readonly description?: string;
  readonly tags: readonly Tag[];
  readonly createdAt: number;
  /** When the newest version was created (IAM's `UpdateDate`); `createdAt` while there is only v1. */
  readonly updatedAt: number;
  /** `v1`, `v2`, ... */
  readonly defaultVersionId: string;
  /** Users and roles it is attached to. */
  readonly attachmentCount: number;
  /** Users and roles of the account that name it as their permissions boundary. */
  readonly permissionsBoundaryUsageCount: number;
}

/** One version of a managed policy. */
export interface PolicyVersion {
  /** `v` and a number that grows with each version and is never reused, as IAM's does. */
  readonly versionId: string;
  readonly document: string;
  readonly isDefault: boolean;
  readonly createdAt: number;
}

/** What CreatePolicy stores. */
export interface NewManagedPolicy {
  readonly accountId: string;
  readonly name: string;
  readonly id: string;
  readonly path: string;
  readonly arn: string;
  readonly description?: string;
  readonly tags?: readonly Tag[];
  /** The document of `v1`, the default version. */
  readonly document: string;
  readonly createdAt: number;
}

/** What CreatePolicyVersion stores. */
export interface NewPolicyVersion {
  readonly document: string;
  readonly setAsDefault: boolean;
  readonly createdAt: number;
}

/** A user or role a managed policy is attached to (ListEntitiesForPolicy). */
export interface PolicyEntity {
  readonly type: 'role' | 'user';
  /** The entity's current name. */
  readonly name: string;
  /** `AROA...` or `AIDA...` */
  readonly id: string;
}

/** ListPolicies' filters (customer managed policies of the account only: `Scope=Local`). */
export interface ListManagedPoliciesRequest extends PathPageRequest {
  /** ListPolicies' `OnlyAttached`. */
  readonly onlyAttached?: boolean;
}

/** ListEntitiesForPolicy's filters. */
export interface ListPolicyEntitiesRequest extends PageRequest {
  /** ListEntitiesForPolicy's `EntityFilter`, narrowed to what this store holds. */
  readonly entityType?: 'role' | 'user';
}

/**
 * Customer managed policies and their versions, addressed by account and ARN. Lists are in name order,
 * ignoring case. IAM's limit of five versions per policy is the caller's rule (count `listVersions`
 * inside a transaction); the store makes each version change atomic, so exactly one version is the
 * default at every moment.
 */
export interface ManagedPolicyStore {
  /** Creates the policy with `v1` as its default. Fails `notFound` (`account`) or `alreadyExists`. */
  create(policy: NewManagedPolicy): Promise<ManagedPolicy>;
  get(accountId: string, arn: string): Promise<ManagedPolicy | undefined>;
  list(accountId: string, options?: ListManagedPoliciesRequest): Promise<Page<ManagedPolicy>>;
  /** TagPolicy / UntagPolicy: the whole new tag list. Fails `notFound`. */
  setTags(accountId: string, arn: string, tags: readonly Tag[]): Promise<ManagedPolicy>;
  /**
   * Fails `notFound`, or `deleteConflict` with reason `attachments` while it is attached, or
   * `policyVersions` while versions other than the default remain (IAM's DeletePolicy order).
   */
  delete(accountId: string, arn: string): Promise<void>;
  /** The next version (`v` + one more than any version so far). Fails `notFound` (`managedPolicy`). */
  createVersion(accountId: string, arn: string, version: NewPolicyVersion): Promise<PolicyVersion>;
  getVersion(accountId: string, arn: string, versionId: string): Promise<PolicyVersion | undefined>;
  /** Newest first (at most five in IAM). Fails `notFound` (`managedPolicy`). */
  listVersions(accountId: string, arn: string): Promise<readonly PolicyVersion[]>;
  /** One atomic switch of the default. Fails `notFound` (`managedPolicy`, `policyVersion`). */
  setDefaultVersion(accountId: string, arn: string, versionId: string): Promise<void>;
  /** Fails `notFound`, or `deleteConflict` (reason `defaultVersion`) for the default version. */
  deleteVersion(accountId: string, arn: string, versionId: string): Promise<void>;
  /**
   * Roles first, then users, each in id order (ids never change, so the order is stable across renames
   * and a page costs O(page) on the attachment index). Fails `notFound` (`managedPolicy`).
   */
  listEntities(
    accountId: string,
    arn: string,
    options?: ListPolicyEntitiesRequest,
  ): Promise<Page<PolicyEntity>>;
}
