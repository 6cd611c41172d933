/** `openirsa up -f DIR` as a user runs it: a child process that applies manifests before serving. */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import {
  GetRoleCommand,
  GetRolePolicyCommand,
  IAMClient,
  ListRolePoliciesCommand,
} from '@aws-sdk/client-iam';
import { teamAppRoleManifest } from '../shared/irsa-manifests.js';
import { cli, freePort, rootCredentials, waitForHealth } from './support.js';

const ACCOUNT = '000000000000';

function irsaManifests(port: number): string {
  return `apiVersion: v1
kind: ServiceAccount
metadata:
  name: app
  namespace: team-a
  annotations:
    eks.amazonaws.com/role-arn: arn:aws:iam::${ACCOUNT}:role/team-a-app
---
${teamAppRoleManifest(ACCOUNT, port, '{Effect: Allow, Action: "s3:GetObject", Resource: "arn:aws:s3:::team-a/*"}')}`;
}

function startUp(args: string[]) {
  const child = spawn(process.execPath, [cli, 'up', ...args], {
    env: { ...process.env, AWS_EC2_METADATA_DISABLED: 'true' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const out = { stdout: '', stderr: '' };
  child.stdout.on('data', (c: Buffer) => (out.stdout += c.toString()));
  child.stderr.on('data', (c: Buffer) => (out.stderr += c.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, out, exited };
}

test('openirsa up -f DIR applies a ServiceAccount and IRSA Role before serving; GetRole sees them', async () => {
  const tmp = await mkdtemp(join(tmpdir(), 'openirsa-up-f-'));
  const data = join(tmp, 'data');
  const dir = join(tmp, 'manifests');
  await mkdir(dir);
  const port = await freePort();
  await writeFile(join(dir, 'app.yaml'), irsaManifests(port));
  const { child, out, exited } = startUp(['--port', String(port), '--data', data, '-f', dir]);
  try {
    await waitForHealth(port, () => child.exitCode);
    assert.match(out.stdout, /Role team-a-app: created/);
    assert.match(out.stdout, /ServiceAccount team-a\/app: created/);
    const iam = new IAMClient({
      endpoint: `http://127.0.0.1:${port}`,
      region: 'us-east-1',
      credentials: await rootCredentials(data),
    });
    const role = await iam.send(new GetRoleCommand({ RoleName: 'team-a-app' }));
    assert.equal(role.Role?.Arn, `arn:aws:iam::${ACCOUNT}:role/team-a-app`);
    assert.match(role.Role?.RoleId ?? '', /^AROA/);
    assert.match(
      decodeURIComponent(role.Role?.AssumeRolePolicyDocument ?? ''),
      new RegExp(`127\\.0\\.0\\.1:${port}:sub`),
    );
    const names = await iam.send(new ListRolePoliciesCommand({ RoleName: 'team-a-app' }));
    assert.deepEqual(names.PolicyNames, ['read']);
    const read = await iam.send(new GetRolePolicyCommand({ RoleName: 'team-a-app', PolicyName: 'read' }));
    assert.match(decodeURIComponent(read.PolicyDocument ?? ''), /s3:GetObject/);
    iam.destroy();
    child.kill('SIGTERM');
    assert.equal(await exited, 0, out.stderr);
  } finally {
    if (child.exitCode === null) child.kill('SIGKILL');
    await rm(tmp, { recursive: true, force: true });
  }
});

test('openirsa up -f with a rejected manifest exits 1 naming the file, document and field', async () => {
  const tmp = await mkdtemp(join(tmpdir(), 'openirsa-up-f-'));
  try {
    const file = join(tmp, 'bad.yaml');
    await writeFile(
      file,
      `apiVersion: iam.services.k8s.aws/v1alpha1
kind: Role
metadata: {name: r}
spec:
  name: r
  assumeRolePolicyDocument: '{"Version":"2012-10-17","Statement":[]}'
  maxSessionDuration: 60
`,
    );
    const { out, exited } = startUp(['--port', '0', '--data', join(tmp, 'data'), '-f', file]);
    assert.equal(await exited, 1);
    assert.match(out.stderr, new RegExp(`${file}: document 1: spec\\.maxSessionDuration: `));
    assert.match(out.stderr, /not starting/);
    assert.doesNotMatch(out.stdout, /openirsa is up/);
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
});
