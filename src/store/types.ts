import type { AccessKeyStore } from './access-keys.js';
import type { AccountStore } from './accounts.js';
import type { BucketStore } from './buckets.js';
import type { ManagedPolicyStore } from './managed-policies.js';
import type { ManifestObjectStore } from './manifest-objects.js';
import type { ObjectStore } from './objects.js';
import type { OidcProviderStore } from './oidc-providers.js';
import type { RoleStore } from './roles.js';
import type { SealingKeyStore } from './sealing-keys.js';
import type { ServiceAccountStore } from './service-accounts.js';
import type { SigningKeyStore } from './signing-keys.js';
import type { UploadStore } from './uploads.js';
import type { UserStore } from './users.js';

/**
 * The persistence layer of the control plane. Every method is async so that a networked database
 * (PostgreSQL) implements the same interfaces as the embedded one (SQLite).
 *
 * Conventions shared by every aggregate:
 * - IAM entities are keyed by account id first; names of users, roles, managed policies and inline
 *   policies are unique per account (per holder for inline policies) ignoring ASCII case, as IAM's are,
 *   and keep the case they were created with. Server-wide records (signing keys, sealing keys, service
 *   accounts) have no account.
 * - The store persists what the caller decided: ids (`AIDA...`, `AROA...`), ARNs and timestamps come in
 *   with the record. Timestamps are integer milliseconds since the Unix epoch (the injected `Clock`).
 * - Getters return `undefined` for a missing entity; writes fail with a `StoreError` (see errors.ts).
 * - Lists return a stable order and page the IAM way (`marker` + `maxItems`); each page costs
 *   O(page) on an index. Orders compare keys as binary strings (code units: SQLite's BINARY collation;
 *   PostgreSQL's key columns need `COLLATE "C"` to agree).
 */
export interface StoreScope {
  readonly accounts: AccountStore;
  readonly accessKeys: AccessKeyStore;
  readonly users: UserStore;
  readonly roles: RoleStore;
  readonly managedPolicies: ManagedPolicyStore;
  readonly oidcProviders: OidcProviderStore;
  readonly signingKeys: SigningKeyStore;
  readonly sealingKeys: SealingKeyStore;
  readonly serviceAccounts: ServiceAccountStore;
  /** Which objects manifests created (for `apply --prune`). */
  readonly manifestObjects: ManifestObjectStore;
  readonly buckets: BucketStore;
  readonly objects: ObjectStore;
  /** S3 multipart uploads in progress and their parts. */
  readonly uploads: UploadStore;
  /**
   * The server calls it as each request arrives, before the request reads anything: a store that other
   * processes write to as well may wait for such a mark before it looks for their commits again
   * (SQLite's `checkOthersPerRequest`). Optional; a store that always reads fresh has no need of it.
   */
  readonly requestArrived?: () => void;
  /**
   * Runs `fn` all-or-nothing: its writes commit when the promise it returns resolves, and roll back when
   * it rejects (the rejection is passed on). A `transaction` called inside `fn` — on `tx` or on the store
   * itself, from `fn`'s async context — joins the outer one; if such a nested call fails, the outer
   * transaction rolls back too, with the nested error, even when `fn` caught it.
   *
   * INVARIANT: while `fn` runs, calls made from other async contexts wait for it to finish (SQLite) or
   * run outside it (PostgreSQL); either way they never see its uncommitted writes. Each single method
   * call is atomic on its own, with or without a transaction.
   */
  transaction<T>(fn: (tx: StoreScope) => Promise<T>): Promise<T>;
  /**
   * As `transaction`, for a batch whose callers all wait for it (S3's group commit): it resolves only
   * once the commit is as durable as `transaction`'s, but the backend may make it durable off the event
   * loop (SQLite: the WAL's fsync), so other requests run meanwhile — and may already see its writes.
   * When the commit took effect but could not be made durable, it rejects with `UnsyncedCommitError`
   * (errors.ts): the writes stay, and no caller may report success. A backend without such a step
   * (PostgreSQL) implements it as `transaction`.
   */
  transactionSyncedLater<T>(fn: (tx: StoreScope) => Promise<T>): Promise<T>;
}

/** A store as the server owns it: the scope, and the end of its life. */
export interface Store extends StoreScope {
  /** Waits for an open transaction, then releases the database. Idempotent. */
  close(): Promise<void>;
}

/**
 * One page of a list, in IAM's paging style: `marker` is present exactly when more items follow (IAM's
 * `IsTruncated`), and is passed back as `PageRequest.marker` to get them. Markers are opaque.
 */
export interface Page<T> {
  readonly items: readonly T[];
  readonly marker?: string;
}

/** IAM's `Marker` and `MaxItems`. */
export interface PageRequest {
  /** The `marker` of the previous page. */
  readonly marker?: string;
  /** At least 1; IAM's default of 100 when absent. The caller enforces IAM's upper bound (1000). */
  readonly maxItems?: number;
}

/** IAM's `PathPrefix` filter of ListUsers, ListRoles and ListPolicies (`/` matches everything). */
export interface PathPageRequest extends PageRequest {
  readonly pathPrefix?: string;
}

/** An IAM tag. The list keeps the caller's order; the IAM layer owns tag-key rules and merging. */
export interface Tag {
  readonly key: string;
  readonly value: string;
}
