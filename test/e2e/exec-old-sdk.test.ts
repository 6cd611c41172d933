/**
 * The newcomer's first five minutes, as a user runs them: `openirsa up --demo --proxy-port 0` in a
 * child process, then the "try it" commands it prints, run exactly as printed, and `openirsa exec
 * --old-sdk` with Debian's boto3 1.26 (/usr/bin/python3) and AWS CLI 2.9 (/usr/bin/aws), which do not
 * read AWS_ENDPOINT_URL and reach openirsa through the transparent proxy alone. The old clients are
 * Debian packages that `.ci/run` installs when it can; without them those tests skip and say so.
 * Servers bind 127.0.0.1; every AWS client runs with AWS_EC2_METADATA_DISABLED=true.
 */
import assert from 'node:assert/strict';
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { access, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { cli, decoyCredentialsEnv } from './support.js';

const ACCOUNT = '000000000000';
const ASSUMED = new RegExp(`arn:aws:sts::${ACCOUNT}:assumed-role/team-a-app/`);

interface Up {
  readonly child: ChildProcess;
  readonly banner: string;
  readonly endpoint: string;
  stderr: string;
}

/** `openirsa up ARGS` until it has printed its banner (which ends with "Ctrl-C stops it."). */
function startUp(args: string[]): Promise<Up> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [cli, 'up', '--port', '0', ...args], {
      env: { ...process.env, AWS_EC2_METADATA_DISABLED: 'true' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    const up = { child, banner: '', endpoint: '', stderr: '' };
    child.stderr.on('data', (c: Buffer) => (up.stderr += c.toString()));
    child.stdout.on('data', (c: Buffer) => {
      out += c.toString();
      if (!out.includes('Ctrl-C stops it.')) return;
      const endpoint = /endpoint {5}(http:\/\/\S+)/.exec(out)?.[1];
      if (endpoint === undefined) return reject(new Error(`no endpoint in ${out}`));
      resolve({ ...up, banner: out, endpoint, child });
    });
    child.once('exit', (code) => reject(new Error(`openirsa up exited ${code}: ${up.stderr}`)));
  });
}

