import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseAllDocuments } from 'yaml';
import { clusterManifests, issuerProviderManifest, renderManifests } from './k8s-manifests.js';
import { SKIP_WEBHOOK_LABEL, webhookDnsNames, type ClusterOptions, type K8sObject } from './k8s-names.js';
import { parseManifestFile } from './manifests.js';

const BASE: ClusterOptions = { namespace: 'irsa', image: 'registry.test/openirsa:1', replicas: 1 };
const ISSUER = 'https://kubernetes.default.svc.cluster.local';

function objects(o: ClusterOptions = BASE): K8sObject[] {
  return clusterManifests(o).map((d) => d.object);
}

function only(list: K8sObject[], kind: string, name?: string): Record<string, unknown> {
  const found = list.filter((x) => x.kind === kind && (name === undefined || x.metadata.name === name));
  assert.equal(found.length, 1, `exactly one ${kind} ${name ?? ''}`);
  return found[0] as unknown as Record<string, unknown>;
}

/** Walks plain data by keys and indexes; fails the test on a missing step. */
function at(value: unknown, ...path: (string | number)[]): unknown {
  let v = value;
  for (const step of path) {
    assert.ok(v !== null && typeof v === 'object', `no ${String(step)} in ${JSON.stringify(v)}`);
    v = (v as Record<string | number, unknown>)[step];
  }
  return v;
}

test('the objects come in creation order, every namespaced one in the chosen namespace', () => {
  const list = objects();
  assert.deepEqual(
    list.map((x) => x.kind),
    [
      'Namespace',
      'ServiceAccount',
      'ClusterRole',
      'ClusterRoleBinding',
      'PersistentVolumeClaim',
      'Deployment',
      'Service',
      'Service',
      'MutatingWebhookConfiguration',
    ],
  );
  const clusterScoped = new Set([
    'Namespace',
    'ClusterRole',
    'ClusterRoleBinding',
    'MutatingWebhookConfiguration',
  ]);
  for (const x of list) {
    if (clusterScoped.has(x.kind)) assert.equal(x.metadata.namespace, undefined, x.kind);
    else assert.equal(x.metadata.namespace, 'irsa', x.kind);
  }
});

test('RBAC grants get, list and watch on service accounts and nothing more', () => {
  const list = objects();
  const role = only(list, 'ClusterRole');
  assert.deepEqual(role.rules, [
    { apiGroups: [''], resources: ['serviceaccounts'], verbs: ['get', 'list', 'watch'] },
  ]);
  const binding = only(list, 'ClusterRoleBinding');
  assert.deepEqual(binding.roleRef, {
    apiGroup: 'rbac.authorization.k8s.io',
    kind: 'ClusterRole',
    name: at(role, 'metadata', 'name'),
  });
  assert.deepEqual(binding.subjects, [{ kind: 'ServiceAccount', name: 'openirsa', namespace: 'irsa' }]);
  assert.equal(
    at(
      list.find((x) => x.kind === 'Deployment'),
      'spec',
      'template',
      'spec',
      'serviceAccountName',
    ),
    'openirsa',
  );
});

test('the Deployment selector matches its pod labels, and both Services select exactly those labels', () => {
  const list = objects();
  const deployment = only(list, 'Deployment');
  const selector = at(deployment, 'spec', 'selector', 'matchLabels') as Record<string, string>;
  const podLabels = at(deployment, 'spec', 'template', 'metadata', 'labels') as Record<string, string>;
  for (const [k, v] of Object.entries(selector)) assert.equal(podLabels[k], v, k);
  for (const name of ['openirsa', 'openirsa-webhook']) {
    assert.deepEqual(at(only(list, 'Service', name), 'spec', 'selector'), selector, name);
  }
});

