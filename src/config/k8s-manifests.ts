import { Document } from 'yaml';

/**
 * The Kubernetes objects that run openirsa inside a cluster, as plain data (the `openirsa k8s manifests`
 * command prints them). Pure: no I/O; certificates and keys arrive as PEM text, already checked.
 *
 * Decisions, each explained where it is made below:
 * - one pod with two containers: `openirsa up` (STS, IAM, S3 on 4566) and `openirsa webhook` (TLS on
 *   8443, exposed as port 443 by its own Service, as the API server calls a webhook on 443 by default);
 * - the data directory on a PersistentVolumeClaim shared by both containers, so S3 objects, IAM state
 *   and keys survive a restart; hence one replica and the `Recreate` strategy (SQLite is one writer);
 * - the MutatingWebhookConfiguration as amazon-eks-pod-identity-webhook's `deploy/mutatingwebhook.yaml`
 *   defines it (irsa-wire.md §2.5), speaking `v1`, and never sent openirsa's own pods.
 */

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

const DATA_MOUNT = '/var/lib/openirsa';
/** A directory below the mount point, so that `openirsa up` creates it itself, mode 0700. */
const DATA_DIR = `${DATA_MOUNT}/data`;
const TLS_MOUNT = '/etc/openirsa/webhook-tls';
const MANIFESTS_MOUNT = '/etc/openirsa/manifests';
const ISSUER_MANIFEST = 'cluster-issuer.yaml';
/** The cluster CA every pod gets with its service-account token: it signs the API server's https. */
const CLUSTER_CA_FILE = '/var/run/secrets/kubernetes.io/serviceaccount/ca.crt';
/** A user id outside the host's usual range, as distroless images use for `nonroot`. */
const RUN_AS = 65532;

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

/** Cluster-scoped names carry the namespace, so two installs never collide. */
export function clusterScopedName(namespace: string, what: string): string {
  return `openirsa-${namespace}-${what}`;
}

/** Every object, in the order `kubectl apply` should create them. */
export function clusterManifests(o: ClusterOptions): GeneratedDocument[] {
  const docs: GeneratedDocument[] = [
    { comment: headerComment(o), object: namespace(o) },
    { object: serviceAccount(o) },
    ...rbac(o),
  ];
  if (o.tls) docs.push({ object: tlsSecret(o, o.tls) });
  docs.push(o.tls ? { object: claim(o) } : { comment: missingSecretComment(o), object: claim(o) });
  if (o.issuer !== undefined)
    docs.push({ comment: issuerComment(o.issuer), object: issuerConfigMap(o, o.issuer) });
  docs.push({ object: deployment(o) }, ...services(o));
  docs.push({ comment: webhookComment(o), object: webhookConfiguration(o) });
  return docs;
}

/** Multi-document YAML; the `yaml` package quotes and escapes every string. */
export function renderManifests(docs: readonly GeneratedDocument[]): string {
  return docs
    .map((d) => {
      // No anchors and aliases for objects used twice (a probe, a security context): plainer to read.
      const doc = new Document(d.object, { aliasDuplicateObjects: false });
      if (d.comment !== undefined) doc.commentBefore = prefixLines(d.comment);
      return doc.toString({ lineWidth: 0 });
    })
    .join('---\n');
}

/** The ACK document that makes openirsa's STS trust the cluster's issuer (read by config/manifests.ts). */
export function issuerProviderManifest(issuer: string): K8sObject {
  return {
    apiVersion: 'iam.services.k8s.aws/v1alpha1',
    kind: 'OpenIDConnectProvider',
    metadata: { name: 'cluster-issuer' },
    spec: { url: issuer, clientIDs: [STS_AUDIENCE] },
  };
}

function prefixLines(text: string): string {
  // The yaml package writes each line of commentBefore after a `#`; a leading space reads better.
  return text
    .split('\n')
    .map((l) => (l === '' ? '' : ` ${l}`))
    .join('\n');
}

function labels(component: string): Record<string, string> {
  return { ...selectorLabels(), 'app.kubernetes.io/component': component };
}

