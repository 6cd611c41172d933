import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { copyFile, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { webhook } from '../../src/cli/webhook.js';
import type { CommandIo } from '../../src/cli/io.js';
import { DEFAULT_WEBHOOK_SETTINGS, type WebhookSettings } from '../../src/identity/pod-mutation.js';
import { answerAdmissionReview } from '../../src/server/admission.js';
import { loadKubeConfig } from '../../src/server/k8s-api.js';
import { KubernetesServiceAccounts } from '../../src/server/k8s-service-accounts.js';
import type { Logger } from '../../src/server/server.js';
import { systemClock } from '../../src/shared/clock.js';
import { FakeKubeApi, LOOPBACK_CERT, LOOPBACK_KEY } from './fake-kube-api.js';

const ROLE_A = 'arn:aws:iam::111122223333:role/reader';
const ROLE_B = 'arn:aws:iam::111122223333:role/writer';
const annotated = (role: string, more: Record<string, string> = {}) => ({
  'eks.amazonaws.com/role-arn': role,
  ...more,
});

interface Patch {
  readonly op: string;
  readonly path: string;
  readonly value: unknown;
}

interface Mutation {
  readonly allowed: boolean;
  readonly patch?: Patch[];
}

function review(namespace: string, serviceAccount: string, uid = 'r-1') {
  return {
    apiVersion: 'admission.k8s.io/v1',
    kind: 'AdmissionReview',
    request: {
      uid,
      namespace,
      operation: 'CREATE',
      object: {
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name: 'p' },
        spec: { serviceAccountName: serviceAccount, containers: [{ name: 'app', image: 'app' }] },
      },
    },
  };
}

function decode(body: string): Mutation {
  const response = (JSON.parse(body) as { response: { allowed: boolean; patch?: string } }).response;
  return {
    allowed: response.allowed,
    ...(response.patch !== undefined
      ? { patch: JSON.parse(Buffer.from(response.patch, 'base64').toString('utf8')) as Patch[] }
      : {}),
  };
}

async function mutate(
  accounts: KubernetesServiceAccounts,
  namespace: string,
  name: string,
  settings: WebhookSettings = DEFAULT_WEBHOOK_SETTINGS,
): Promise<Mutation> {
  const wire = await answerAdmissionReview(
    'application/json',
    Buffer.from(JSON.stringify(review(namespace, name))),
    accounts,
    settings,
  );
  assert.equal(wire.status, 200);
  return decode(wire.body);
}

/** The AWS_* variables the first container gets, or undefined without a patch. */
function env(m: Mutation): Record<string, string> | undefined {
  const containers = m.patch?.find((p) => p.path === '/spec/containers')?.value as
    { env?: { name: string; value: string }[] }[] | undefined;
  if (containers === undefined) return undefined;
  return Object.fromEntries((containers[0]?.env ?? []).map((e) => [e.name, e.value]));
}

async function waitFor(what: string, check: () => Promise<boolean> | boolean, ms = 5000): Promise<void> {
  const until = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > until) assert.fail(`timed out waiting for ${what}`);
    await sleep(10);
  }
}

function recordingLogger(): Logger & { lines: string[] } {
  const lines: string[] = [];
  return { lines, error: (message, fields) => lines.push(`${message} ${JSON.stringify(fields)}`) };
}

async function informer(
  api: FakeKubeApi,
  options: { lookupGraceMs?: number; logger?: Logger; watchSilenceMs?: number } = {},
): Promise<KubernetesServiceAccounts> {
  const kubeConfig = await loadKubeConfig({ kind: 'file', path: await api.writeKubeconfig() });
  const accounts = new KubernetesServiceAccounts({
    kubeConfig,
    annotationPrefix: 'eks.amazonaws.com',
    logger: options.logger ?? recordingLogger(),
    clock: systemClock,
    lookupGraceMs: options.lookupGraceMs ?? 1000,
    retryBaseMs: 20,
    retryMaxMs: 100,
    ...(options.watchSilenceMs !== undefined ? { watchSilenceMs: options.watchSilenceMs } : {}),
  });
  accounts.start();
  return accounts;
}

