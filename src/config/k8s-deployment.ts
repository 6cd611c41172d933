import {
  APP_NAME,
  AWS_PORT,
  awsEndpointUrl,
  CLUSTER_CA_FILE,
  DATA_CLAIM,
  DATA_DIR,
  DATA_MOUNT,
  ISSUER_MANIFEST,
  labels,
  MANIFESTS_CONFIG_MAP,
  MANIFESTS_MOUNT,
  meta,
  RUN_AS,
  selectorLabels,
  SKIP_WEBHOOK_LABEL,
  TLS_MOUNT,
  WEBHOOK_CONTAINER_PORT,
  WEBHOOK_TLS_SECRET,
  type ClusterOptions,
  type K8sObject,
} from './k8s-names.js';

/**
 * The Deployment: one pod, `openirsa up` (with the data directory) and `openirsa webhook` (service
 * accounts from the API server) side by side, non-root, read-only root file system, no capabilities.
 */

function upArgs(o: ClusterOptions): string[] {
  const args = ['up', '--host', '0.0.0.0', '--port', String(AWS_PORT), '--data', DATA_DIR];
  if (o.issuer !== undefined) {
    // The file itself, not the directory: a ConfigMap volume also holds `..data` and a timestamped
    // directory with the same files, which a recursive read would apply twice.
    args.push('-f', `${MANIFESTS_MOUNT}/${ISSUER_MANIFEST}`, '--oidc-ca-file', CLUSTER_CA_FILE);
  }
  return args;
}

/**
 * No `--data`: inside the pod the webhook reads service accounts from the API server (in-cluster
 * config; the RBAC grants get, list, watch), so a workload's ServiceAccount needs applying to the
 * cluster only. `--aws-endpoint-url`: without it mutated pods would call real AWS with the cluster's
 * tokens, which AWS's STS does not trust.
 */
function webhookArgs(o: ClusterOptions): string[] {
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
    '--aws-endpoint-url',
    awsEndpointUrl(o.namespace),
  ];
}

const containerSecurity = {
  runAsNonRoot: true,
  allowPrivilegeEscalation: false,
  readOnlyRootFilesystem: true,
  capabilities: { drop: ['ALL'] },
};

interface Probe {
  readonly path: string;
  readonly port: string;
  readonly scheme: 'HTTP' | 'HTTPS';
}

interface ContainerPort {
  readonly name: string;
  readonly containerPort: number;
  readonly probe: Probe;
  /** The liveness probe, when it is not the readiness one. */
  readonly liveness?: Probe;
  /** Whether the container mounts the data directory. */
  readonly data: boolean;
}

function container(o: ClusterOptions, name: string, args: string[], port: ContainerPort) {
  const probe = port.probe;
  const mounts: Record<string, unknown>[] = [
    ...(port.data ? [{ name: 'data', mountPath: DATA_MOUNT }] : []),
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
    livenessProbe: {
      httpGet: port.liveness ?? probe,
      initialDelaySeconds: 10,
      periodSeconds: 20,
      failureThreshold: 3,
    },
    resources: { requests: { cpu: '50m', memory: '64Mi' }, limits: { memory: '512Mi' } },
    securityContext: containerSecurity,
    volumeMounts: mounts,
  };
}

export function deployment(o: ClusterOptions): K8sObject {
  const server = container(o, 'openirsa', upArgs(o), {
    name: 'aws',
    containerPort: AWS_PORT,
    probe: { path: '/_openirsa/health', port: 'aws', scheme: 'HTTP' },
    data: true,
  });
  const webhook = container(o, 'webhook', webhookArgs(o), {
    name: 'webhook',
    containerPort: WEBHOOK_CONTAINER_PORT,
    // Ready once the service accounts are listed; alive as long as it serves (a restart would not
    // make an unreachable API server list sooner).
    probe: { path: '/healthz', port: 'webhook', scheme: 'HTTPS' },
    liveness: { path: '/livez', port: 'webhook', scheme: 'HTTPS' },
    data: false,
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