function meta(o: ClusterOptions, name: string, component: string) {
  return { name, namespace: o.namespace, labels: labels(component) };
}

function namespace(o: ClusterOptions): K8sObject {
  return {
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: { name: o.namespace, labels: labels('namespace') },
  };
}

function serviceAccount(o: ClusterOptions): K8sObject {
  return { apiVersion: 'v1', kind: 'ServiceAccount', metadata: meta(o, APP_NAME, 'server') };
}

/** Read access to service accounts, and nothing more: what the webhook needs to find role annotations. */
function rbac(o: ClusterOptions): GeneratedDocument[] {
  const name = clusterScopedName(o.namespace, 'serviceaccount-reader');
  const metadata = { name, labels: labels('rbac') };
  return [
    {
      object: {
        apiVersion: 'rbac.authorization.k8s.io/v1',
        kind: 'ClusterRole',
        metadata,
        rules: [{ apiGroups: [''], resources: ['serviceaccounts'], verbs: ['get', 'list', 'watch'] }],
      },
    },
    {
      object: {
        apiVersion: 'rbac.authorization.k8s.io/v1',
        kind: 'ClusterRoleBinding',
        metadata,
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name },
        subjects: [{ kind: 'ServiceAccount', name: APP_NAME, namespace: o.namespace }],
      },
    },
  ];
}

function tlsSecret(o: ClusterOptions, tls: { certPem: string; keyPem: string }): K8sObject {
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: meta(o, WEBHOOK_TLS_SECRET, 'webhook'),
    type: 'kubernetes.io/tls',
    data: {
      'tls.crt': Buffer.from(tls.certPem, 'utf8').toString('base64'),
      'tls.key': Buffer.from(tls.keyPem, 'utf8').toString('base64'),
    },
  };
}

function claim(o: ClusterOptions): K8sObject {
  return {
    apiVersion: 'v1',
    kind: 'PersistentVolumeClaim',
    metadata: meta(o, DATA_CLAIM, 'server'),
    spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } },
  };
}

function issuerConfigMap(o: ClusterOptions, issuer: string): K8sObject {
  return {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: meta(o, MANIFESTS_CONFIG_MAP, 'server'),
    data: { [ISSUER_MANIFEST]: renderManifests([{ object: issuerProviderManifest(issuer) }]) },
  };
}

function upArgs(o: ClusterOptions): string[] {
  const args = ['up', '--host', '0.0.0.0', '--port', String(AWS_PORT), '--data', DATA_DIR];
  if (o.issuer !== undefined) {
    // The file itself, not the directory: a ConfigMap volume also holds `..data` and a timestamped
    // directory with the same files, which a recursive read would apply twice.
    args.push('-f', `${MANIFESTS_MOUNT}/${ISSUER_MANIFEST}`, '--oidc-ca-file', CLUSTER_CA_FILE);
  }
  return args;
}

function webhookArgs(): string[] {
  return [
    'webhook',
    '--tls-cert',
    `${TLS_MOUNT}/tls.crt`,
    '--tls-key',
    `${TLS_MOUNT}/tls.key`,
    '--host',
    '0.0.0.0',
    '--port',
    String(WEBHOOK_CONTAINER_PORT),
    '--data',
    DATA_DIR,
  ];
}

const containerSecurity = {
  runAsNonRoot: true,
  allowPrivilegeEscalation: false,
  readOnlyRootFilesystem: true,
  capabilities: { drop: ['ALL'] },
};

interface ContainerPort {
  readonly name: string;
  readonly containerPort: number;
  readonly probe: { readonly path: string; readonly port: string; readonly scheme: 'HTTP' | 'HTTPS' };
}

