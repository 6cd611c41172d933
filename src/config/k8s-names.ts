/** Names, ports, paths and shared shapes of the openirsa install that `k8s manifests` prints. */

/** One Kubernetes object; the fields beyond the type meta stay plain data. */
export interface K8sObject {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata: { readonly name: string; readonly namespace?: string; readonly [k: string]: unknown };
  readonly [field: string]: unknown;
}

/** An object to print, with the YAML comment printed above it (lines without the leading `#`). */
export interface GeneratedDocument {
  readonly comment?: string;
  readonly object: K8sObject;
}

export interface ClusterOptions {
  readonly namespace: string;
  readonly image: string;
  readonly replicas: number;
  /** The cluster's own service-account issuer (`kube-apiserver --service-account-issuer`), https. */
  readonly issuer?: string;
  /** PEM of the CA that signed the webhook's certificate: the webhook configuration's `caBundle`. */
  readonly caBundlePem?: string;
  /** The webhook's certificate and key, PEM; without them the output says how to create the Secret. */
  readonly tls?: { readonly certPem: string; readonly keyPem: string };
}

export const APP_NAME = 'openirsa';
export const WEBHOOK_SERVICE = 'openirsa-webhook';
export const WEBHOOK_TLS_SECRET = 'openirsa-webhook-tls';
export const MANIFESTS_CONFIG_MAP = 'openirsa-manifests';
export const DATA_CLAIM = 'openirsa-data';
/** The port of STS, IAM and S3 (DESIGN.md "Contracts": `openirsa up --port 4566`). */
export const AWS_PORT = 4566;
/**
 * The webhook's container port. Not 443: binding a port below 1024 needs root or NET_BIND_SERVICE, and
 * the pod runs as a non-root user with every capability dropped. Its Service maps 443 to it.
 */
export const WEBHOOK_CONTAINER_PORT = 8443;
/** The label the upstream webhook configuration's objectSelector keys on (irsa-wire.md §2.3). */
export const SKIP_WEBHOOK_LABEL = 'eks.amazonaws.com/skip-pod-identity-webhook';
/** The audience IRSA tokens carry, and so the OIDC provider's client id (irsa-wire.md §2.2, §4.1). */
export const STS_AUDIENCE = 'sts.amazonaws.com';

export const DATA_MOUNT = '/var/lib/openirsa';
/** A directory below the mount point, so that `openirsa up` creates it itself, mode 0700. */
export const DATA_DIR = `${DATA_MOUNT}/data`;
export const TLS_MOUNT = '/etc/openirsa/webhook-tls';
export const MANIFESTS_MOUNT = '/etc/openirsa/manifests';
export const ISSUER_MANIFEST = 'cluster-issuer.yaml';
/** The cluster CA every pod gets with its service-account token: it signs the API server's https. */
export const CLUSTER_CA_FILE = '/var/run/secrets/kubernetes.io/serviceaccount/ca.crt';
/** A user id outside the host's usual range, as distroless images use for `nonroot`. */
export const RUN_AS = 65532;

/** The labels that select openirsa's pods; the Deployment and both Services use exactly these. */
export function selectorLabels(): Record<string, string> {
  return { 'app.kubernetes.io/name': APP_NAME, 'app.kubernetes.io/instance': APP_NAME };
}

/**
 * The DNS names the webhook's certificate must carry: the API server calls
 * `https://openirsa-webhook.NAMESPACE.svc:443/mutate`. A certificate minted for the webhook (by
 * `src/server/local-ca.ts`, or by hand) needs these subject alternative names.
 */
export function webhookDnsNames(namespace: string): string[] {
  const base = `${WEBHOOK_SERVICE}.${namespace}`;
  return [WEBHOOK_SERVICE, base, `${base}.svc`, `${base}.svc.cluster.local`];
}

/**
 * openirsa's STS, IAM and S3 as pods reach it: its Service, by the name every pod resolves (the
 * `.svc` form goes through the pod's DNS search list, so it holds whatever the cluster domain is).
 * The webhook injects it as `AWS_ENDPOINT_URL*` (`openirsa webhook --aws-endpoint-url`).
 */
export function awsEndpointUrl(namespace: string): string {
  return `http://${APP_NAME}.${namespace}.svc:${AWS_PORT}`;
}

/** Cluster-scoped names carry the namespace, so two installs never collide. */
export function clusterScopedName(namespace: string, what: string): string {
  return `openirsa-${namespace}-${what}`;
}

export function labels(component: string): Record<string, string> {
  return { ...selectorLabels(), 'app.kubernetes.io/component': component };
}

export function meta(o: ClusterOptions, name: string, component: string) {
  return { name, namespace: o.namespace, labels: labels(component) };
}
