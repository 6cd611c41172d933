import assert from 'node:assert/strict';
import { request } from 'node:http';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { connect as tlsConnect } from 'node:tls';
import { systemClock } from '../shared/clock.js';
import { UsageError, type CommandIo } from './io.js';
import { main } from './main.js';
import { parseUpArgs, up } from './up.js';

function io() {
  const out: string[] = [];
  const err: string[] = [];
  const value: CommandIo = {
    stdin: () => Promise.resolve(''),
    stdout: (t) => out.push(t),
    stderr: (t) => err.push(t),
    readFile: () => Promise.reject(new Error('no files')),
    clock: systemClock,
  };
  return { value, out, err };
}

test('up defaults: port 4566 on 127.0.0.1, ./.openirsa, account 000000000000, us-east-1, one process', () => {
  assert.deepEqual(parseUpArgs([]), {
    port: 4566,
    host: '127.0.0.1',
    data: './.openirsa',
    account: '000000000000',
    region: 'us-east-1',
    files: [],
    watch: false,
    explainDenials: false,
    signingAlgorithm: 'RS256',
    workers: 1,
  });
});

test('up takes --watch with -f, --explain-denials, and --signing-algorithm RS256 or ES256', () => {
  const o = parseUpArgs(['-f', 'm', '--watch', '--explain-denials', '--signing-algorithm', 'ES256']);
  assert.equal(o.watch, true);
  assert.equal(o.explainDenials, true);
  assert.equal(o.signingAlgorithm, 'ES256');
  assert.throws(
    () => parseUpArgs(['--signing-algorithm', 'HS256']),
    new UsageError('`--signing-algorithm` expects RS256 or ES256, got `HS256`'),
  );
  assert.throws(() => parseUpArgs(['--watch']), new UsageError('`--watch` needs `-f FILE_OR_DIR`'));
});

test('up takes --workers 1-64 or auto (one per CPU, at most 64); 1 by default; --issuer with a wildcard --host', () => {
  assert.equal(parseUpArgs([]).workers, 1);
  assert.equal(parseUpArgs(['--workers', '3']).workers, 3);
  assert.equal(parseUpArgs(['--workers', '64']).workers, 64);
  assert.equal(parseUpArgs(['--workers', 'auto']).workers, Math.min(availableParallelism(), 64));
  // Behind a wildcard address each worker could name the issuer after another address: --issuer then.
  for (const host of ['0.0.0.0', '::']) {
    assert.throws(
      () => parseUpArgs(['--workers', '2', '--host', host]),
      new UsageError(
        `\`--workers\` with \`--host ${host}\` needs \`--issuer URL\`, so that every worker names the same issuer`,
      ),
    );
    assert.equal(
      parseUpArgs(['--workers', '2', '--host', host, '--issuer', 'https://issuer.example']).workers,
      2,
    );
    assert.equal(parseUpArgs(['--host', host]).workers, 1);
  }
  for (const bad of ['0', '65', 'two', '1.5', '', '0x2']) {
    assert.throws(
      () => parseUpArgs(['--workers', bad]),
      new UsageError(`\`--workers\` expects 1-64 or \`auto\`, got \`${bad}\``),
    );
  }
});

test('up takes -f and --file, repeatable, in the order given', () => {
  assert.deepEqual(parseUpArgs(['-f', 'a.yaml', '--file', 'dir', '-f', 'b.yaml']).files, [
    'a.yaml',
    'dir',
    'b.yaml',
  ]);
});

