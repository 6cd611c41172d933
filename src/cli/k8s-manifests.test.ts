import assert from 'node:assert/strict';
import { createPrivateKey, X509Certificate } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { parseAllDocuments } from 'yaml';
import { loadManifestPaths } from '../config/load-manifests.js';
import { fixedClock } from '../shared/clock.js';
import type { CommandIo } from './io.js';
import { main } from './main.js';

// A self-signed P-256 certificate for openirsa-webhook.openirsa.svc and its key, made for these tests
// only (openssl req -x509), and an unrelated key.
const TESTDATA = join(import.meta.dirname, '..', '..', '..', 'src', 'cli', 'testdata');
const CERT = join(TESTDATA, 'k8s-webhook.crt');
const KEY = join(TESTDATA, 'k8s-webhook.key');
const OTHER_KEY = join(TESTDATA, 'k8s-other.key');

function io() {
  const out: string[] = [];
  const err: string[] = [];
  const value: CommandIo = {
    stdin: () => Promise.resolve(''),
    stdout: (t) => out.push(t),
    stderr: (t) => err.push(t),
    readFile: (p) => readFile(p, 'utf8'),
    clock: fixedClock(Date.UTC(2026, 11, 4, 9, 0, 0)),
  };
  return { io: value, out, err };
}

async function run(args: string[]) {
  const r = io();
  const code = await main(['k8s', 'manifests', ...args], r.io);
  return { code, stdout: r.out.join(''), stderr: r.err.join('') };
}

function documents(text: string): Record<string, unknown>[] {
  return parseAllDocuments(text).map((d) => {
    assert.deepEqual(d.errors, []);
    return d.toJS() as Record<string, unknown>;
  });
}

test('with no flags it prints the manifests for namespace openirsa', async () => {
  const r = await run([]);
  assert.equal(r.code, 0);
  assert.equal(r.stderr, '');
  const docs = documents(r.stdout);
  assert.equal(docs[0]?.kind, 'Namespace');
  assert.deepEqual(docs[0]?.metadata, {
    name: 'openirsa',
    labels: {
      'app.kubernetes.io/name': 'openirsa',
      'app.kubernetes.io/instance': 'openirsa',
      'app.kubernetes.io/component': 'namespace',
    },
  });
  assert.ok(docs.some((d) => d.kind === 'MutatingWebhookConfiguration'));
  assert.match(r.stdout, /image: openirsa:0\.1\.0/);
});

test('without --tls-cert the webhook certificate is minted and the caBundle is its CA', async () => {
  const r = await run([]);
  assert.equal(r.code, 0);
  const docs = documents(r.stdout);
  const secret = docs.find((d) => d.kind === 'Secret') as { data: Record<string, string> } | undefined;
  assert.ok(secret, 'a kubernetes.io/tls Secret');
  const decode = (b64: string | undefined) => Buffer.from(b64 ?? '', 'base64').toString('utf8');
  const leaf = new X509Certificate(decode(secret.data['tls.crt']));
  assert.ok(leaf.checkPrivateKey(createPrivateKey(decode(secret.data['tls.key']))));
  assert.equal(leaf.checkHost('openirsa-webhook.openirsa.svc'), 'openirsa-webhook.openirsa.svc');
  const hook = docs.find((d) => d.kind === 'MutatingWebhookConfiguration') as
    { webhooks: { clientConfig: { caBundle?: string } }[] } | undefined;
  const ca = new X509Certificate(decode(hook?.webhooks[0]?.clientConfig.caBundle));
  assert.ok(leaf.checkIssued(ca) && leaf.verify(ca.publicKey));
  assert.doesNotMatch(r.stdout, /is not printed/);
});