test('an annotation added, modified and deleted through the watch changes the next mutation', async () => {
  const api = await FakeKubeApi.start();
  api.setQuietly({ namespace: 'team-a', name: 'app', annotations: annotated(ROLE_A) });
  const accounts = await informer(api);
  try {
    await waitFor('the first list', () => accounts.synced);
    assert.equal(env(await mutate(accounts, 'team-a', 'app'))?.AWS_ROLE_ARN, ROLE_A, 'from the list');
    await waitFor('the watch', () => api.watchCount === 1);

    api.set({ namespace: 'team-a', name: 'app', annotations: annotated(ROLE_B) });
    await waitFor(
      'the MODIFIED role',
      async () => env(await mutate(accounts, 'team-a', 'app'))?.AWS_ROLE_ARN === ROLE_B,
    );
    api.set({
      namespace: 'team-a',
      name: 'app',
      annotations: annotated(ROLE_B, {
        'eks.amazonaws.com/audience': 'openirsa',
        'eks.amazonaws.com/token-expiration': '3600',
      }),
    });
    await waitFor('the MODIFIED audience', async () => {
      const volume = (await mutate(accounts, 'team-a', 'app')).patch?.[0]?.value as
        | {
            projected: {
              sources: { serviceAccountToken: { audience: string; expirationSeconds: number } }[];
            };
          }[]
        | undefined;
      const token = volume?.[0]?.projected.sources[0]?.serviceAccountToken;
      return token?.audience === 'openirsa' && token.expirationSeconds === 3600;
    });

    assert.ok(
      !api.requests.some((r) => r.includes('/namespaces/')),
      'no direct GET while the cache has the account',
    );
    // Once deleted, a pod of it is a cache miss: the direct GET finds nothing either.
    api.delete('team-a', 'app');
    await waitFor(
      'the DELETED account',
      async () => (await mutate(accounts, 'team-a', 'app')).patch === undefined,
    );

    api.set({ namespace: 'team-b', name: 'job', annotations: annotated(ROLE_A) });
    await waitFor(
      'the ADDED account',
      async () => env(await mutate(accounts, 'team-b', 'job'))?.AWS_ROLE_ARN === ROLE_A,
    );
    assert.equal(api.listCount, 1, 'one list, then the watch alone');
  } finally {
    await accounts.stop();
    await api.stop();
  }
});

test('a service account the cache lacks is fetched with a direct GET, once, and found', async () => {
  const api = await FakeKubeApi.start();
  const logger = recordingLogger();
  const accounts = await informer(api, { logger });
  try {
    await waitFor('the first list', () => accounts.synced);
    // Created between the list and its watch event: only a GET can find it.
    api.setQuietly({ namespace: 'team-a', name: 'late', annotations: annotated(ROLE_A) });
    const m = await mutate(accounts, 'team-a', 'late');
    assert.equal(m.allowed, true);
    assert.equal(env(m)?.AWS_ROLE_ARN, ROLE_A);
    assert.equal(env(await mutate(accounts, 'team-a', 'late'))?.AWS_ROLE_ARN, ROLE_A);
    const gets = api.requests.filter((r) => r === 'GET /api/v1/namespaces/team-a/serviceaccounts/late');
    assert.equal(gets.length, 1, 'the second admission reads what the GET found');

    // One the API server does not have: admitted unmutated, and said so.
    const missing = await mutate(accounts, 'team-a', 'nobody');
    assert.deepEqual(missing, { allowed: true });
    assert.ok(
      logger.lines.some((l) =>
        l.startsWith('service account `team-a/nobody` not found; the pod is admitted without a patch'),
      ),
      logger.lines.join('\n'),
    );
  } finally {
    await accounts.stop();
    await api.stop();
  }
});

test('with a lookup grace period of 0 a cache miss is not fetched (upstream default)', async () => {
  const api = await FakeKubeApi.start();
  const logger = recordingLogger();
  const accounts = await informer(api, { lookupGraceMs: 0, logger });
  try {
    await waitFor('the first list', () => accounts.synced);
    api.setQuietly({ namespace: 'team-a', name: 'late', annotations: annotated(ROLE_A) });
    assert.deepEqual(await mutate(accounts, 'team-a', 'late'), { allowed: true });
    assert.ok(!api.requests.some((r) => r.includes('/namespaces/')));
    assert.match(logger.lines.join('\n'), /lookup grace period is 0/);
  } finally {
    await accounts.stop();
    await api.stop();
  }
});

