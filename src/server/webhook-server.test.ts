import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { copyFile, mkdtemp, readFile, rm } from 'node:fs/promises';
import { request, type Server } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TLSSocket } from 'node:tls';
import { test } from 'node:test';
import { X509Certificate } from 'node:crypto';
import { DEFAULT_WEBHOOK_SETTINGS } from '../identity/pod-mutation.js';
import type { ServiceAccount, ServiceAccountStore } from '../store/service-accounts.js';
import { close, listen } from './listen.js';
import { createWebhookServer } from './webhook-server.js';

function hasOpenssl(): boolean {
  try {
    execFileSync('openssl', ['version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

function makeCert(dir: string, name: string): void {
  execFileSync(
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
      `/CN=${name}`,
      '-addext',
      'subjectAltName=IP:127.0.0.1',
      '-keyout',
      join(dir, `${name}.key`),
      '-out',
      join(dir, `${name}.crt`),
    ],
    { stdio: 'ignore' },
  );
}

const account: ServiceAccount = {
  namespace: 'default',
  name: 'default',
  uid: 'u',
  annotations: { 'eks.amazonaws.com/role-arn': 'arn:aws:iam::111122223333:role/s3-reader' },
  createdAt: 0,
  updatedAt: 0,
};
const serviceAccounts = {
  get: (ns: string, name: string) =>
    Promise.resolve(ns === account.namespace && name === account.name ? account : undefined),
} as Pick<ServiceAccountStore, 'get'> as ServiceAccountStore;

interface Answer {
  status: number;
  body: string;
  subject: string;
}

function call(
  server: Server,
  ca: string[],
  method: string,
  path: string,
  body = '',
  type = 'application/json',
) {
  const { port } = server.address() as { port: number };
  return new Promise<Answer>((resolve, reject) => {
    const req = request(
      { host: '127.0.0.1', port, method, path, ca, agent: false, headers: { 'content-type': type } },
      (res) => {
        const subject = (res.socket as TLSSocket).getPeerX509Certificate()?.subject ?? '';
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8'), subject }),
        );
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

test('the webhook serves /healthz and /mutate over TLS and reloads a changed certificate', async (t) => {
  if (!hasOpenssl()) {
    t.skip('the openssl command is not installed: cannot make a test certificate');
    return;
  }
  const dir = await mkdtemp(join(tmpdir(), 'openirsa-webhook-'));
  const logged: string[] = [];
  let server: Server | undefined;
  try {
    makeCert(dir, 'first');
    makeCert(dir, 'second');
    await copyFile(join(dir, 'first.crt'), join(dir, 'tls.crt'));
    await copyFile(join(dir, 'first.key'), join(dir, 'tls.key'));
    const ca = [
      await readFile(join(dir, 'first.crt'), 'utf8'),
      await readFile(join(dir, 'second.crt'), 'utf8'),
    ];
    const created = await createWebhookServer({
      certFile: join(dir, 'tls.crt'),
      keyFile: join(dir, 'tls.key'),
      serviceAccounts,
      settings: DEFAULT_WEBHOOK_SETTINGS,
      logger: { error: (m) => logged.push(m) },
    });
    server = created.server;
    await listen(server, 0);

    const health = await call(server, ca, 'GET', '/healthz');
    assert.deepEqual([health.status, health.body, health.subject], [200, 'ok', 'CN=first']);
    assert.deepEqual((await call(server, ca, 'GET', '/nothing')).body, '404 page not found\n');

    const review = {
      apiVersion: 'admission.k8s.io/v1',
      kind: 'AdmissionReview',
      request: { uid: 'x-1', namespace: 'default', object: { spec: { containers: [{ name: 'c' }] } } },
    };
    const mutated = await call(server, ca, 'POST', '/mutate', JSON.stringify(review));
    assert.equal(mutated.status, 200);
    const response = (JSON.parse(mutated.body) as { response: { uid: string; patch: string } }).response;
    assert.equal(response.uid, 'x-1');
    assert.match(Buffer.from(response.patch, 'base64').toString(), /"AWS_ROLE_ARN"/);
    const wrongType = await call(server, ca, 'POST', '/mutate', '{}', 'text/plain');
    assert.deepEqual(
      [wrongType.status, wrongType.body],
      [415, 'Invalid Content-Type, expected `application/json`\n'],
    );

    // A key that does not match the certificate is refused; the old pair keeps serving.
    await copyFile(join(dir, 'second.crt'), join(dir, 'tls.crt'));
    assert.equal(await created.reloader.check(), false);
    assert.equal((await call(server, ca, 'GET', '/healthz')).subject, 'CN=first');
    assert.match(logged.join('\n'), /do not load; keeping the current ones/);

    await copyFile(join(dir, 'second.key'), join(dir, 'tls.key'));
    assert.equal(await created.reloader.check(), true);
    assert.equal(await created.reloader.check(), false);
    const after = await call(server, ca, 'GET', '/healthz');
    assert.equal(after.subject, 'CN=second');
    assert.equal(new X509Certificate(ca[1] ?? '').subject, 'CN=second');
  } finally {
    if (server?.listening) await close(server);
    await rm(dir, { recursive: true, force: true });
  }
});

test('/healthz answers 503 until the service accounts are ready; /livez answers ok throughout', async (t) => {
  if (!hasOpenssl()) {
    t.skip('the openssl command is not installed: cannot make a test certificate');
    return;
  }
  const dir = await mkdtemp(join(tmpdir(), 'openirsa-webhook-'));
  let server: Server | undefined;
  try {
    makeCert(dir, 'tls');
    const ca = [await readFile(join(dir, 'tls.crt'), 'utf8')];
    let ready = false;
    const created = await createWebhookServer({
      certFile: join(dir, 'tls.crt'),
      keyFile: join(dir, 'tls.key'),
      serviceAccounts,
      settings: DEFAULT_WEBHOOK_SETTINGS,
      logger: { error: () => undefined },
      ready: () => ready,
    });
    server = created.server;
    await listen(server, 0);
    const early = await call(server, ca, 'GET', '/healthz');
    assert.deepEqual([early.status, early.body], [503, 'service accounts not synced yet\n']);
    assert.deepEqual((await call(server, ca, 'GET', '/livez')).body, 'ok');
    ready = true;
    const later = await call(server, ca, 'GET', '/healthz');
    assert.deepEqual([later.status, later.body], [200, 'ok']);
  } finally {
    if (server?.listening) await close(server);
    await rm(dir, { recursive: true, force: true });
  }
});