function container(o: ClusterOptions, name: string, args: string[], port: ContainerPort) {
  const probe = port.probe;
  const mounts: Record<string, unknown>[] = [
    { name: 'data', mountPath: DATA_MOUNT },
    { name: 'tmp', mountPath: '/tmp' },
  ];
  return {
    name,
    image: o.image,
    imagePullPolicy: 'IfNotPresent',
    command: ['openirsa'],
    args,
    ports: [{ name: port.name, containerPort: port.containerPort, protocol: 'TCP' }],
    readinessProbe: { httpGet: probe, periodSeconds: 5, failureThreshold: 3 },
    livenessProbe: { httpGet: probe, initialDelaySeconds: 10, periodSeconds: 20, failureThreshold: 3 },
    resources: { requests: { cpu: '50m', memory: '64Mi' }, limits: { memory: '512Mi' } },
    securityContext: containerSecurity,
    volumeMounts: mounts,
  };
}

function deployment(o: ClusterOptions): K8sObject {
  const server = container(o, 'openirsa', upArgs(o), {
    name: 'aws',
    containerPort: AWS_PORT,
    probe: { path: '/_openirsa/health', port: 'aws', scheme: 'HTTP' },
  });
  const webhook = container(o, 'webhook', webhookArgs(), {
    name: 'webhook',
    containerPort: WEBHOOK_CONTAINER_PORT,
    probe: { path: '/healthz', port: 'webhook', scheme: 'HTTPS' },
  });
  webhook.volumeMounts.push({ name: 'webhook-tls', mountPath: TLS_MOUNT, readOnly: true });
  const volumes: Record<string, unknown>[] = [
    { name: 'data', persistentVolumeClaim: { claimName: DATA_CLAIM } },
    { name: 'tmp', emptyDir: { sizeLimit: '64Mi' } },
    // 0440: readable by the pod's fsGroup, which the non-root user belongs to.
    { name: 'webhook-tls', secret: { secretName: WEBHOOK_TLS_SECRET, defaultMode: 0o440 } },
  ];
  if (o.issuer !== undefined) {
    server.volumeMounts.push({ name: 'manifests', mountPath: MANIFESTS_MOUNT, readOnly: true });
    volumes.push({
      name: 'manifests',
      configMap: { name: MANIFESTS_CONFIG_MAP, items: [{ key: ISSUER_MANIFEST, path: ISSUER_MANIFEST }] },
    });
  }
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: meta(o, APP_NAME, 'server'),
    spec: {
      replicas: o.replicas,
      // The claim is ReadWriteOnce and SQLite has one writer: the old pod goes before the new one starts.
      strategy: { type: 'Recreate' },
      selector: { matchLabels: selectorLabels() },
      template: {
        // The skip label keeps openirsa's own pods away from its webhook even if the objectSelector
        // below is edited: a webhook that mutates its own pods can block its own start.
        metadata: { labels: { ...labels('server'), [SKIP_WEBHOOK_LABEL]: 'true' } },
        spec: {
          serviceAccountName: APP_NAME,
          securityContext: {
            runAsNonRoot: true,
            runAsUser: RUN_AS,
            runAsGroup: RUN_AS,
            fsGroup: RUN_AS,
            seccompProfile: { type: 'RuntimeDefault' },
          },
          containers: [server, webhook],
          volumes,
        },
      },
    },
  };
}

function services(o: ClusterOptions): GeneratedDocument[] {
  const service = (name: string, port: number, target: string, portName: string): K8sObject => ({
    apiVersion: 'v1',
    kind: 'Service',
    metadata: meta(o, name, name === APP_NAME ? 'server' : 'webhook'),
    spec: {
      type: 'ClusterIP',
      selector: selectorLabels(),
      ports: [{ name: portName, port, targetPort: target, protocol: 'TCP' }],
    },
  });
  return [
    {
      comment: `STS, IAM and S3 for pods: http://${APP_NAME}.${o.namespace}.svc:${AWS_PORT}`,
      object: service(APP_NAME, AWS_PORT, 'aws', 'aws'),
    },
    { object: service(WEBHOOK_SERVICE, 443, 'webhook', 'https') },
  ];
}