test('up with a rejected manifest prints file, document and field, and exits 1 without starting', async () => {
  const tmp = await mkdtemp(join(tmpdir(), 'openirsa-up-unit-'));
  const t = io();
  try {
    const file = join(tmp, 'role.yaml');
    await writeFile(
      file,
      'apiVersion: v1\nkind: Namespace\nmetadata: {name: a}\n---\napiVersion: iam.services.k8s.aws/v1alpha1\nkind: Role\nmetadata: {name: r}\nspec: {name: r}\n',
    );
    assert.equal(await up(['--port', '0', '--data', join(tmp, 'd'), '-f', file], t.value), 1);
    assert.match(
      t.err.join(''),
      new RegExp(`${file}: document 2: spec.assumeRolePolicyDocument: a policy document is required`),
    );
    assert.equal(t.out.join(''), '');
    await assert.rejects(stat(join(tmp, 'd')), { code: 'ENOENT' });
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
});

test('up refuses a bad port, account or region with a usage error naming the flag', () => {
  assert.throws(
    () => parseUpArgs(['--port', '70000']),
    (e) => e instanceof UsageError && /`--port`/.test(e.message),
  );
  assert.throws(() => parseUpArgs(['--account', '12']), /`--account` expects 12 digits, got `12`/);
  assert.throws(() => parseUpArgs(['--region', 'US East']), /`--region`/);
});

test('openirsa up --help prints usage with an example and exits 0', async () => {
  const t = io();
  assert.equal(await main(['up', '--help'], t.value), 0);
  assert.match(t.out.join(''), /usage: openirsa up/);
  assert.match(t.out.join(''), /Example:/);
});

test('up serves on port 0 until stopped, prints the endpoint and credentials path, then returns 0', async () => {
  const tmp = await mkdtemp(join(tmpdir(), 'openirsa-up-unit-'));
  const t = io();
  const stop = new AbortController();
  try {
    const running = up(
      ['--port', '0', '--data', join(tmp, 'd'), '--account', '123456789012'],
      t.value,
      stop.signal,
    );
    let port: number | undefined;
    for (let i = 0; i < 200 && port === undefined; i++) {
      await new Promise((r) => setTimeout(r, 10));
      const m = /endpoint\s+http:\/\/127\.0\.0\.1:(\d+)/.exec(t.out.join(''));
      if (m) port = Number(m[1]);
    }
    assert.ok(port !== undefined, t.err.join(''));
    const status = await new Promise<number>((resolve, reject) => {
      request({ host: '127.0.0.1', port, path: '/_openirsa/health' }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      })
        .on('error', reject)
        .end();
    });
    assert.equal(status, 200);
    const text = t.out.join('');
    assert.match(text, /account\s+123456789012/);
    assert.match(text, new RegExp(`credentials\\s+${join(tmp, 'd', 'credentials')}`));
    assert.match(text, /AWS_PROFILE=openirsa/);
    stop.abort();
    assert.equal(await running, 0);
    assert.ok((await stat(join(tmp, 'd', 'openirsa.sqlite'))).isFile());
  } finally {
    stop.abort();
    await rm(tmp, { recursive: true, force: true });
  }
});

test('up --issuer takes an issuer URL and refuses one with a query, naming the flag', () => {
  assert.equal(
    parseUpArgs(['--issuer', 'https://oidc.example.test/id/ABC']).issuer,
    'https://oidc.example.test/id/ABC',
  );
  assert.equal(parseUpArgs([]).issuer, undefined);
  assert.throws(
    () => parseUpArgs(['--issuer', 'https://oidc.example.test/?x=1']),
    (e) => e instanceof UsageError && /`--issuer` expects an issuer URL/.test(e.message),
  );
  assert.throws(() => parseUpArgs(['--issuer', 'not a url']), /`--issuer`/);
});

