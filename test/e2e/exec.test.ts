/**
 * `openirsa exec` as a user runs it: `openirsa up -f` in a child process, then commands run as a pod of
 * a service account, their AWS clients' default credential chains finding the web identity alone.
 */
import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import { mkdir, mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { teamAppRoleManifest } from '../shared/irsa-manifests.js';
import { cli, decoyCredentialsEnv, freePort, waitForHealth } from './support.js';

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
const ACCOUNT = '000000000000';
const ROLE_ARN = `arn:aws:iam::${ACCOUNT}:role/team-a-app`;

function manifests(port: number): string {
  return `apiVersion: v1
kind: ServiceAccount
metadata:
  name: app
  namespace: team-a
  annotations:
    eks.amazonaws.com/role-arn: ${ROLE_ARN}
    eks.amazonaws.com/sts-regional-endpoints: "true"
---
apiVersion: v1
kind: ServiceAccount
metadata: {name: plain, namespace: team-a}
---
${teamAppRoleManifest(ACCOUNT, port)}`;
}

let tmp = '';
let port = 0;
let up: ReturnType<typeof spawn> | undefined;
let upStderr = '';

before(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'openirsa-e2e-exec-'));
  await mkdir(join(tmp, 'manifests'));
  port = await freePort();
  await writeFile(join(tmp, 'manifests', 'app.yaml'), manifests(port));
  up = spawn(
    process.execPath,
    [cli, 'up', '--port', String(port), '--data', join(tmp, 'data'), '-f', join(tmp, 'manifests')],
    { env: { ...process.env, AWS_EC2_METADATA_DISABLED: 'true' }, stdio: ['ignore', 'ignore', 'pipe'] },
  );
  up.stderr?.on('data', (c: Buffer) => (upStderr += c.toString()));
  await waitForHealth(port, () => up?.exitCode ?? null);
});

