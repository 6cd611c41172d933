import { Document } from 'yaml';
import {
  APP_NAME,
  AWS_PORT,
  clusterScopedName,
  DATA_CLAIM,
  ISSUER_MANIFEST,
  labels,
  MANIFESTS_CONFIG_MAP,
  meta,
  selectorLabels,
  SKIP_WEBHOOK_LABEL,
  STS_AUDIENCE,
  WEBHOOK_SERVICE,
  WEBHOOK_TLS_SECRET,
  type ClusterOptions,
  type GeneratedDocument,
  type K8sObject,
} from './k8s-names.js';
import { deployment } from './k8s-deployment.js';
import { headerComment, issuerComment, missingSecretComment, webhookComment } from './k8s-comments.js';

/**
 * The Kubernetes objects that run openirsa inside a cluster, as plain data (the `openirsa k8s manifests`
 * command prints them). Pure: no I/O; certificates and keys arrive as PEM text, already checked.
 *
 * Decisions, each explained where it is made (here and in k8s-deployment.ts):
 * - one pod with two containers: `openirsa up` (STS, IAM, S3 on 4566) and `openirsa webhook` (TLS on
 *   8443, exposed as port 443 by its own Service, as the API server calls a webhook on 443 by default);
 * - the data directory on a PersistentVolumeClaim, so S3 objects, IAM state and keys survive a
 *   restart; hence one replica and the `Recreate` strategy (SQLite is one writer); the webhook reads
 *   service accounts from the API server and points mutated pods at the `openirsa` Service;
 * - the MutatingWebhookConfiguration as amazon-eks-pod-identity-webhook's `deploy/mutatingwebhook.yaml`
 *   defines it (irsa-wire.md §2.5), speaking `v1`, and never sent openirsa's own pods.
 */

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