test('Service ports name container ports that exist; the webhook Service answers on 443', () => {
  const list = objects();
  const containers = at(only(list, 'Deployment'), 'spec', 'template', 'spec', 'containers') as unknown[];
  const portNames = containers.flatMap((c) => (at(c, 'ports') as unknown[]).map((p) => at(p, 'name')));
  assert.deepEqual(at(only(list, 'Service', 'openirsa'), 'spec', 'ports'), [
    { name: 'aws', port: 4566, targetPort: 'aws', protocol: 'TCP' },
  ]);
  const webhookPorts = at(only(list, 'Service', 'openirsa-webhook'), 'spec', 'ports');
  assert.deepEqual(webhookPorts, [{ name: 'https', port: 443, targetPort: 'webhook', protocol: 'TCP' }]);
  assert.ok(portNames.includes('aws') && portNames.includes('webhook'));
  const webhookContainer = containers.find((c) => at(c, 'name') === 'webhook');
  assert.equal(at(webhookContainer, 'ports', 0, 'containerPort'), 8443);
});

test('the pod runs non-root with a read-only root file system and no capabilities', () => {
  const pod = at(only(objects(), 'Deployment'), 'spec', 'template', 'spec');
  assert.equal(at(pod, 'securityContext', 'runAsNonRoot'), true);
  assert.notEqual(at(pod, 'securityContext', 'runAsUser'), 0);
  for (const c of at(pod, 'containers') as unknown[]) {
    assert.deepEqual(at(c, 'securityContext'), {
      runAsNonRoot: true,
      allowPrivilegeEscalation: false,
      readOnlyRootFilesystem: true,
      capabilities: { drop: ['ALL'] },
    });
  }
});

test('probes: /_openirsa/health over http for openirsa up, /healthz over https for the webhook', () => {
  const containers = at(only(objects(), 'Deployment'), 'spec', 'template', 'spec', 'containers') as unknown[];
  const [server, webhook] = containers;
  assert.deepEqual(at(server, 'readinessProbe', 'httpGet'), {
    path: '/_openirsa/health',
    port: 'aws',
    scheme: 'HTTP',
  });
  assert.deepEqual(at(server, 'livenessProbe', 'httpGet'), {
    path: '/_openirsa/health',
    port: 'aws',
    scheme: 'HTTP',
  });
  assert.deepEqual(at(webhook, 'readinessProbe', 'httpGet'), {
    path: '/healthz',
    port: 'webhook',
    scheme: 'HTTPS',
  });
  // Ready after the first list of service accounts; alive while it serves.
  assert.deepEqual(at(webhook, 'livenessProbe', 'httpGet'), {
    path: '/livez',
    port: 'webhook',
    scheme: 'HTTPS',
  });
  assert.deepEqual(at(server, 'args'), [
    'up',
    '--host',
    '0.0.0.0',
    '--port',
    '4566',
    '--data',
    '/var/lib/openirsa/data',
  ]);
  assert.deepEqual(at(webhook, 'args'), [
    'webhook',
    '--tls-cert',
    '/etc/openirsa/webhook-tls/tls.crt',
    '--tls-key',
    '/etc/openirsa/webhook-tls/tls.key',
    '--host',
    '0.0.0.0',
    '--port',
    '8443',
    '--aws-endpoint-url',
    'http://openirsa.irsa.svc:4566',
  ]);
});

