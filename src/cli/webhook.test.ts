import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { openDataDir } from '../server/data-dir.js';
import { systemClock } from '../shared/clock.js';
import { randomIds } from '../shared/ids.js';
import type { CommandIo } from './io.js';
import { main } from './main.js';
import { parseWebhookArgs, webhook } from './webhook.js';

test('webhook flags default as the upstream main.go does; --token-expiration is raised to 600', () => {
  const o = parseWebhookArgs([], {});
  assert.equal(o.port, 443);
  assert.equal(o.host, '127.0.0.1');
  assert.equal(o.tlsCert, '/etc/webhook/certs/tls.crt');
  assert.equal(o.tlsKey, '/etc/webhook/certs/tls.key');
  assert.deepEqual(o.settings, {
    annotationPrefix: 'eks.amazonaws.com',
    audience: 'sts.amazonaws.com',
    mountPath: '/var/run/secrets/eks.amazonaws.com/serviceaccount',
    tokenExpirationSeconds: 86400,
    regionalSts: false,
  });
  const custom = parseWebhookArgs(
    [
      '--token-expiration',
      '60',
      '--aws-default-region',
      'eu-west-1',
      '--sts-regional-endpoint',
      '--annotation-prefix',
      'example.com',
      '--token-audience',
      'aud',
    ],
    { OPENIRSA_DATA: '/data' },
  );
  assert.equal(custom.settings.tokenExpirationSeconds, 600);
  assert.equal(custom.settings.region, 'eu-west-1');
  assert.equal(custom.settings.regionalSts, true);
  assert.equal(custom.settings.annotationPrefix, 'example.com');
  assert.equal(custom.data, '/data');
  assert.throws(() => parseWebhookArgs(['--token-expiration', 'soon'], {}), /whole number of seconds/);
  assert.throws(() => parseWebhookArgs(['--token-mount-path', 'relative'], {}), /absolute path/);
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
    readFile: () => Promise.reject(new Error('unused')),
    clock: systemClock,
  };
}

