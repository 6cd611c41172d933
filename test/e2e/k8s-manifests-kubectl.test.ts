/**
 * `openirsa k8s manifests | kubectl apply --dry-run=client --validate=false -f -`, as a user runs it.
 * There is no cluster: kubectl talks to a tiny fake API server on 127.0.0.1 that serves only the
 * discovery documents kubectl needs to map each kind to its resource, and answers 404 to every object
 * lookup, so that kubectl parses every document, resolves its kind and reports it "created (dry run)".
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

const cli = fileURLToPath(new URL('../../src/cli/main.js', import.meta.url));
const TESTDATA = join(import.meta.dirname, '..', '..', '..', 'src', 'cli', 'testdata');
const KUBECTL = '/usr/bin/kubectl';

/** group → [version, [resource, kind, namespaced][]]; the kinds `k8s manifests` prints. */
const GROUPS: Record<string, [string, [string, string, boolean][]]> = {
  '': [
    'v1',
    [
      ['namespaces', 'Namespace', false],
      ['serviceaccounts', 'ServiceAccount', true],
      ['secrets', 'Secret', true],
      ['configmaps', 'ConfigMap', true],
      ['services', 'Service', true],
      ['persistentvolumeclaims', 'PersistentVolumeClaim', true],
    ],
  ],
  apps: ['v1', [['deployments', 'Deployment', true]]],
  'rbac.authorization.k8s.io': [
    'v1',
    [
      ['clusterroles', 'ClusterRole', false],
      ['clusterrolebindings', 'ClusterRoleBinding', false],
    ],
  ],
  'admissionregistration.k8s.io': [
    'v1',
    [['mutatingwebhookconfigurations', 'MutatingWebhookConfiguration', false]],
  ],
};

function discovery(path: string): unknown {
  if (path === '/api') return { kind: 'APIVersions', versions: ['v1'], serverAddressByClientCIDRs: [] };
  const named = Object.entries(GROUPS).filter(([g]) => g !== '');
  if (path === '/apis') {
    return {
      kind: 'APIGroupList',
      apiVersion: 'v1',
      groups: named.map(([g, [v]]) => ({
        name: g,
        versions: [{ groupVersion: `${g}/${v}`, version: v }],
        preferredVersion: { groupVersion: `${g}/${v}`, version: v },
      })),
    };
  }
  for (const [g, [v, resources]] of Object.entries(GROUPS)) {
    const groupVersion = g === '' ? v : `${g}/${v}`;
    if (path !== (g === '' ? '/api/v1' : `/apis/${groupVersion}`)) continue;
    return {
      kind: 'APIResourceList',
      apiVersion: 'v1',
      groupVersion,
      resources: resources.map(([name, kind, namespaced]) => ({
        name,
        singularName: kind.toLowerCase(),
        namespaced,
        kind,
        verbs: ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'],
      })),
    };
  }
  return undefined;
}

async function fakeApiServer() {
  const lookups: string[] = [];
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const path = new URL(req.url ?? '/', 'http://127.0.0.1').pathname;
    const body = discovery(path);
    if (body === undefined && req.method === 'GET') lookups.push(path);
    res.writeHead(body === undefined ? 404 : 200, { 'content-type': 'application/json' });
    res.end(
      JSON.stringify(
        body ?? { kind: 'Status', apiVersion: 'v1', status: 'Failure', reason: 'NotFound', code: 404 },
      ),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    lookups,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

function runProcess(
  command: string,
  args: string[],
  input: string,
  env: NodeJS.ProcessEnv,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { env, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString('utf8')));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString('utf8')));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(input);
  });
}

const skip = existsSync(KUBECTL) ? false : `kubectl is not installed at ${KUBECTL}`;

test(
  'kubectl apply --dry-run=client accepts every document, with and without the optional parts',
  { skip },
  async () => {
    const api = await fakeApiServer();
    const dir = await mkdtemp(join(tmpdir(), 'openirsa-kubectl-'));
    try {
      const kubeconfig = join(dir, 'kubeconfig');
      await writeFile(
        kubeconfig,
        JSON.stringify({
          apiVersion: 'v1',
          kind: 'Config',
          clusters: [{ name: 'fake', cluster: { server: api.url } }],
          contexts: [{ name: 'fake', context: { cluster: 'fake', user: 'nobody' } }],
          users: [{ name: 'nobody', user: {} }],
          'current-context': 'fake',
        }),
      );
      // Only the fake server is reachable: no proxy, no real kubeconfig, a throwaway HOME and cache.
      const env = { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: dir, KUBECONFIG: kubeconfig };
      const full = [
        '--namespace',
        'openirsa',
        '--issuer',
        'https://kubernetes.default.svc.cluster.local',
        '--tls-cert',
        join(TESTDATA, 'k8s-webhook.crt'),
        '--tls-key',
        join(TESTDATA, 'k8s-webhook.key'),
        '--ca-bundle',
        join(TESTDATA, 'k8s-webhook.crt'),
      ];
      for (const args of [[], full]) {
        const printed = await runProcess(process.execPath, [cli, 'k8s', 'manifests', ...args], '', env);
        assert.equal(printed.code, 0, printed.stderr);
        const applied = await runProcess(
          KUBECTL,
          ['apply', '--dry-run=client', '--validate=false', '--cache-dir', join(dir, 'cache'), '-f', '-'],
          printed.stdout,
          env,
        );
        assert.equal(applied.code, 0, applied.stderr);
        const expected = [
          'namespace/openirsa',
          'serviceaccount/openirsa',
          'clusterrole.rbac.authorization.k8s.io/openirsa-openirsa-serviceaccount-reader',
          'clusterrolebinding.rbac.authorization.k8s.io/openirsa-openirsa-serviceaccount-reader',
          // Without --tls-cert the certificate is minted: the Secret is always there.
          'secret/openirsa-webhook-tls',
          'persistentvolumeclaim/openirsa-data',
          ...(args.length > 0 ? ['configmap/openirsa-manifests'] : []),
          'deployment.apps/openirsa',
          'service/openirsa',
          'service/openirsa-webhook',
          'mutatingwebhookconfiguration.admissionregistration.k8s.io/openirsa-openirsa-pod-identity-webhook',
        ].map((name) => `${name} created (dry run)`);
        assert.deepEqual(applied.stdout.trim().split('\n'), expected);
      }
      // kubectl looked each namespaced object up in the namespace the manifests name.
      assert.ok(
        api.lookups.includes('/apis/apps/v1/namespaces/openirsa/deployments/openirsa'),
        api.lookups.join('\n'),
      );
      assert.ok(api.lookups.includes('/api/v1/namespaces/openirsa/secrets/openirsa-webhook-tls'));
    } finally {
      await api.close();
      await rm(dir, { recursive: true, force: true });
    }
  },
);