test('the webhook reads service accounts from the API server: no data directory, the endpoint of openirsa', () => {
  const list = objects();
  const [server, webhook] = at(
    only(list, 'Deployment'),
    'spec',
    'template',
    'spec',
    'containers',
  ) as unknown[];
  const mounts = (c: unknown) => (at(c, 'volumeMounts') as unknown[]).map((m) => at(m, 'name'));
  assert.deepEqual(mounts(server), ['data', 'tmp']);
  assert.deepEqual(mounts(webhook), ['tmp', 'webhook-tls']);
  // The URL the webhook injects is the Service that serves STS, IAM and S3.
  const service = only(list, 'Service', 'openirsa');
  assert.deepEqual(at(service, 'spec', 'ports', 0, 'port'), 4566);
  const args = at(webhook, 'args') as string[];
  assert.equal(args[args.indexOf('--aws-endpoint-url') + 1], `http://openirsa.${BASE.namespace}.svc:4566`);
  assert.ok(!args.includes('--data') && !args.includes('--kubeconfig'), 'in-cluster config');
  const comment = renderManifests(clusterManifests(BASE));
  assert.match(comment, /reads service accounts and their eks.amazonaws.com\/role-arn from the API server/);
  assert.match(comment, /without them the\n# pods' AWS clients would call real AWS/);
});

test("the webhook configuration is upstream's: Ignore, CREATE pods, v1, sideEffects None, /mutate", () => {
  const config = only(objects(), 'MutatingWebhookConfiguration');
  const [hook, more] = at(config, 'webhooks') as unknown[];
  assert.equal(more, undefined);
  assert.equal(at(hook, 'failurePolicy'), 'Ignore');
  assert.equal(at(hook, 'sideEffects'), 'None');
  assert.equal(at(hook, 'reinvocationPolicy'), 'IfNeeded');
  assert.deepEqual(at(hook, 'admissionReviewVersions'), ['v1']);
  assert.deepEqual(at(hook, 'rules'), [
    { operations: ['CREATE'], apiGroups: [''], apiVersions: ['v1'], resources: ['pods'] },
  ]);
  assert.deepEqual(at(hook, 'clientConfig'), {
    service: { name: 'openirsa-webhook', namespace: 'irsa', path: '/mutate', port: 443 },
  });
});

test("the selectors keep openirsa's own pods and namespace away from its webhook", () => {
  const list = objects();
  const hook = at(only(list, 'MutatingWebhookConfiguration'), 'webhooks', 0);
  const podLabels = at(only(list, 'Deployment'), 'spec', 'template', 'metadata', 'labels') as Record<
    string,
    string
  >;
  const expressions = at(hook, 'objectSelector', 'matchExpressions') as {
    key: string;
    operator: string;
    values?: string[];
  }[];
  assert.deepEqual(expressions[0], { key: SKIP_WEBHOOK_LABEL, operator: 'DoesNotExist' });
  // Evaluate the selector against openirsa's own pod: some expression must exclude it.
  const matches = expressions.every((e) =>
    e.operator === 'DoesNotExist'
      ? !(e.key in podLabels)
      : e.operator === 'NotIn'
        ? !(e.values ?? []).includes(podLabels[e.key] ?? '')
        : assert.fail(`unexpected operator ${e.operator}`),
  );
  assert.equal(matches, false);
  assert.ok(SKIP_WEBHOOK_LABEL in podLabels);
  // A user's pod without labels is sent to the webhook.
  assert.ok(expressions.every((e) => e.operator === 'DoesNotExist' || e.operator === 'NotIn'));
  assert.deepEqual(at(hook, 'namespaceSelector'), {
    matchExpressions: [{ key: 'kubernetes.io/metadata.name', operator: 'NotIn', values: ['irsa'] }],
  });
});

test('caBundle is the PEM, base64 (std alphabet, padded)', () => {
  const pem = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n';
  const hook = at(
    only(objects({ ...BASE, caBundlePem: pem }), 'MutatingWebhookConfiguration'),
    'webhooks',
    0,
  );
  const bundle = at(hook, 'clientConfig', 'caBundle');
  assert.equal(typeof bundle, 'string');
  assert.match(bundle as string, /^[A-Za-z0-9+/]+={0,2}$/);
  assert.equal(Buffer.from(bundle as string, 'base64').toString('utf8'), pem);
});

test('with a key pair, a kubernetes.io/tls Secret holds both, base64; without, a comment says how to make it', () => {
  const tls = { certPem: 'CERT\n', keyPem: 'KEY\n' };
  const withTls = clusterManifests({ ...BASE, tls });
  const secret = only(
    withTls.map((d) => d.object),
    'Secret',
  );
  assert.equal(secret.type, 'kubernetes.io/tls');
  assert.deepEqual(secret.data, { 'tls.crt': 'Q0VSVAo=', 'tls.key': 'S0VZCg==' });
  const secretName = at(secret, 'metadata', 'name');
  const volumes = at(only(objects(), 'Deployment'), 'spec', 'template', 'spec', 'volumes') as unknown[];
  assert.ok(
    volumes.some((v) => at(v, 'name') === 'webhook-tls' && at(v, 'secret', 'secretName') === secretName),
  );

  const without = renderManifests(clusterManifests(BASE));
  assert.doesNotMatch(without, /kind: Secret/);
  assert.match(
    without,
    /# +kubectl -n irsa create secret tls openirsa-webhook-tls --cert=tls.crt --key=tls.key/,
  );
  for (const name of webhookDnsNames('irsa')) assert.ok(without.includes(`DNS:${name}`), name);
  assert.match(without, /No --ca-bundle was given/);
});

test('the webhook certificate names are the Service DNS names the API server dials', () => {
  assert.deepEqual(webhookDnsNames('irsa'), [
    'openirsa-webhook',
    'openirsa-webhook.irsa',
    'openirsa-webhook.irsa.svc',
    'openirsa-webhook.irsa.svc.cluster.local',
  ]);
});

test('without --issuer there is no ConfigMap and openirsa up gets no -f; with it, both', () => {
  assert.equal(objects().filter((x) => x.kind === 'ConfigMap').length, 0);
  const list = objects({ ...BASE, issuer: ISSUER });
  const configMap = only(list, 'ConfigMap');
  const file = at(configMap, 'data', 'cluster-issuer.yaml');
  assert.equal(typeof file, 'string');
  const server = at(only(list, 'Deployment'), 'spec', 'template', 'spec', 'containers', 0);
  const args = at(server, 'args') as string[];
  assert.deepEqual(args.slice(-4), [
    '-f',
    '/etc/openirsa/manifests/cluster-issuer.yaml',
    '--oidc-ca-file',
    '/var/run/secrets/kubernetes.io/serviceaccount/ca.crt',
  ]);
  // openirsa's own loader accepts the document, as an OIDC provider for the issuer with client id sts.amazonaws.com.
  const parsed = parseManifestFile(file as string, 'cluster-issuer.yaml');
  assert.deepEqual(parsed.problems, []);
  assert.deepEqual(
    parsed.manifests.map((m) => m.manifest),
    [
      {
        kind: 'OpenIDConnectProvider',
        url: ISSUER,
        clientIds: ['sts.amazonaws.com'],
        thumbprints: [],
        tags: {},
      },
    ],
  );
});

test('every string survives the YAML round trip: an issuer path with YAML-special characters', () => {
  const issuer = 'https://oidc.test/id/a:b\'c"d-[e]{f},&*!|>%@`';
  const docs = clusterManifests({ ...BASE, issuer });
  const text = renderManifests(docs);
  const parsed = parseAllDocuments(text);
  assert.ok(Array.isArray(parsed));
  assert.deepEqual(
    parsed.map((d) => {
      assert.deepEqual(d.errors, []);
      return d.toJS() as unknown;
    }),
    docs.map((d) => d.object),
  );
  const embedded = at(docs.find((d) => d.object.kind === 'ConfigMap')?.object, 'data', 'cluster-issuer.yaml');
  const provider = parseManifestFile(embedded as string, 'x.yaml');
  assert.equal(provider.manifests[0]?.manifest.kind, 'OpenIDConnectProvider');
  assert.deepEqual(
    parseAllDocuments(embedded as string).map((d) => d.toJS() as unknown),
    [issuerProviderManifest(issuer)],
  );
});

test('the rendered output has no anchors or aliases and starts with a comment', () => {
  const text = renderManifests(clusterManifests({ ...BASE, issuer: ISSUER }));
  assert.doesNotMatch(text, /[&*]a\d/);
  assert.match(text, /^# openirsa in a Kubernetes cluster/);
  assert.doesNotMatch(text, /No --issuer was given/);
  assert.match(renderManifests(clusterManifests(BASE)), /No --issuer was given: openirsa's STS trusts only/);
});