function webhookConfiguration(o: ClusterOptions): K8sObject {
  const clientConfig: Record<string, unknown> = {
    service: { name: WEBHOOK_SERVICE, namespace: o.namespace, path: '/mutate', port: 443 },
  };
  if (o.caBundlePem !== undefined)
    clientConfig.caBundle = Buffer.from(o.caBundlePem, 'utf8').toString('base64');
  return {
    apiVersion: 'admissionregistration.k8s.io/v1',
    kind: 'MutatingWebhookConfiguration',
    metadata: { name: clusterScopedName(o.namespace, 'pod-identity-webhook'), labels: labels('webhook') },
    webhooks: [
      {
        name: 'pod-identity-webhook.openirsa.io',
        clientConfig,
        rules: [{ operations: ['CREATE'], apiGroups: [''], apiVersions: ['v1'], resources: ['pods'] }],
        // Upstream's default: a webhook that is down admits pods unmutated rather than blocking them.
        failurePolicy: 'Ignore',
        // The mutation is idempotent (it leaves variables and volumes that are already there), so it
        // can safely run again after a later webhook added containers, which then get the variables too.
        reinvocationPolicy: 'IfNeeded',
        sideEffects: 'None',
        admissionReviewVersions: ['v1'],
        timeoutSeconds: 10,
        objectSelector: {
          matchExpressions: [
            { key: SKIP_WEBHOOK_LABEL, operator: 'DoesNotExist' },
            { key: 'app.kubernetes.io/name', operator: 'NotIn', values: [APP_NAME] },
          ],
        },
        namespaceSelector: {
          matchExpressions: [
            { key: 'kubernetes.io/metadata.name', operator: 'NotIn', values: [o.namespace] },
          ],
        },
      },
    ],
  };
}

function headerComment(o: ClusterOptions): string {
  return [
    'openirsa in a Kubernetes cluster, printed by `openirsa k8s manifests`.',
    `Namespace ${o.namespace}; apply with: kubectl apply -f FILE`,
    `STS/IAM/S3: http://${APP_NAME}.${o.namespace}.svc:${AWS_PORT}; the pod-identity webhook: https://${WEBHOOK_SERVICE}.${o.namespace}.svc/mutate`,
    'Both run in one pod and share the data directory on the PersistentVolumeClaim below.',
  ].join('\n');
}

function missingSecretComment(o: ClusterOptions): string {
  const names = webhookDnsNames(o.namespace);
  return [
    `No --tls-cert/--tls-key were given, so the Secret ${WEBHOOK_TLS_SECRET} is not printed; the pod`,
    'waits for it. Create it from a certificate whose subject alternative names are',
    `${names.join(', ')}:`,
    `  kubectl -n ${o.namespace} create secret tls ${WEBHOOK_TLS_SECRET} --cert=tls.crt --key=tls.key`,
    'and print these manifests again with --ca-bundle CA.pem (the CA that signed it), e.g. with openssl:',
    `  openssl req -x509 -newkey rsa:2048 -nodes -days 365 -keyout tls.key -out tls.crt \\`,
    `    -subj "/CN=${names[2] ?? ''}" -addext "subjectAltName=${names.map((n) => `DNS:${n}`).join(',')}"`,
    '  (a self-signed certificate is its own CA: --ca-bundle tls.crt)',
  ].join('\n');
}

function issuerComment(issuer: string): string {
  return [
    `openirsa's STS trusts the cluster's service-account issuer ${issuer}:`,
    `the ACK OpenIDConnectProvider below (client id ${STS_AUDIENCE}) is applied at start; STS reads the`,
    "issuer's discovery document and",
    'JWKS over https, trusting the cluster CA. kube-apiserver serves them to authenticated callers only',
    'unless system:service-account-issuer-discovery is bound to system:unauthenticated.',
  ].join('\n');
}

function webhookComment(o: ClusterOptions): string {
  const lines = [
    'The pod-identity webhook, as amazon-eks-pod-identity-webhook deploys it; pods labelled',
    `${SKIP_WEBHOOK_LABEL}, and openirsa's own pods, are not sent to it.`,
  ];
  if (o.caBundlePem === undefined) {
    lines.push(
      'No --ca-bundle was given, so clientConfig has no caBundle and the API server cannot verify the',
      'webhook: every call fails and pods are admitted unmutated (failurePolicy Ignore).',
    );
  }
  return lines.join('\n');
}
