/**
 * Operating openirsa as a user does, with real processes: `up --watch`, `apply [--prune]`,
 * `rotate-signing-key`, `token`, and denials with and without `--explain-denials`, checked through the
 * AWS SDK for JavaScript.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { GetRoleCommand, IAMClient } from '@aws-sdk/client-iam';
import { AssumeRoleWithWebIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { webIdentityTrust } from '../shared/web-identity-trust.js';
import { cli, rootCredentials } from './support.js';

const ACCOUNT = '000000000000';
const ENV = { ...process.env, AWS_EC2_METADATA_DISABLED: 'true' };

interface Up {
  readonly endpoint: string;
  readonly port: number;
  readonly out: { stdout: string; stderr: string };
  stop(): Promise<number | null>;
}

/** `openirsa up ARGS --port 0`, resolved once it printed its endpoint. */
async function startUp(args: string[]): Promise<Up> {
  const child = spawn(process.execPath, [cli, 'up', '--port', '0', ...args], {
    env: ENV,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const out = { stdout: '', stderr: '' };
  child.stdout.on('data', (c: Buffer) => (out.stdout += c.toString()));
  child.stderr.on('data', (c: Buffer) => (out.stderr += c.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const port = await until(() => {
    if (child.exitCode !== null) throw new Error(`openirsa up exited: ${out.stderr}`);
    const m = /endpoint +http:\/\/127\.0\.0\.1:(\d+)/.exec(out.stdout);
    return m?.[1] !== undefined && out.stdout.includes('Ctrl-C') ? Number(m[1]) : undefined;
  });
  return {
    endpoint: `http://127.0.0.1:${port}`,
    port,
    out,
    stop: async () => {
      if (child.exitCode === null) child.kill('SIGTERM');
      return exited;
    },
  };
}

/** Runs one CLI command to its end. */
function run(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, [cli, ...args], { env: ENV, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  return new Promise((resolve) => child.once('exit', (code) => resolve({ code, stdout, stderr })));
}

/** Polls `check` every 25 ms until it returns a value (at most 10 s). */
async function until<T>(check: () => T | undefined | Promise<T | undefined>): Promise<T> {
  for (let i = 0; i < 400; i++) {
    const v = await check();
    if (v !== undefined) return v;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error('timed out waiting');
}

async function rootIam(endpoint: string, data: string): Promise<IAMClient> {
  return new IAMClient({ endpoint, region: 'us-east-1', credentials: await rootCredentials(data) });
}

function serviceAccount(name: string): string {
  return `apiVersion: v1
kind: ServiceAccount
metadata: {name: ${name}, namespace: team-a}
`;
}

/** A role that service account team-a/app (only) of the issuer at `port` may assume. */
function role(name: string, port: number): string {
  const issuer = `127.0.0.1:${port}`;
  const trust = webIdentityTrust(`arn:aws:iam::${ACCOUNT}:oidc-provider/${issuer}`, {
    [`${issuer}:sub`]: 'system:serviceaccount:team-a:app',
  });
  return `apiVersion: iam.services.k8s.aws/v1alpha1
kind: Role
metadata: {name: ${name}}
spec:
  name: ${name}
  assumeRolePolicyDocument: '${trust}'
  inlinePolicies:
    read: {Version: "2012-10-17", Statement: [{Effect: Allow, Action: "s3:GetObject", Resource: "*"}]}
`;
}

async function roleExists(iam: IAMClient, name: string): Promise<boolean> {
  try {
    await iam.send(new GetRoleCommand({ RoleName: name }));
    return true;
  } catch (e) {
    if (/^NoSuchEntity/.test((e as { name?: string }).name ?? '')) return false;
    throw e;
  }
}

async function token(up: Up, data: string, sa: string): Promise<string> {
  const r = await run(['token', '--service-account', sa, '--endpoint', up.endpoint, '--data', data]);
  assert.equal(r.code, 0, r.stderr);
  return r.stdout.trim();
}

function sts(endpoint: string): STSClient {
  return new STSClient({
    endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'unused', secretAccessKey: 'unused' },
  });
}

async function assume(endpoint: string, roleName: string, webIdentityToken: string) {
  return sts(endpoint).send(
    new AssumeRoleWithWebIdentityCommand({
      RoleArn: `arn:aws:iam::${ACCOUNT}:role/${roleName}`,
      RoleSessionName: 's1',
      WebIdentityToken: webIdentityToken,
    }),
  );
}

async function deniedMessage(call: () => Promise<unknown>): Promise<string> {
  try {
    await call();
  } catch (e) {
    assert.equal((e as { name?: string }).name, 'AccessDenied');
    return (e as Error).message;
  }
  throw new Error('expected AccessDenied');
}

test('apply converges a running server, --prune deletes removed documents, --watch re-applies edits', async () => {
  const tmp = await mkdtemp(join(tmpdir(), 'openirsa-ops-'));
  const data = join(tmp, 'data');
  const watched = join(tmp, 'watched');
  const applied = join(tmp, 'applied');
  await mkdir(watched);
  await mkdir(applied);
  await writeFile(join(watched, 'sa.yaml'), serviceAccount('app'));
  const up = await startUp(['--data', data, '-f', watched, '--watch']);
  const iam = await rootIam(up.endpoint, data);
  const target = ['--endpoint', up.endpoint, '--data', data];
  try {
    assert.match(up.out.stdout, /ServiceAccount team-a\/app: created/);

    // apply: created, then unchanged; the store has the role.
    await writeFile(join(applied, 'roles.yaml'), `${role('one', up.port)}---\n${role('two', up.port)}`);
    const first = await run(['apply', '-f', applied, ...target]);
    assert.equal(first.code, 0, first.stderr);
    assert.match(first.stdout, /Role one: created\n {2}Role two: created\n/);
    assert.ok(await roleExists(iam, 'two'));
    const again = await run(['apply', '-f', applied, '--prune', ...target]);
    assert.match(again.stdout, /applied: 0 created, 0 updated, 2 unchanged, 0 deleted/);

    // A removed document: kept without --prune, deleted with it.
    await writeFile(join(applied, 'roles.yaml'), role('one', up.port));
    const kept = await run(['apply', '-f', applied, ...target]);
    assert.equal(kept.code, 0, kept.stderr);
    assert.ok(await roleExists(iam, 'two'));
    const pruned = await run(['apply', '-f', applied, '--prune', ...target]);
    assert.equal(pruned.code, 0, pruned.stderr);
    assert.match(pruned.stdout, /Role two: deleted/);
    assert.equal(await roleExists(iam, 'two'), false);

    // A bad file: file, document and field, exit 1, and nothing of the apply happens.
    await writeFile(
      join(applied, 'bad.yaml'),
      `${role('three', up.port)}---\n${role('four', up.port)}  maxSessionDuration: 60\n`,
    );
    const bad = await run(['apply', '-f', applied, '--prune', ...target]);
    assert.equal(bad.code, 1);
    assert.match(
      bad.stderr,
      new RegExp(`${join(applied, 'bad.yaml')}: document 2: spec\\.maxSessionDuration: `),
    );
    assert.equal(await roleExists(iam, 'three'), false);
    assert.ok(await roleExists(iam, 'one'));
    await rm(join(applied, 'bad.yaml'));

    // Watch: a new file is applied, a bad edit keeps the last good state, a removed document is pruned.
    await writeFile(join(watched, 'role.yaml'), role('watched', up.port));
    await until(async () => ((await roleExists(iam, 'watched')) ? true : undefined));
    await writeFile(join(watched, 'role.yaml'), 'kind: [\n');
    await until(() => (up.out.stderr.includes('keeping the last good state') ? true : undefined));
    assert.match(up.out.stderr, new RegExp(`${join(watched, 'role.yaml')}: document 1: YAML syntax error`));
    assert.ok(await roleExists(iam, 'watched'));
    await writeFile(join(watched, 'role.yaml'), serviceAccount('other'));
    await until(async () => ((await roleExists(iam, 'watched')) ? undefined : true));
    // Not created by manifests, the roles of `apply` are outside the watched paths: still there.
    assert.ok(await roleExists(iam, 'one'));

    // Unsigned, the admin routes refuse.
    const anonymous = await fetch(`${up.endpoint}/_openirsa/apply`, { method: 'POST', body: '{}' });
    assert.equal(anonymous.status, 403);
  } finally {
    iam.destroy();
    assert.equal(await up.stop(), 0, up.out.stderr);
    await rm(tmp, { recursive: true, force: true });
  }
});

test('rotate-signing-key: a token minted before rotation still assumes the role; the JWKS lists both keys', async () => {
  const tmp = await mkdtemp(join(tmpdir(), 'openirsa-rotate-'));
  const data = join(tmp, 'data');
  const up = await startUp(['--data', data, '--signing-algorithm', 'ES256']);
  try {
    await writeFile(join(tmp, 'm.yaml'), `${serviceAccount('app')}---\n${role('app', up.port)}`);
    const applied = await run([
      'apply',
      '-f',
      join(tmp, 'm.yaml'),
      '--endpoint',
      up.endpoint,
      '--data',
      data,
    ]);
    assert.equal(applied.code, 0, applied.stderr);
    const before = await token(up, data, 'team-a/app');
    const jwks = async () =>
      (
        (await (await fetch(`${up.endpoint}/openid/v1/jwks`)).json()) as {
          keys: { kid: string; alg: string }[];
        }
      ).keys;
    const [old] = await jwks();
    assert.equal(old?.alg, 'ES256');

    const rotated = await run(['rotate-signing-key', '--endpoint', up.endpoint, '--data', data]);
    assert.equal(rotated.code, 0, rotated.stderr);
    assert.match(rotated.stdout, new RegExp(`retired +${old?.kid ?? '?'}, in the JWKS until `));
    const keys = await jwks();
    assert.equal(keys.length, 2);
    assert.equal(keys[1]?.kid, old?.kid);
    assert.notEqual(keys[0]?.kid, old?.kid);

    const session = await assume(up.endpoint, 'app', before);
    assert.match(session.Credentials?.AccessKeyId ?? '', /^ASIA/);
    const after = await token(up, data, 'team-a/app');
    const header = JSON.parse(Buffer.from(after.split('.')[0] ?? '', 'base64url').toString()) as {
      kid?: string;
    };
    assert.equal(header.kid, keys[0]?.kid);
    assert.ok((await assume(up.endpoint, 'app', after)).Credentials);
  } finally {
    assert.equal(await up.stop(), 0, up.out.stderr);
    await rm(tmp, { recursive: true, force: true });
  }
});

/** A trust-policy denial (STS) and an identity-policy denial (IAM) against `up ARGS`. */
async function denials(args: string[]): Promise<{ sts: string; iam: string }> {
  const tmp = await mkdtemp(join(tmpdir(), 'openirsa-deny-'));
  const data = join(tmp, 'data');
  const up = await startUp(['--data', data, ...args]);
  try {
    await writeFile(join(tmp, 'm.yaml'), role('app', up.port));
    const applied = await run([
      'apply',
      '-f',
      join(tmp, 'm.yaml'),
      '--endpoint',
      up.endpoint,
      '--data',
      data,
    ]);
    assert.equal(applied.code, 0, applied.stderr);
    const stsMessage = await deniedMessage(async () =>
      assume(up.endpoint, 'app', await token(up, data, 'team-a/intruder')),
    );
    const session = await assume(up.endpoint, 'app', await token(up, data, 'team-a/app'));
    const c = session.Credentials;
    const iam = new IAMClient({
      endpoint: up.endpoint,
      region: 'us-east-1',
      credentials: {
        accessKeyId: c?.AccessKeyId ?? '',
        secretAccessKey: c?.SecretAccessKey ?? '',
        sessionToken: c?.SessionToken ?? '',
      },
    });
    const iamMessage = await deniedMessage(() => iam.send(new GetRoleCommand({ RoleName: 'app' })));
    iam.destroy();
    return { sts: stsMessage, iam: iamMessage };
  } finally {
    assert.equal(await up.stop(), 0, up.out.stderr);
    await rm(tmp, { recursive: true, force: true });
  }
}

test('without --explain-denials, AccessDenied carries AWS message exactly; with it, the explanation follows', async () => {
  const plain = await denials([]);
  assert.equal(plain.sts, `Not authorized to perform sts:AssumeRoleWithWebIdentity`);
  assert.match(
    plain.iam,
    new RegExp(
      `^User: arn:aws:sts::${ACCOUNT}:assumed-role/app/s1 is not authorized to perform: iam:GetRole on resource: arn:aws:iam::${ACCOUNT}:role/app$`,
    ),
  );
  const explained = await denials(['--explain-denials']);
  assert.ok(explained.sts.startsWith(`${plain.sts} (openirsa: implicitDeny: `), explained.sts);
  assert.match(explained.sts, /:sub/);
  assert.ok(explained.iam.startsWith(`${plain.iam} (openirsa: `), explained.iam);
  assert.match(explained.iam, / \(openirsa: implicitDeny: .*iam:GetRole.*\)$/);
});