test('an unreachable API server: the pod is admitted without a patch, the failure is logged, not ready', async () => {
  // A port that was free a moment ago: nothing listens there.
  const api = await FakeKubeApi.start();
  const kubeconfig = await api.writeKubeconfig();
  const dir = await mkdtemp(join(tmpdir(), 'openirsa-kube-down-'));
  const copy = join(dir, 'kubeconfig');
  await copyFile(kubeconfig, copy);
  await api.stop();
  const logger = recordingLogger();
  const accounts = new KubernetesServiceAccounts({
    kubeConfig: await loadKubeConfig({ kind: 'file', path: copy }),
    annotationPrefix: 'eks.amazonaws.com',
    logger,
    clock: systemClock,
    lookupGraceMs: 500,
    retryBaseMs: 20,
    retryMaxMs: 50,
  });
  accounts.start();
  try {
    await waitFor(
      'two failed lists',
      () => logger.lines.filter((l) => l.includes('informer failed')).length >= 2,
    );
    assert.equal(accounts.synced, false);
    const m = await mutate(accounts, 'team-a', 'app');
    assert.deepEqual(m, { allowed: true });
    const line = logger.lines.find((l) => l.includes('`team-a/app` not found'));
    assert.ok(line, logger.lines.join('\n'));
    assert.match(line, /did not answer/);
    assert.ok(!logger.lines.join('\n').includes('fake-kube-token'), 'no token in a log line');
  } finally {
    await accounts.stop();
    await rm(dir, { recursive: true, force: true });
  }
});

/**
 * A second watch opens, resuming at the first list's resourceVersion (101) without a new list, and a
 * change it delivers reaches the next mutation.
 */
async function assertResumedOnSecondWatch(
  api: FakeKubeApi,
  accounts: KubernetesServiceAccounts,
): Promise<void> {
  await waitFor('a second watch', () => api.watchCount === 2);
  const second = api.requests.filter((r) => r.includes('watch='))[1] ?? '';
  assert.match(second, /resourceVersion=101/, second);
  api.set({ namespace: 'team-a', name: 'app', annotations: annotated(ROLE_B) });
  await waitFor(
    'the change seen on the new watch',
    async () => env(await mutate(accounts, 'team-a', 'app'))?.AWS_ROLE_ARN === ROLE_B,
  );
  assert.equal(api.listCount, 1, 'resumed, not listed again');
}

test('the informer reconnects when the server closes the watch, resuming at its resourceVersion', async () => {
  const api = await FakeKubeApi.start();
  api.setQuietly({ namespace: 'team-a', name: 'app', annotations: annotated(ROLE_A) });
  const accounts = await informer(api);
  try {
    await waitFor('the watch', () => accounts.synced && api.watchCount === 1);
    api.closeWatches();
    await assertResumedOnSecondWatch(api, accounts);
  } finally {
    await accounts.stop();
    await api.stop();
  }
});

test('a watch that stays silent is given up and resumed at its resourceVersion, not left to TCP', async () => {
  const api = await FakeKubeApi.start();
  api.setQuietly({ namespace: 'team-a', name: 'app', annotations: annotated(ROLE_A) });
  const logger = recordingLogger();
  const accounts = await informer(api, { watchSilenceMs: 300, logger });
  try {
    await waitFor('the watch', () => accounts.synced && api.watchCount === 1);
    const first = api.requests.find((r) => r.includes('watch=')) ?? '';
    assert.match(first, /timeoutSeconds=300/, 'the server is asked to end each watch');
    // The fake keeps the stream open and sends nothing, as a connection dropped without a FIN looks.
    await assertResumedOnSecondWatch(api, accounts);
    assert.ok(
      logger.lines.some((l) => l.startsWith('the service-account watch was silent')),
      logger.lines.join('\n'),
    );
  } finally {
    await accounts.stop();
    await api.stop();
  }
});