async function stopUp(up: Up | undefined): Promise<void> {
  if (up === undefined || up.child.exitCode !== null) return;
  const exited = new Promise((resolve) => up.child.once('exit', resolve));
  up.child.kill('SIGTERM');
  await exited;
}

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs a command with an environment holding keys and a profile that must not be used. */
function run(file: string, args: string[]): Promise<Run> {
  return new Promise((resolve) => {
    execFile(
      file,
      args,
      {
        cwd: tmp,
        env: {
          ...decoyCredentialsEnv(tmp),
          // One attempt: a refused request must not be retried with backoff.
          AWS_MAX_ATTEMPTS: '1',
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

/** A printed `npx openirsa ...` line, without its `# comment`, run with this build's CLI. */
function runPrinted(line: string): Promise<Run> {
  const words = line.replace(/#.*$/, '').trim().split(/\s+/);
  assert.deepEqual(words.slice(0, 2), ['npx', 'openirsa'], line);
  return run(process.execPath, [cli, ...words.slice(2)]);
}

function exists(path: string): Promise<boolean> {
  return access(path).then(
    () => true,
    () => false,
  );
}

function succeeds(file: string, args: string[]): Promise<boolean> {
  return new Promise((resolve) => execFile(file, args, (error) => resolve(error === null)));
}

let tmp = '';
let data = '';
let up: Up | undefined;

before(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'openirsa-e2e-demo-'));
  data = join(tmp, 'data');
  up = await startUp(['--demo', '--proxy-port', '0', '--data', data]);
});

after(async () => {
  await stopUp(up);
  await rm(tmp, { recursive: true, force: true });
});

function printed(): string[] {
  return (up?.banner ?? '').split('\n').filter((l) => /^\s+npx openirsa /.test(l));
}

test('`up --demo` prints exact commands: the allowed read works, the denied one is explained', async (t) => {
  const lines = printed();
  const identity = lines.find((l) => l.includes('sts get-caller-identity'));
  const allowed = lines.find((l) => l.includes('aws s3 ls s3://team-a-data') && !l.includes('--old-sdk'));
  const denied = lines.find((l) => l.includes('aws s3 ls s3://team-b-data'));
  const explain = lines.find((l) => l.includes('explain --last-denied'));
  assert.ok(identity && allowed && denied && explain, up?.banner);
  assert.ok(allowed.includes(`--data ${data}`) && allowed.includes(`--endpoint ${up?.endpoint ?? ''}`));
  if (!(await succeeds('aws', ['--version']))) {
    t.skip('no `aws` on PATH');
    return;
  }
  const who = await runPrinted(identity);
  assert.equal(who.code, 0, who.stderr);
  assert.match(who.stdout, ASSUMED);
  const listed = await runPrinted(allowed);
  assert.equal(listed.code, 0, listed.stderr);
  assert.match(listed.stdout, /\s18 hello\.txt$/m);
  const refused = await runPrinted(denied);
  assert.notEqual(refused.code, 0);
  assert.match(refused.stderr, /AccessDenied/);
  const why = await runPrinted(explain);
  assert.equal(why.code, 0, why.stderr);
  assert.match(
    why.stdout,
    /^implicitDeny: s3:ListObjectsV2 by arn:aws:sts::000000000000:assumed-role\/team-a-app\//,
  );
  assert.match(why.stdout, /s3:ListBucket on arn:aws:s3:::team-b-data: implicitDeny \(noIdentityAllow\)/);
  assert.match(
    why.stdout,
    /the resource `arn:aws:s3:::team-b-data` is not any of `arn:aws:s3:::team-a-data`/,
  );
});

const BOTO3_PROG = `
import json, boto3, botocore
from botocore.exceptions import ClientError
out = {'boto3': boto3.__version__}
s3 = boto3.client('s3')
out['endpoint'] = s3.meta.endpoint_url
out['arn'] = boto3.client('sts').get_caller_identity()['Arn']
out['buckets'] = sorted(b['Name'] for b in s3.list_buckets()['Buckets'])
out['keys'] = [o['Key'] for o in s3.list_objects_v2(Bucket='team-a-data').get('Contents', [])]
out['body'] = s3.get_object(Bucket='team-a-data', Key='hello.txt')['Body'].read().decode()
for name, call in [('listB', lambda: s3.list_objects_v2(Bucket='team-b-data')),
                   ('getB', lambda: s3.get_object(Bucket='team-b-data', Key='payroll.csv'))]:
    try:
        call()
        out[name] = 'allowed'
    except ClientError as e:
        out[name] = e.response['Error']['Code']
print(json.dumps(out))
`;

test('Debian boto3 1.26 (no AWS_ENDPOINT_URL) in `exec --old-sdk`: the role reads team-a-data, not team-b-data', async (t) => {
  if (!(await succeeds('dpkg', ['-s', 'python3-boto3'])) || !(await exists('/usr/bin/python3'))) {
    t.skip(
      'Debian python3-boto3 is not installed (dpkg -s python3-boto3); .ci/run installs it when apt works',
    );
    return;
  }
  const prog = join(tmp, 'prog.py');
  await writeFile(prog, BOTO3_PROG);
  const r = await run(process.execPath, [
    cli,
    'exec',
    '--old-sdk',
    '--endpoint',
    up?.endpoint ?? '',
    '--data',
    data,
    '--service-account',
    'team-a/app',
    '--',
    '/usr/bin/python3',
    prog,
  ]);
  assert.equal(r.code, 0, r.stderr);
  const out = JSON.parse(r.stdout) as Record<string, unknown>;
  t.diagnostic(`boto3 ${String(out.boto3)}`);
  // The real AWS host name: the request went through the proxy, and openirsa answered it.
  assert.equal(out.endpoint, 'https://s3.amazonaws.com');
  assert.match(String(out.arn), ASSUMED);
  assert.deepEqual(out.buckets, ['team-a-data', 'team-b-data']);
  assert.deepEqual(out.keys, ['hello.txt']);
  assert.equal(out.body, 'hello from team-a\n');
  assert.equal(out.listB, 'AccessDenied');
  assert.equal(out.getB, 'AccessDenied');
});

test('Debian AWS CLI 2.9 (/usr/bin/aws) in `exec --old-sdk`, as printed: allowed and denied', async (t) => {
  if (!(await exists('/usr/bin/aws'))) {
    t.skip('Debian awscli is not installed (/usr/bin/aws); .ci/run installs it when apt works');
    return;
  }
  const line = printed().find((l) => l.includes('--old-sdk'));
  assert.ok(line, up?.banner);
  const version = await run('/usr/bin/aws', ['--version']);
  t.diagnostic(version.stdout.trim() || version.stderr.trim());
  const allowed = await runPrinted(line);
  assert.equal(allowed.code, 0, allowed.stderr);
  assert.match(allowed.stdout, /\s18 hello\.txt$/m);
  const denied = await runPrinted(line.replace('s3://team-a-data', 's3://team-b-data'));
  assert.notEqual(denied.code, 0);
  assert.match(denied.stderr, /AccessDenied/);
});

test('`up --demo` again on the same data directory changes nothing and serves the same demo', async () => {
  await stopUp(up);
  up = await startUp(['--demo', '--data', data]);
  assert.equal(up.stderr, '');
  assert.doesNotMatch(up.banner, /new data directory/);
  // Without --proxy-port, --demo starts the proxy on a free port of its own.
  assert.match(up.banner, /proxy {8}http:\/\/127\.0\.0\.1:\d+ \(CA /);
  const script = `import boto3; print([o['Key'] for o in boto3.client('s3').list_objects_v2(Bucket='team-a-data')['Contents']])`;
  const probe = await succeeds('python3', ['-c', 'import boto3']);
  if (!probe) return;
  const r = await run(process.execPath, [
    cli,
    'exec',
    '--endpoint',
    up.endpoint,
    '--data',
    data,
    '--service-account',
    'team-a/app',
    '--',
    'python3',
    '-c',
    script,
  ]);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout.trim(), "['hello.txt']");
});

test("README troubleshooting: another namespace's service account is refused by the trust policy, and explained", async (t) => {
  if (!(await succeeds('python3', ['-c', 'import boto3']))) {
    t.skip('python3 boto3 is not installed');
    return;
  }
  const manifest = join(tmp, 'team-b.yaml');
  await writeFile(
    manifest,
    `apiVersion: v1
kind: ServiceAccount
metadata:
  name: app
  namespace: team-b
  annotations:
    eks.amazonaws.com/role-arn: arn:aws:iam::000000000000:role/team-a-app
`,
  );
  const target = ['--endpoint', up?.endpoint ?? '', '--data', data];
  const applied = await run(process.execPath, [cli, 'apply', ...target, '-f', manifest]);
  assert.equal(applied.code, 0, applied.stderr);
  const refused = await run(process.execPath, [
    cli,
    'exec',
    ...target,
    '--service-account',
    'team-b/app',
    '--',
    'python3',
    '-c',
    'import boto3; boto3.client("sts").get_caller_identity()',
  ]);
  assert.notEqual(refused.code, 0);
  assert.match(refused.stderr, /AccessDenied\) when calling the AssumeRoleWithWebIdentity operation/);
  const why = await run(process.execPath, [cli, 'explain', '--last-denied', '--data', data]);
  assert.equal(why.code, 0, why.stderr);
  assert.match(why.stdout, /^implicitDeny: sts:AssumeRoleWithWebIdentity by /);
  assert.match(
    why.stdout,
    /statement `TeamAApp` \(Allow, \/Statement\/0\): condition StringEquals on `127\.0\.0\.1:\d+:sub` failed: expected `system:serviceaccount:team-a:app`, the request has `system:serviceaccount:team-b:app`/,
  );
});