test('--tls-cert, --tls-key and --ca-bundle become the Secret and the caBundle', async () => {
  const cert = await readFile(CERT, 'utf8');
  const r = await run([
    '--tls-cert',
    CERT,
    '--tls-key',
    KEY,
    '--ca-bundle',
    CERT,
    '--image',
    'ghcr.io/x/openirsa@sha256:ab',
  ]);
  assert.equal(r.code, 0, r.stderr);
  const docs = documents(r.stdout);
  const secret = docs.find((d) => d.kind === 'Secret') as { data: Record<string, string> };
  assert.equal(Buffer.from(secret.data['tls.crt'] ?? '', 'base64').toString('utf8'), cert);
  assert.equal(
    Buffer.from(secret.data['tls.key'] ?? '', 'base64').toString('utf8'),
    await readFile(KEY, 'utf8'),
  );
  const hook = docs.find((d) => d.kind === 'MutatingWebhookConfiguration') as {
    webhooks: { clientConfig: { caBundle: string } }[];
  };
  assert.equal(Buffer.from(hook.webhooks[0]?.clientConfig.caBundle ?? '', 'base64').toString('utf8'), cert);
  assert.match(r.stdout, /image: ghcr.io\/x\/openirsa@sha256:ab/);
});

test('the emitted OpenIDConnectProvider is accepted by openirsa up -f (the manifest loader)', async () => {
  const issuer = 'https://kubernetes.default.svc.cluster.local';
  const r = await run(['--issuer', issuer, '--namespace', 'irsa-system']);
  assert.equal(r.code, 0, r.stderr);
  const configMap = documents(r.stdout).find((d) => d.kind === 'ConfigMap') as {
    metadata: { namespace: string };
    data: Record<string, string>;
  };
  assert.equal(configMap.metadata.namespace, 'irsa-system');
  const dir = await mkdtemp(join(tmpdir(), 'openirsa-k8s-'));
  try {
    const file = join(dir, 'cluster-issuer.yaml');
    await writeFile(file, configMap.data['cluster-issuer.yaml'] ?? '');
    const [parsed, more] = await loadManifestPaths([file]);
    assert.equal(more, undefined);
    assert.equal(parsed?.rejected, false);
    assert.deepEqual(parsed?.problems, []);
    assert.deepEqual(
      parsed?.manifests.map((m) => m.manifest),
      [
        {
          kind: 'OpenIDConnectProvider',
          url: issuer,
          clientIds: ['sts.amazonaws.com'],
          thumbprints: [],
          tags: {},
        },
      ],
    );
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

const USAGE_CASES: [string, string[], string][] = [
  ['an unknown flag', ['--bogus'], 'openirsa: unknown option `--bogus`; run `openirsa k8s manifests --help`'],
  [
    'a positional argument',
    ['extra'],
    'openirsa: unexpected argument `extra`; run `openirsa k8s manifests --help`',
  ],
  [
    'a namespace that is not a DNS label',
    ['--namespace', 'Team_A'],
    '`--namespace` expects a DNS-1123 label',
  ],
  ['a namespace longer than 63', ['--namespace', 'a'.repeat(64)], '`--namespace` expects a DNS-1123 label'],
  ['an image with a space', ['--image', 'a b'], '`--image` expects an image reference'],
  ['replicas that are not a number', ['--replicas', 'two'], '`--replicas` expects a whole number, got `two`'],
  [
    'more than one replica',
    ['--replicas', '2'],
    '`--replicas` must be 1: the embedded SQLite data directory has one writer, got `2`',
  ],
  [
    'a certificate without its key',
    ['--tls-cert', CERT],
    '`--tls-cert` and `--tls-key` go together: give both or neither',
  ],
  [
    'a key without its certificate',
    ['--tls-key', KEY],
    '`--tls-cert` and `--tls-key` go together: give both or neither',
  ],
  [
    'an http issuer',
    ['--issuer', 'http://127.0.0.1:6443'],
    '`--issuer` must be an https:// URL, got `http://127.0.0.1:6443`',
  ],
  [
    'an issuer with a query',
    ['--issuer', 'https://x.test/?a=b'],
    "`--issuer` expects the cluster's issuer URL:",
  ],
  ['an empty --ca-bundle', ['--ca-bundle', ''], '`--ca-bundle` expects a file, got an empty string'],
];

for (const [what, args, message] of USAGE_CASES) {
  test(`${what} is a usage error (exit 2) that says so`, async () => {
    const r = await run(args);
    assert.equal(r.code, 2);
    assert.equal(r.stdout, '');
    assert.ok(r.stderr.includes(message), r.stderr);
  });
}

test('a key that does not belong to the certificate is refused without printing the key', async () => {
  const r = await run(['--tls-cert', CERT, '--tls-key', OTHER_KEY]);
  assert.equal(r.code, 2);
  assert.equal(
    r.stderr,
    `openirsa: \`--tls-key\` \`${OTHER_KEY}\` is not the private key of \`--tls-cert\` \`${CERT}\`; run \`openirsa k8s manifests --help\`\n`,
  );
  assert.doesNotMatch(r.stderr, /PRIVATE KEY/);
});

test('a certificate not valid for the webhook Service name is refused', async () => {
  const r = await run(['--namespace', 'other', '--tls-cert', CERT, '--tls-key', KEY]);
  assert.equal(r.code, 2);
  assert.equal(
    r.stderr,
    `openirsa: \`--tls-cert\` \`${CERT}\` is not valid for \`openirsa-webhook.other.svc\`, the name the API server calls the webhook by; run \`openirsa k8s manifests --help\`\n`,
  );
});

test('a key file that is not a key, and a CA bundle that is not PEM, are refused', async () => {
  const notKey = await run(['--tls-cert', CERT, '--tls-key', CERT]);
  assert.equal(notKey.code, 2);
  assert.equal(
    notKey.stderr,
    `openirsa: \`--tls-key\` \`${CERT}\` is not an unencrypted PEM private key; run \`openirsa k8s manifests --help\`\n`,
  );
  const certNotPem = await run(['--tls-cert', KEY, '--tls-key', KEY]);
  assert.equal(certNotPem.code, 2);
  assert.equal(
    certNotPem.stderr,
    `openirsa: \`--tls-cert\` \`${KEY}\`: the file holds no \`-----BEGIN CERTIFICATE-----\` block; run \`openirsa k8s manifests --help\`\n`,
  );
  const notPem = await run(['--ca-bundle', KEY]);
  assert.equal(notPem.code, 2);
  assert.equal(
    notPem.stderr,
    `openirsa: \`--ca-bundle\` \`${KEY}\`: the CA bundle holds no \`-----BEGIN CERTIFICATE-----\` block; run \`openirsa k8s manifests --help\`\n`,
  );
});

test('a missing file is reported with its name', async () => {
  const r = await run(['--ca-bundle', join(TESTDATA, 'absent.pem')]);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /ENOENT.*absent\.pem/);
});

test('the certificate seam: a minter is asked for the Service names and its certificate is used', async () => {
  const { k8sManifests } = await import('./k8s-manifests.js');
  const cert = await readFile(CERT, 'utf8');
  const key = await readFile(KEY, 'utf8');
  const asked: (readonly string[])[] = [];
  const r = io();
  const code = await k8sManifests([], r.io, (names) => {
    asked.push(names);
    return Promise.resolve({ certPem: cert, keyPem: key, caPem: cert });
  });
  assert.equal(code, 0);
  assert.deepEqual(asked, [
    [
      'openirsa-webhook',
      'openirsa-webhook.openirsa',
      'openirsa-webhook.openirsa.svc',
      'openirsa-webhook.openirsa.svc.cluster.local',
    ],
  ]);
  const docs = documents(r.out.join(''));
  assert.ok(docs.some((d) => d.kind === 'Secret'));
  assert.match(r.out.join(''), /caBundle: /);
});

test('--help prints the options and examples; `k8s` alone prints its commands', async () => {
  const help = await run(['--help']);
  assert.equal(help.code, 0);
  assert.match(help.stdout, /^usage: openirsa k8s manifests/);
  assert.match(help.stdout, /Examples:\n {2}openirsa k8s manifests \| kubectl apply -f -/);
  const r = io();
  assert.equal(await main(['k8s'], r.io), 2);
  assert.equal(r.err.join(''), 'openirsa: name a command: `k8s manifests`; run `openirsa k8s --help`\n');
  const unknown = io();
  assert.equal(await main(['k8s', 'deploy'], unknown.io), 2);
  assert.equal(
    unknown.err.join(''),
    'openirsa: unknown command `k8s deploy`; expected `k8s manifests`; run `openirsa k8s --help`\n',
  );
});