test('direct GETs are rate limited (burst 20) and one per service account however many pods wait', async () => {
  const api = await FakeKubeApi.start();
  const logger = recordingLogger();
  const accounts = await informer(api, { logger });
  try {
    await waitFor('the first list', () => accounts.synced);
    api.setQuietly({ namespace: 'team-a', name: 'late', annotations: annotated(ROLE_A) });
    const same = await Promise.all(Array.from({ length: 5 }, () => mutate(accounts, 'team-a', 'late')));
    assert.ok(same.every((m) => env(m)?.AWS_ROLE_ARN === ROLE_A));
    assert.equal(api.requests.filter((r) => r.endsWith('/serviceaccounts/late')).length, 1);
    // 30 more distinct misses at once: the bucket has 19 tokens left, the rest are admitted unmutated.
    const many = await Promise.all(
      Array.from({ length: 30 }, (_, n) => mutate(accounts, 'team-b', `sa-${n}`)),
    );
    assert.ok(many.every((m) => m.allowed && m.patch === undefined));
    const gets = api.requests.filter((r) => r.includes('/namespaces/team-b/')).length;
    assert.ok(gets >= 19 && gets <= 21, `${gets} GETs`);
    assert.ok(logger.lines.some((l) => l.includes('rate limited')));
  } finally {
    await accounts.stop();
    await api.stop();
  }
});

test('a malformed watch event is dropped; after a 410 Gone the informer lists again and sees deletions', async () => {
  const api = await FakeKubeApi.start();
  api.setQuietly({ namespace: 'team-a', name: 'app', annotations: annotated(ROLE_A) });
  api.setQuietly({ namespace: 'team-a', name: 'old', annotations: annotated(ROLE_A) });
  const accounts = await informer(api, { lookupGraceMs: 0 });
  try {
    await waitFor('the watch', () => accounts.synced && api.watchCount === 1);
    api.emitRaw('{"type":"ADDED","object":{"metadata":{"name":"NOT A NAME"}}}');
    api.emitRaw('not json');
    api.emitRaw('{"type":"ADDED","object":null}');
    api.set({ namespace: 'team-a', name: 'app', annotations: annotated(ROLE_B) });
    await waitFor(
      'the event after the garbage',
      async () => env(await mutate(accounts, 'team-a', 'app'))?.AWS_ROLE_ARN === ROLE_B,
    );
    // Changes while the informer is away, then history compacted: resuming is impossible.
    api.closeWatches();
    api.compact();
    api.delete('team-a', 'old');
    api.compact();
    await waitFor('a second list', () => api.listCount === 2);
    await waitFor(
      'the deletion seen by the relist',
      async () => (await mutate(accounts, 'team-a', 'old')).patch === undefined,
    );
    assert.equal(env(await mutate(accounts, 'team-a', 'app'))?.AWS_ROLE_ARN, ROLE_B);
  } finally {
    await accounts.stop();
    await api.stop();
  }
});

test('in a pod: the in-cluster token and CA files and KUBERNETES_SERVICE_HOST/PORT reach the API server', async () => {
  const api = await FakeKubeApi.start();
  api.setQuietly({ namespace: 'team-a', name: 'app', annotations: annotated(ROLE_A) });
  const prefix = await mkdtemp(join(tmpdir(), 'openirsa-in-cluster-'));
  const saved = { host: process.env.KUBERNETES_SERVICE_HOST, port: process.env.KUBERNETES_SERVICE_PORT };
  const files = join(prefix, 'var', 'run', 'secrets', 'kubernetes.io', 'serviceaccount');
  let accounts: KubernetesServiceAccounts | undefined;
  try {
    await assert.rejects(
      loadKubeConfig({ kind: 'in-cluster' }, prefix),
      /not inside a pod: `.*token` is missing/,
    );
    await mkdir(files, { recursive: true });
    await writeFile(join(files, 'token'), api.token);
    await copyFile(LOOPBACK_CERT, join(files, 'ca.crt'));
    await writeFile(join(files, 'namespace'), 'openirsa');
    // KubeConfig.loadFromCluster reads this process's environment.
    process.env.KUBERNETES_SERVICE_HOST = '127.0.0.1';
    process.env.KUBERNETES_SERVICE_PORT = String(api.port);
    accounts = new KubernetesServiceAccounts({
      kubeConfig: await loadKubeConfig({ kind: 'in-cluster' }, prefix),
      annotationPrefix: 'eks.amazonaws.com',
      logger: recordingLogger(),
      clock: systemClock,
      lookupGraceMs: 1000,
    });
    accounts.start();
    await waitFor('the first list', () => accounts?.synced === true);
    assert.equal(env(await mutate(accounts, 'team-a', 'app'))?.AWS_ROLE_ARN, ROLE_A);
    assert.ok(api.authorizations.every((a) => a === `Bearer ${api.token}`));
  } finally {
    if (saved.host === undefined) delete process.env.KUBERNETES_SERVICE_HOST;
    else process.env.KUBERNETES_SERVICE_HOST = saved.host;
    if (saved.port === undefined) delete process.env.KUBERNETES_SERVICE_PORT;
    else process.env.KUBERNETES_SERVICE_PORT = saved.port;
    await accounts?.stop();
    await api.stop();
    await rm(prefix, { recursive: true, force: true });
  }
});