test('`openirsa webhook` without a data directory store exits 1 saying so', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'openirsa-webhook-cli-'));
  try {
    const i = io();
    assert.equal(await main(['webhook', '--data', join(dir, 'none'), '--port', '0'], i), 1);
    assert.match(i.err.join(''), /no store in/);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('`openirsa exec --help` and `openirsa webhook --help` print their usage with an example', async () => {
  for (const command of ['exec', 'webhook']) {
    const i = io();
    assert.equal(await main([command, '--help'], i), 0);
    assert.match(i.out.join(''), new RegExp(`^usage: openirsa ${command}`));
    assert.match(i.out.join(''), /Example:/);
  }
  const i = io();
  // After `--`, --help belongs to the command: exec goes on (and needs a service account).
  assert.equal(await main(['exec', '--', 'ls', '--help'], i), 2);
  assert.match(i.err.join(''), /`--service-account NAMESPACE\/NAME` is required/);
});

test('`openirsa exec` usage errors: no command, a malformed service account', async () => {
  const none = io();
  assert.equal(await main(['exec', '--service-account', 'a/b'], none), 2);
  assert.match(none.err.join(''), /expected `-- COMMAND/);
  const bad = io();
  assert.equal(await main(['exec', '--service-account', 'a/b/c', '--', 'true'], bad), 2);
  assert.match(bad.err.join(''), /must be NAMESPACE\/NAME/);
});

test('`openirsa webhook` mutates pods of the data directory’s service accounts over TLS', async (t) => {
  const hasOpenssl = await new Promise<boolean>((resolve) =>
    execFile('openssl', ['version'], (error) => resolve(error === null)),
  );
  if (!hasOpenssl) {
    t.skip('the openssl command is not installed: cannot make a test certificate');
    return;
  }
  const dir = await mkdtemp(join(tmpdir(), 'openirsa-webhook-cli-'));
  const stop = new AbortController();
  try {
    await new Promise<void>((resolve, reject) =>
      execFile(
        'openssl',
        [
          'req',
          '-x509',
          '-newkey',
          'ec',
          '-pkeyopt',
          'ec_paramgen_curve:prime256v1',
          '-nodes',
          '-days',
          '1',
          '-subj',
          '/CN=pod-identity-webhook',
          '-addext',
          'subjectAltName=IP:127.0.0.1',
          '-keyout',
          join(dir, 'tls.key'),
          '-out',
          join(dir, 'tls.crt'),
        ],
        (error) => (error !== null ? reject(new Error(error.message)) : resolve()),
      ),
    );
    const data = await openDataDir({
      dir: join(dir, 'data'),
      accountId: '000000000000',
      clock: systemClock,
      ids: randomIds,
    });
    await data.store.serviceAccounts.upsert({
      namespace: 'team-a',
      name: 'app',
      annotations: { 'example.com/role-arn': 'arn:aws:iam::000000000000:role/app' },
      uid: 'u-1',
      at: 0,
    });
    await data.store.close();
    const i = io();
    const served = webhook(
      [
        '--tls-cert',
        join(dir, 'tls.crt'),
        '--tls-key',
        join(dir, 'tls.key'),
        '--port',
        '0',
        '--data',
        join(dir, 'data'),
        '--annotation-prefix',
        'example.com',
        '--aws-default-region',
        'eu-west-1',
      ],
      i,
      stop.signal,
    );
    let port = 0;
    for (let n = 0; n < 500 && port === 0; n++) {
      port = Number(/port {5}(\d+)/.exec(i.out.join(''))?.[1] ?? 0);
      if (port === 0) await sleep(10);
    }
    const ca = await readFile(join(dir, 'tls.crt'), 'utf8');
    const review = {
      apiVersion: 'admission.k8s.io/v1',
      kind: 'AdmissionReview',
      request: {
        uid: 'r-1',
        namespace: 'team-a',
        object: { spec: { serviceAccountName: 'app', containers: [{ name: 'c' }] } },
      },
    };
    const body = await new Promise<string>((resolve, reject) => {
      const req = request(
        {
          host: '127.0.0.1',
          port,
          method: 'POST',
          path: '/mutate',
          ca,
          agent: false,
          headers: { 'content-type': 'application/json' },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
        },
      );
      req.on('error', reject);
      req.end(JSON.stringify(review));
    });
    const patch = JSON.parse(
      Buffer.from((JSON.parse(body) as { response: { patch: string } }).response.patch, 'base64').toString(),
    ) as { path: string; value: { env?: { name: string; value: string }[] }[] }[];
    assert.deepEqual(
      patch[1]?.value[0]?.env?.map((e) => e.name),
      ['AWS_DEFAULT_REGION', 'AWS_REGION', 'AWS_ROLE_ARN', 'AWS_WEB_IDENTITY_TOKEN_FILE'],
    );
    stop.abort();
    assert.equal(await served, 0);
  } finally {
    stop.abort();
    await rm(dir, { recursive: true, force: true });
  }
});

test('webhook service-account source: --kubeconfig, in a pod unless --data, else the store', () => {
  assert.deepEqual(parseWebhookArgs([], {}).source, { kind: 'store' });
  assert.deepEqual(parseWebhookArgs([], { KUBERNETES_SERVICE_HOST: '10.0.0.1' }).source, {
    kind: 'kubernetes',
    kubeConfig: { kind: 'in-cluster' },
    lookupGraceMs: 1000,
  });
  // Naming a store wins over the pod's environment (a test suite run inside a cluster, say).
  assert.deepEqual(parseWebhookArgs(['--data', '/d'], { KUBERNETES_SERVICE_HOST: '10.0.0.1' }).source, {
    kind: 'store',
  });
  assert.deepEqual(
    parseWebhookArgs(['--kubeconfig', '/k', '--service-account-lookup-grace-period', '250ms'], {}).source,
    { kind: 'kubernetes', kubeConfig: { kind: 'file', path: '/k' }, lookupGraceMs: 250 },
  );
  for (const [value, ms] of [
    ['0', 0],
    ['0s', 0],
    ['2s', 2000],
    ['30s', 30_000],
  ] as const) {
    const o = parseWebhookArgs(['--kubeconfig', '/k', '--service-account-lookup-grace-period', value], {});
    assert.equal(o.source.kind === 'kubernetes' ? o.source.lookupGraceMs : -1, ms, value);
  }
  for (const value of ['31s', '5', '1m', '+1s', '1.5s', '']) {
    assert.throws(
      () => parseWebhookArgs(['--service-account-lookup-grace-period', value], {}),
      /expects a duration such as `500ms` or `2s` \(at most 30s\)/,
      value,
    );
  }
  assert.throws(
    () => parseWebhookArgs(['--kubeconfig', '/k', '--data', '/d'], {}),
    /name two sources of service accounts: give one/,
  );
  assert.throws(() => parseWebhookArgs(['--kubeconfig', ''], {}), /`--kubeconfig` expects a file/);
});

test('--aws-endpoint-url takes an http(s) URL without credentials, query or fragment', () => {
  const o = parseWebhookArgs(['--aws-endpoint-url', 'http://openirsa.openirsa.svc:4566'], {});
  assert.equal(o.settings.endpointUrl, 'http://openirsa.openirsa.svc:4566');
  assert.equal(parseWebhookArgs([], {}).settings.endpointUrl, undefined);
  for (const bad of [
    'openirsa:4566',
    'ftp://openirsa',
    'http://user:pass@openirsa:4566',
    'http://openirsa:4566/?x=1',
    'http://openirsa:4566/#f',
    'http://openirsa:4566/ x',
    `http://${'a'.repeat(1100)}`,
  ]) {
    assert.throws(
      () => parseWebhookArgs(['--aws-endpoint-url', bad], {}),
      /`--aws-endpoint-url` expects an http\(s\) URL such as `http:\/\/openirsa.openirsa.svc:4566`/,
      bad,
    );
  }
});

test('`openirsa webhook --kubeconfig` with a file that does not exist exits 1 saying so', async () => {
  const i = io();
  assert.equal(await main(['webhook', '--kubeconfig', '/nonexistent/kubeconfig', '--port', '0'], i), 1);
  assert.match(i.err.join(''), /^openirsa: cannot load the kubeconfig `\/nonexistent\/kubeconfig`: /);
});