after(async () => {
  if (up && up.exitCode === null) {
    const exited = new Promise((resolve) => up?.once('exit', resolve));
    up.kill('SIGTERM');
    await exited;
  }
  await rm(tmp, { recursive: true, force: true });
});

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** `openirsa exec ARGS`, with static keys and a profile in the environment that must not be used. */
function exec(args: string[], extraEnv: Record<string, string> = {}): Promise<Run> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [cli, 'exec', ...args],
      {
        cwd: repoRoot,
        env: {
          ...decoyCredentialsEnv(tmp),
          OPENIRSA_ENDPOINT: `http://127.0.0.1:${port}`,
          OPENIRSA_DATA: join(tmp, 'data'),
          ...extraEnv,
        },
        timeout: 60_000,
      },
      (error, stdout, stderr) => {
        const code = error === null ? 0 : typeof error.code === 'number' ? error.code : null;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

const SA = ['--service-account', 'team-a/app'];

test('boto3 default chain in `openirsa exec` gets the assumed-role ARN', async (t) => {
  const probe = await new Promise<boolean>((resolve) =>
    execFile('python3', ['-c', 'import boto3'], (error) => resolve(error === null)),
  );
  if (!probe) {
    t.skip('python3 boto3 is not installed');
    return;
  }
  const script = 'import boto3; print(boto3.client("sts").get_caller_identity()["Arn"])';
  const run = await exec([...SA, '--', 'python3', '-c', script]);
  assert.equal(run.code, 0, run.stderr);
  assert.match(
    run.stdout.trim(),
    new RegExp(`^arn:aws:sts::${ACCOUNT}:assumed-role/team-a-app/botocore-session-\\d+$`),
  );
});

test('the JS SDK default chain in `openirsa exec` gets the assumed-role ARN', async () => {
  const script = `const { STSClient, GetCallerIdentityCommand } = require('@aws-sdk/client-sts');
new STSClient({}).send(new GetCallerIdentityCommand({})).then((r) => console.log(r.Arn));`;
  const run = await exec([...SA, '--', process.execPath, '-e', script]);
  assert.equal(run.code, 0, run.stderr);
  assert.match(
    run.stdout.trim(),
    new RegExp(`^arn:aws:sts::${ACCOUNT}:assumed-role/team-a-app/aws-sdk-js-session-\\d+$`),
  );
});

test('the environment is the webhook one plus the endpoints; other variables and the exit code pass through', async () => {
  const script = `const e = process.env;
console.log(JSON.stringify(Object.fromEntries(Object.entries(e).filter(([k]) => k.startsWith('AWS_') || k === 'MINE'))));
process.exit(7);`;
  const run = await exec([...SA, '--', process.execPath, '-e', script], { MINE: 'kept' });
  assert.equal(run.code, 7, run.stderr);
  const env = JSON.parse(run.stdout) as Record<string, string>;
  const endpoint = `http://127.0.0.1:${port}`;
  const tokenFile = env.AWS_WEB_IDENTITY_TOKEN_FILE ?? '';
  assert.match(tokenFile, /openirsa-exec-[^/]+\/token$/);
  const absent = env.AWS_CONFIG_FILE ?? '';
  assert.deepEqual(env, {
    MINE: 'kept',
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_CONFIG_FILE: absent,
    AWS_SHARED_CREDENTIALS_FILE: absent,
    AWS_STS_REGIONAL_ENDPOINTS: 'regional',
    AWS_DEFAULT_REGION: 'us-east-1',
    AWS_REGION: 'us-east-1',
    AWS_ROLE_ARN: ROLE_ARN,
    AWS_WEB_IDENTITY_TOKEN_FILE: tokenFile,
    AWS_ENDPOINT_URL: endpoint,
    AWS_ENDPOINT_URL_STS: endpoint,
    AWS_ENDPOINT_URL_IAM: endpoint,
    AWS_ENDPOINT_URL_S3: endpoint,
  });
  // The token directory is gone once the command has ended.
  await assert.rejects(stat(tokenFile), { code: 'ENOENT' });
});

test('a service account without a role runs the command with no AWS variables; an unknown one is an error naming it', async () => {
  const script = `console.log(Object.keys(process.env).filter((k) => k.startsWith('AWS_') && k !== 'AWS_EC2_METADATA_DISABLED' && k !== 'AWS_CONFIG_FILE' && k !== 'AWS_SHARED_CREDENTIALS_FILE').join(','))`;
  const plain = await exec(['--service-account', 'team-a/plain', '--', process.execPath, '-e', script]);
  assert.equal(plain.code, 0, plain.stderr);
  assert.equal(plain.stdout.trim(), '');
  assert.match(plain.stderr, /`team-a\/plain` has no `eks.amazonaws.com\/role-arn` annotation/);
  const unknown = await exec(['--service-account', 'team-a/nobody', '--', 'true']);
  assert.equal(unknown.code, 1);
  assert.match(unknown.stderr, /no service account `team-a\/nobody`/);
  const missing = await exec([...SA, '--', 'openirsa-no-such-command']);
  assert.equal(missing.code, 127);
});

test('SIGTERM to exec reaches the command, whose signal death exits 143', async () => {
  const child = spawn(
    process.execPath,
    [cli, 'exec', ...SA, '--', process.execPath, '-e', "console.log('ready'); setInterval(() => {}, 1000)"],
    {
      env: {
        PATH: process.env.PATH ?? '/usr/bin:/bin',
        AWS_EC2_METADATA_DISABLED: 'true',
        OPENIRSA_ENDPOINT: `http://127.0.0.1:${port}`,
        OPENIRSA_DATA: join(tmp, 'data'),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  await new Promise<void>((resolve) =>
    child.stdout.on('data', (c: Buffer) => c.toString().includes('ready') && resolve()),
  );
  child.kill('SIGTERM');
  assert.equal(await exited, 143);
});

test('the token file is rewritten while the command runs (test-only fast rotation; tokens still live 600 s or more)', async () => {
  const script = `const fs = require('fs');
const file = process.env.AWS_WEB_IDENTITY_TOKEN_FILE;
const claims = (t) => JSON.parse(Buffer.from(t.split('.')[1], 'base64url').toString());
const first = fs.readFileSync(file, 'ascii');
const mode = (fs.statSync(file).mode & 0o777).toString(8);
const dirMode = (fs.statSync(require('path').dirname(file)).mode & 0o777).toString(8);
const started = Date.now();
const timer = setInterval(() => {
  const now = fs.readFileSync(file, 'ascii');
  if (now !== first || Date.now() - started > 10000) {
    clearInterval(timer);
    const a = claims(first), b = claims(now);
    console.log(JSON.stringify({ rotated: now !== first, mode, dirMode, jtis: [a.jti, b.jti],
      pods: [a['kubernetes.io'].pod.name, b['kubernetes.io'].pod.name],
      podUids: [a['kubernetes.io'].pod.uid, b['kubernetes.io'].pod.uid], lifetime: b.exp - b.iat, aud: b.aud }));
  }
}, 20);`;
  const run = await exec([
    ...SA,
    '--pod',
    'web-0',
    '--rotate-every-ms',
    '150',
    '--',
    process.execPath,
    '-e',
    script,
  ]);
  assert.equal(run.code, 0, run.stderr);
  const out = JSON.parse(run.stdout) as {
    rotated: boolean;
    mode: string;
    dirMode: string;
    jtis: string[];
    pods: string[];
    podUids: string[];
    lifetime: number;
    aud: string[];
  };
  assert.equal(out.rotated, true);
  assert.equal(out.mode, '600');
  assert.equal(out.dirMode, '700');
  assert.notEqual(out.jtis[0], out.jtis[1]);
  assert.deepEqual(out.pods, ['web-0', 'web-0']);
  assert.match(out.podUids[0] ?? '', /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  assert.equal(out.podUids[1], out.podUids[0]);
  assert.deepEqual(out.aud, ['sts.amazonaws.com']);
  // 86400 s requested (the webhook default), the server's maximum is 24 h.
  assert.equal(out.lifetime, 86400);
  assert.equal(upStderr.includes('eyJ'), false, 'no token is logged');
});

test('`exec --old-sdk` against a server without the transparent proxy is an error that says how to start it', async () => {
  const run = await exec(['--old-sdk', ...SA, '--', 'true']);
  assert.equal(run.code, 1);
  assert.match(
    run.stderr,
    /`--old-sdk` needs the transparent proxy, and `http:\/\/127\.0\.0\.1:\d+` runs none; start the server with `openirsa up --proxy-port 0`/,
  );
});