test('up --issuer: discovery is served under the issuer path, and minted tokens carry that iss', async () => {
  const tmp = await mkdtemp(join(tmpdir(), 'openirsa-up-unit-'));
  const t = io();
  const stop = new AbortController();
  const issuer = 'https://oidc.eks.us-east-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE';
  try {
    const sa = join(tmp, 'sa.yaml');
    await writeFile(sa, 'apiVersion: v1\nkind: ServiceAccount\nmetadata: {name: app, namespace: team-a}\n');
    const running = up(
      ['--port', '0', '--data', join(tmp, 'd'), '--issuer', issuer, '-f', sa],
      t.value,
      stop.signal,
    );
    let port: number | undefined;
    for (let i = 0; i < 200 && port === undefined; i++) {
      await new Promise((r) => setTimeout(r, 10));
      const m = /endpoint\s+http:\/\/127\.0\.0\.1:(\d+)/.exec(t.out.join(''));
      if (m) port = Number(m[1]);
    }
    assert.ok(port !== undefined, t.err.join(''));
    assert.match(t.out.join(''), new RegExp(`issuer\\s+${issuer.replace(/[./]/g, '\\$&')}`));
    const path = '/id/EXAMPLED539D4633E53DE1B71EXAMPLE/.well-known/openid-configuration';
    const discovery = await fetch(`http://127.0.0.1:${port}${path}`);
    assert.equal(discovery.status, 200);
    const doc = (await discovery.json()) as { issuer: string; jwks_uri: string };
    assert.equal(doc.issuer, issuer);
    assert.equal(doc.jwks_uri, `${issuer}/openid/v1/jwks`);
    const tok = io();
    const withFiles: CommandIo = { ...tok.value, readFile: (f) => readFile(f, 'utf8') };
    const endpoint = `http://127.0.0.1:${port}`;
    const args = [
      'token',
      '--service-account',
      'team-a/app',
      '--endpoint',
      endpoint,
      '--data',
      join(tmp, 'd'),
    ];
    assert.equal(await main(args, withFiles), 0, tok.err.join(''));
    const payload = tok.out.join('').trim().split('.')[1] ?? '';
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString()) as { iss: string; sub: string };
    assert.equal(claims.iss, issuer);
    assert.equal(claims.sub, 'system:serviceaccount:team-a:app');
    stop.abort();
    assert.equal(await running, 0);
  } finally {
    stop.abort();
    await rm(tmp, { recursive: true, force: true });
  }
});

test('up --demo starts the proxy on a free port unless --proxy-port names one', () => {
  assert.equal(parseUpArgs([]).demo, undefined);
  assert.deepEqual([parseUpArgs(['--demo']).demo, parseUpArgs(['--demo']).proxyPort], [true, 0]);
  assert.equal(parseUpArgs(['--demo', '--proxy-port', '4567']).proxyPort, 4567);
});

test('up --proxy-port refuses a bad port, naming the flag', () => {
  assert.equal(parseUpArgs(['--proxy-port', '0']).proxyPort, 0);
  assert.equal(parseUpArgs([]).proxyPort, undefined);
  assert.throws(
    () => parseUpArgs(['--proxy-port', 'x']),
    /`--proxy-port` expects a port number 0-65535, got `x`/,
  );
});

test('up --proxy-port 0 prints the proxy and its CA, and serves AWS hosts through it over TLS', async () => {
  const tmp = await mkdtemp(join(tmpdir(), 'openirsa-up-unit-'));
  const t = io();
  const stop = new AbortController();
  try {
    const running = up(['--port', '0', '--proxy-port', '0', '--data', join(tmp, 'd')], t.value, stop.signal);
    let proxyPort: number | undefined;
    for (let i = 0; i < 300 && proxyPort === undefined; i++) {
      await new Promise((r) => setTimeout(r, 10));
      const m = /proxy\s+http:\/\/127\.0\.0\.1:(\d+) \(CA (\S+)\)/.exec(t.out.join(''));
      if (m) proxyPort = Number(m[1]);
    }
    assert.ok(proxyPort !== undefined, t.err.join(''));
    const caFile = join(tmp, 'd', 'ca', 'ca.pem');
    assert.match(
      t.out.join(''),
      new RegExp(`HTTPS_PROXY=http://127\\.0\\.0\\.1:${proxyPort} AWS_CA_BUNDLE=${caFile}`),
    );
    const ca = await readFile(caFile, 'utf8');
    const port = proxyPort;
    const status = await new Promise<number>((resolve, reject) => {
      request({ host: '127.0.0.1', port, method: 'CONNECT', path: 'sts.amazonaws.com:443' })
        .on('connect', (_res, socket) => {
          const tls = tlsConnect({ socket, servername: 'sts.amazonaws.com', ca }, () => {
            request(
              {
                path: '/_openirsa/health',
                headers: { host: 'sts.amazonaws.com' },
                createConnection: () => tls,
              },
              (res) => {
                res.resume();
                resolve(res.statusCode ?? 0);
                tls.destroy();
              },
            )
              .on('error', reject)
              .end();
          });
          tls.on('error', reject);
        })
        .on('error', reject)
        .end();
    });
    assert.equal(status, 200);
    stop.abort();
    assert.equal(await running, 0);
  } finally {
    stop.abort();
    await rm(tmp, { recursive: true, force: true });
  }
});
