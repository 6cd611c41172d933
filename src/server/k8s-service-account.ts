/**
 * A ServiceAccount as the Kubernetes API sends it, reduced to what the pod-identity webhook reads: its
 * name, namespace, resourceVersion and the annotations under the webhook's prefix. amazon-eks-pod-
 * identity-webhook strips its informer's objects the same way (main.go `stripDownServiceAccount`), so
 * the cache holds little per service account however large the objects are (secrets, managedFields).
 * Anything that is not a well-formed ServiceAccount is dropped (`undefined`), never half-read.
 */
import { isJsonObject } from '../shared/json.js';

/** The reduced object: a `KubernetesObject` for the client library's cache. */
export interface CachedServiceAccount {
  readonly apiVersion: 'v1';
  readonly kind: 'ServiceAccount';
  readonly metadata: {
    readonly name: string;
    readonly namespace: string;
    readonly resourceVersion?: string;
    readonly annotations: Readonly<Record<string, string>>;
  };
}

/** A DNS-1123 label (a namespace name), at most 63 characters. */
const NAMESPACE = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;
/** A DNS-1123 subdomain (a service account name), at most 253 characters. */
const NAME = /^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$/;
/** resourceVersion is opaque; the API server's are decimal strings. Bounded so a cache key stays small. */
const MAX_RESOURCE_VERSION_LENGTH = 64;

/** Whether `namespace/name` can name a service account (so a lookup never builds an odd API path). */
export function isServiceAccountKey(namespace: string, name: string): boolean {
  return NAMESPACE.test(namespace) && NAME.test(name);
}

/**
 * The reduced service account, or `undefined` for anything else: an object with
 * `metadata.name`/`metadata.namespace` that are Kubernetes names; a non-string annotation value drops
 * the object (the API server sends none), an annotation outside `prefix/` is left out.
 */
export function reduceServiceAccount(value: unknown, prefix: string): CachedServiceAccount | undefined {
  if (!isJsonObject(value) || !isJsonObject(value.metadata)) return undefined;
  const { name, namespace, resourceVersion, annotations } = value.metadata;
  if (typeof name !== 'string' || typeof namespace !== 'string') return undefined;
  if (!isServiceAccountKey(namespace, name)) return undefined;
  if (value.kind !== undefined && value.kind !== 'ServiceAccount') return undefined;
  const kept: Record<string, string> = {};
  if (annotations !== undefined && annotations !== null) {
    if (!isJsonObject(annotations)) return undefined;
    for (const [key, v] of Object.entries(annotations)) {
      if (typeof v !== 'string') return undefined;
      if (key.startsWith(`${prefix}/`)) kept[key] = v;
    }
  }
  const version =
    typeof resourceVersion === 'string' && resourceVersion.length <= MAX_RESOURCE_VERSION_LENGTH
      ? resourceVersion
      : undefined;
  return {
    apiVersion: 'v1',
    kind: 'ServiceAccount',
    metadata: {
      name,
      namespace,
      ...(version !== undefined ? { resourceVersion: version } : {}),
      annotations: kept,
    },
  };
}
