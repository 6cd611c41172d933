import type { Page, PageRequest } from './types.js';

/** An inline policy of a user or role: its name and its document as the caller stored it. */
export interface InlinePolicy {
  readonly name: string;
  readonly document: string;
}

/** A managed policy attached to a user or role (IAM's `AttachedPolicy`). */
export interface AttachedPolicy {
  readonly name: string;
  readonly arn: string;
}

/** The default version of an attached managed policy, ready to compile (cache it by arn + versionId). */
export interface AttachedPolicyDocument extends AttachedPolicy {
  readonly versionId: string;
  readonly document: string;
}

/** Every identity policy of a user or role, read in one snapshot: what authorization evaluates. */
export interface PolicyDocuments {
  /** In name order. */
  readonly inline: readonly InlinePolicy[];
  /** In policy-name order. */
  readonly attached: readonly AttachedPolicyDocument[];
}

/**
 * The identity policies of a policy holder (a user or a role), addressed by account and the holder's name
 * (any case). Inline policy names are unique per holder ignoring case, like entity names. Quotas (number
 * of attached policies, total inline size) are the caller's rule.
 */
export interface PolicyHolderStore {
  /** Creates or replaces (PutRolePolicy / PutUserPolicy). Fails `notFound` (the holder). */
  putPolicy(accountId: string, holderName: string, policy: InlinePolicy): Promise<void>;
  /** `undefined` when the holder or the policy is missing. */
  getPolicy(accountId: string, holderName: string, policyName: string): Promise<InlinePolicy | undefined>;
  /** In name order. Fails `notFound` (the holder). */
  listPolicies(accountId: string, holderName: string, page?: PageRequest): Promise<Page<InlinePolicy>>;
  /** Fails `notFound` (the holder, or `inlinePolicy`). */
  deletePolicy(accountId: string, holderName: string, policyName: string): Promise<void>;
  /**
   * Attaches a managed policy of the same account. Attaching it again changes nothing, as in IAM.
   * Fails `notFound` (the holder, or `managedPolicy`).
   */
  attachPolicy(accountId: string, holderName: string, policyArn: string): Promise<void>;
  /** Fails `notFound` (the holder, or `policyAttachment` when that policy is not attached). */
  detachPolicy(accountId: string, holderName: string, policyArn: string): Promise<void>;
  /** In policy-name order. Fails `notFound` (the holder). */
  listAttachedPolicies(
    accountId: string,
    holderName: string,
    page?: PageRequest,
  ): Promise<Page<AttachedPolicy>>;
  /** `undefined` when the holder is missing. */
  getPolicyDocuments(accountId: string, holderName: string): Promise<PolicyDocuments | undefined>;
}