function io(): CommandIo & { out: string[]; err: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  return {
    out,
    err,
    stdin: () => Promise.resolve(''),
    stdout: (t) => out.push(t),
    stderr: (t) => err.push(t),
    readFile: (p) => readFile(p, 'utf8'),
    clock: systemClock,
  };
}

function call(port: number, path: string, body?: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
        path,
        method: body === undefined ? 'GET' : 'POST',
        ca: [readFileSync(LOOPBACK_CERT, 'utf8')],
        agent: false,
        headers: { 'content-type': 'application/json' },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }),
        );
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

test('`openirsa webhook --kubeconfig`: not ready until the first list, then mutates with the endpoint variables', async () => {
  const api = await FakeKubeApi.start();
  api.setQuietly({ namespace: 'team-a', name: 'app', annotations: annotated(ROLE_A) });
  api.holdLists();
  const kubeconfig = await api.writeKubeconfig();
  const stop = new AbortController();
  const i = io();
  const served = webhook(
    [
      '--tls-cert',
      LOOPBACK_CERT,
      '--tls-key',
      LOOPBACK_KEY,
      '--port',
      '0',
      '--kubeconfig',
      kubeconfig,
      '--aws-endpoint-url',
      'http://openirsa.openirsa.svc:4566',
      '--aws-default-region',
      'eu-west-1',
    ],
    i,
    stop.signal,
    {},
  );
  try {
    let port = 0;
    await waitFor('the webhook to listen', () => {
      port = Number(/port {5}(\d+)/.exec(i.out.join(''))?.[1] ?? 0);
      return port !== 0;
    });
    assert.match(i.out.join(''), new RegExp(`service accounts from the Kubernetes API server ${api.url}`));
    const early = await call(port, '/healthz');
    assert.deepEqual(early, { status: 503, body: 'service accounts not synced yet\n' });
    assert.deepEqual(await call(port, '/livez'), { status: 200, body: 'ok' });
    api.release();
    await waitFor('ready', async () => (await call(port, '/healthz')).status === 200);
    assert.match(i.out.join(''), /1 service accounts listed from the API server; ready/);
    const answer = await call(port, '/mutate', JSON.stringify(review('team-a', 'app')));
    assert.equal(answer.status, 200);
    const variables = env(decode(answer.body));
    assert.deepEqual(variables, {
      AWS_DEFAULT_REGION: 'eu-west-1',
      AWS_REGION: 'eu-west-1',
      AWS_ROLE_ARN: ROLE_A,
      AWS_WEB_IDENTITY_TOKEN_FILE: '/var/run/secrets/eks.amazonaws.com/serviceaccount/token',
      AWS_ENDPOINT_URL: 'http://openirsa.openirsa.svc:4566',
      AWS_ENDPOINT_URL_STS: 'http://openirsa.openirsa.svc:4566',
      AWS_ENDPOINT_URL_IAM: 'http://openirsa.openirsa.svc:4566',
      AWS_ENDPOINT_URL_S3: 'http://openirsa.openirsa.svc:4566',
    });
    stop.abort();
    assert.equal(await served, 0);
  } finally {
    stop.abort();
    await served.catch(() => 0);
    await api.stop();
  }
});
