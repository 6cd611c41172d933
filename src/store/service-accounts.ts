import type { Page, PageRequest } from './types.js';

/** A Kubernetes ServiceAccount known from manifests (server-wide: the issuer serves one cluster). */
export interface ServiceAccount {
  readonly namespace: string;
  readonly name: string;
  /** The `kubernetes.io/serviceaccount/service-account.uid` claim: fixed when first stored. */
  readonly uid: string;
  /** `eks.amazonaws.com/role-arn` and the other webhook annotations. */
  readonly annotations: Readonly<Record<string, string>>;
  readonly createdAt: number;
  readonly updatedAt: number;
}

/** A service account as a manifest declares it. */
export interface ServiceAccountInput {
  readonly namespace: string;
  readonly name: string;
  readonly annotations: Readonly<Record<string, string>>;
  /** Used only when the service account is new; an existing one keeps its uid. */
  readonly uid: string;
  /** `createdAt` when new, `updatedAt` always. */
  readonly at: number;
}

/** Paging, within one namespace when `namespace` is given. */
export interface ListServiceAccountsRequest extends PageRequest {
  readonly namespace?: string;
}

/** Service accounts, keyed by namespace and name (both case-sensitive, as Kubernetes names are). */
export interface ServiceAccountStore {
  /**
   * Creates or updates (applying a manifest is idempotent): annotations are replaced whole, the uid
   * and `createdAt` of an existing service account stay. Fails `alreadyExists` only when a new service
   * account's `uid` is another's.
   */
  upsert(input: ServiceAccountInput): Promise<ServiceAccount>;
  get(namespace: string, name: string): Promise<ServiceAccount | undefined>;
  /** In namespace, then name order. */
  list(options?: ListServiceAccountsRequest): Promise<Page<ServiceAccount>>;
  /** Fails `notFound`. */
  delete(namespace: string, name: string): Promise<void>;
}
