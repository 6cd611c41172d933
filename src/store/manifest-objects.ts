/**
 * Which objects manifests created, so that a later apply can delete the ones whose documents were
 * removed (`openirsa apply --prune`, `up --watch`). Objects created any other way (IAM calls, the
 * console) are never recorded here, and so never pruned.
 */

/** The kinds a manifest creates and a prune deletes. */
export type ManifestObjectKind = 'Role' | 'Policy' | 'OpenIDConnectProvider' | 'ServiceAccount';

/** One object a manifest created. */
export interface ManifestObject {
  readonly accountId: string;
  readonly kind: ManifestObjectKind;
  /**
   * What addresses the object in the store: the role name, the policy ARN, the provider ARN, or
   * `NAMESPACE/NAME` of a service account. Compared exactly.
   */
  readonly key: string;
  /** The manifest file that declares it (an absolute path, as `openirsa apply` sends it). */
  readonly source: string;
  readonly createdAt: number;
  readonly updatedAt: number;
}

export interface ManifestObjectInput {
  readonly accountId: string;
  readonly kind: ManifestObjectKind;
  readonly key: string;
  readonly source: string;
  /** `createdAt` when new, `updatedAt` always. */
  readonly at: number;
}

/** Records keyed by account, kind and key. */
export interface ManifestObjectStore {
  /** Records the object, or moves an existing record to `source` (its `createdAt` stays). */
  put(input: ManifestObjectInput): Promise<ManifestObject>;
  /**
   * Every record of the account, in kind then key order. Not paged: the records are bounded by the
   * objects manifests declared, which `apply` bounds by its request size.
   */
  list(accountId: string): Promise<readonly ManifestObject[]>;
  /** Fails `notFound` (`manifestObject`). */
  delete(accountId: string, kind: ManifestObjectKind, key: string): Promise<void>;
}
