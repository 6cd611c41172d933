/**
 * `openirsa up --workers 2` as a user runs it: a child process whose two workers serve one port. Each
 * test pins AWS SDK clients to one connection (a keep-alive agent of one socket) and finds, through
 * /proc, which worker holds the server end of it, so that "written on one worker, read on the other"
 * is what is tested, not what the connection scheduler happened to do.
 */
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { readdir, readFile, readlink, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { Agent, request as httpRequest } from 'node:http';
import { createServer as createNetServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import {
  CreateRoleCommand,
  DeleteRoleCommand,
  GetRoleCommand,
  IAMClient,
  NoSuchEntityException,
} from '@aws-sdk/client-iam';
import {
  CreateBucketCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  NoSuchKey,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { AssumeRoleWithWebIdentityCommand, GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { adminRequest } from '../../src/cli/admin-client.js';
import { freePort } from '../shared/free-port.js';
import { teamAppRoleManifest } from '../shared/irsa-manifests.js';
import { childPids } from '../shared/proc.js';

const cli = fileURLToPath(new URL('../../src/cli/main.js', import.meta.url));
const ACCOUNT = '000000000000';
const REGION = 'us-east-1';

interface Up {
  readonly child: ChildProcess;
  readonly port: number;
  readonly data: string;
  readonly credentials: { accessKeyId: string; secretAccessKey: string };
  readonly exited: Promise<number | null>;
  stderr(): string;
}

/** `up --workers 2 --port PORT` with the IRSA manifests of team-a/app, once it says it is up. */
async function startUp(tmp: string, extra: readonly string[] = []): Promise<Up> {
  const port = await freePort();
  const data = join(tmp, 'data');
  const manifest = join(tmp, 'irsa.yaml');
  await writeFile(
    manifest,
    `apiVersion: v1
kind: ServiceAccount
metadata: {name: app, namespace: team-a, annotations: {eks.amazonaws.com/role-arn: "arn:aws:iam::${ACCOUNT}:role/team-a-app"}}
---
${teamAppRoleManifest(ACCOUNT, port)}`,
  );
  const child = spawn(
    process.execPath,
    [cli, 'up', '--workers', '2', '--port', String(port), '--data', data, '-f', manifest, ...extra],
    { env: { ...process.env, AWS_EC2_METADATA_DISABLED: 'true' }, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  await new Promise<void>((resolve, reject) => {
    const timer = setInterval(() => {
      if (stdout.includes('Ctrl-C stops it.')) {
        clearInterval(timer);
        resolve();
      } else if (child.exitCode !== null) {
        clearInterval(timer);
        reject(new Error(`openirsa up exited early: ${stderr}`));
      }
    }, 20);
  });
  assert.match(stdout, /workers {6}2 processes serve the port/);
  const text = await readFile(join(data, 'credentials'), 'utf8');
  const credentials = {
    accessKeyId: /aws_access_key_id = (\S+)/.exec(text)?.[1] ?? '',
    secretAccessKey: /aws_secret_access_key = (\S+)/.exec(text)?.[1] ?? '',
  };
  return { child, port, data, credentials, exited, stderr: () => stderr };
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Which of `pids` holds the server end of the loopback connection from client port `clientPort`. */
async function holderOf(serverPort: number, clientPort: number, pids: readonly number[]): Promise<number> {
  const hexPort = (p: number) => p.toString(16).toUpperCase().padStart(4, '0');
  const rows = (await readFile('/proc/net/tcp', 'utf8')).split('\n').slice(1);
  const row = rows
    .map((line) => line.trim().split(/\s+/))
    .find((f) => f[1]?.endsWith(`:${hexPort(serverPort)}`) && f[2]?.endsWith(`:${hexPort(clientPort)}`));
  assert.ok(row !== undefined, `no server socket for client port ${clientPort}`);
  const inode = row[9];
  for (const pid of pids) {
    for (const fd of await readdir(`/proc/${pid}/fd`).catch(() => [] as string[])) {
      const target = await readlink(`/proc/${pid}/fd/${fd}`).catch(() => '');
      if (target === `socket:[${inode}]`) return pid;
    }
  }
  assert.fail(`no worker holds socket ${String(inode)}`);
}

/** One kept-alive connection, the worker that serves it, and clients that use only it. */
interface Pinned {
  readonly agent: Agent;
  readonly worker: number;
  readonly iam: IAMClient;
  readonly s3: S3Client;
  readonly sts: STSClient;
  /** `fetch` over this connection (for admin-client.ts `adminRequest`). */
  readonly fetch: typeof fetch;
  /** Connections the agent has opened so far. */
  readonly connections: () => number;
}

function agentFetch(agent: Agent): typeof fetch {
  return ((input: string | URL, init?: RequestInit) =>
    new Promise<Response>((resolve, reject) => {
      const url = new URL(String(input));
      const headers = Object.fromEntries(new Headers(init?.headers).entries());
      const req = httpRequest(url, { method: init?.method ?? 'GET', headers, agent }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve(new Response(Buffer.concat(chunks), { status: res.statusCode ?? 0 })));
        res.on('error', reject);
      });
      req.on('error', reject);
      req.end(typeof init?.body === 'string' ? init.body : undefined);
    })) as typeof fetch;
}

async function pin(up: Up, workers: readonly number[]): Promise<Pinned> {
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  // Counted, so that a test can tell that its connection was never replaced (by one the scheduler
  // could have handed to the other worker): see `stillPinned`.
  let connections = 0;
  const create = agent.createConnection.bind(agent);
  agent.createConnection = (...args: Parameters<typeof create>) => {
    connections++;
    return create(...args);
  };
  const clientPort = await new Promise<number>((resolve, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port: up.port, path: '/_openirsa/health', agent }, (res) => {
      // Read now: once the answer has ended, the socket goes back to the agent and `res.socket` is null.
      const local = res.socket.localPort ?? 0;
      res.resume();
      res.on('end', () => resolve(local));
    });
    req.on('error', reject);
    req.end();
  });
  const worker = await holderOf(up.port, clientPort, workers);
  const common = {
    endpoint: `http://127.0.0.1:${up.port}`,
    region: REGION,
    credentials: up.credentials,
    maxAttempts: 1,
    requestHandler: new NodeHttpHandler({ httpAgent: agent }),
  };
  return {
    agent,
    worker,
    iam: new IAMClient(common),
    s3: new S3Client({ ...common, forcePathStyle: true }),
    sts: new STSClient(common),
    fetch: agentFetch(agent),
    connections: () => connections,
  };
}

/** Asserts that each side still talks over the one connection it was pinned with, then closes them. */
function stillPinned(...sides: Pinned[]): void {
  for (const side of sides) {
    assert.equal(
      side.connections(),
      1,
      'a pinned connection was replaced: the test no longer knows its worker',
    );
    side.agent.destroy();
  }
}

/** One pinned connection to each of the two workers. */
async function pinBoth(up: Up): Promise<[Pinned, Pinned]> {
  const workers = await childPids(up.child.pid ?? 0);
  assert.equal(workers.length, 2, `two workers, found ${workers.join(', ')}`);
  const first = await pin(up, workers);
  // node:cluster hands connections to the workers in turn; a few tries find the other one.
  for (let i = 0; i < 20; i++) {
    const other = await pin(up, workers);
    if (other.worker !== first.worker) return [first, other];
    other.agent.destroy();
  }
  assert.fail('every connection went to one worker');
}

/** Runs `fn` against a fresh `up --workers 2`, then kills what is left of it and removes its files. */
async function withUp(fn: (up: Up) => Promise<void>): Promise<void> {
  const tmp = await mkdtemp(join(tmpdir(), 'openirsa-workers-'));
  try {
    const up = await startUp(tmp);
    try {
      await fn(up);
    } finally {
      if (up.child.exitCode === null) up.child.kill('SIGKILL');
      await up.exited;
    }
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
}

test('two workers serve one port: what one wrote, the other reads on the next request', async () => {
  await withUp(async (up) => {
    const [a, b] = await pinBoth(up);
    for (const side of [a, b]) {
      const me = await side.sts.send(new GetCallerIdentityCommand({}));
      assert.equal(me.Arn, `arn:aws:iam::${ACCOUNT}:root`);
    }
    const trust = JSON.stringify({
      Version: '2012-10-17',
      Statement: [
        { Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` }, Action: 'sts:AssumeRole' },
      ],
    });
    // Alternating sides: each write is read at once through the other worker, then deleted there and
    // found gone through the first.
    for (let i = 0; i < 12; i++) {
      const [writer, reader] = i % 2 === 0 ? [a, b] : [b, a];
      const name = `role-${i}`;
      await writer.iam.send(new CreateRoleCommand({ RoleName: name, AssumeRolePolicyDocument: trust }));
      const got = await reader.iam.send(new GetRoleCommand({ RoleName: name }));
      assert.equal(got.Role?.RoleName, name);
      await reader.iam.send(new DeleteRoleCommand({ RoleName: name }));
      await assert.rejects(writer.iam.send(new GetRoleCommand({ RoleName: name })), NoSuchEntityException);
    }
    await a.s3.send(new CreateBucketCommand({ Bucket: 'shared' }));
    await a.s3.send(new PutObjectCommand({ Bucket: 'shared', Key: 'k', Body: 'version -1' }));
    for (let i = 0; i < 12; i++) {
      const [writer, reader] = i % 2 === 0 ? [a, b] : [b, a];
      const body = `version ${i}`;
      // The reader reads the old version first, so that it holds it (its cached reads) when the
      // writer replaces it.
      const old = await reader.s3.send(new GetObjectCommand({ Bucket: 'shared', Key: 'k' }));
      assert.equal(await old.Body?.transformToString(), `version ${i - 1}`);
      await writer.s3.send(new PutObjectCommand({ Bucket: 'shared', Key: 'k', Body: body }));
      const got = await reader.s3.send(new GetObjectCommand({ Bucket: 'shared', Key: 'k' }));
      assert.equal(await got.Body?.transformToString(), body);
    }
    await b.s3.send(new DeleteObjectCommand({ Bucket: 'shared', Key: 'k' }));
    await assert.rejects(a.s3.send(new GetObjectCommand({ Bucket: 'shared', Key: 'k' })), NoSuchKey);
    stillPinned(a, b);
  });
});

test('a signing-key rotation on one worker is answered once the other has the new key', async () => {
  await withUp(async (up) => {
    const [a, b] = await pinBoth(up);
    const target = { endpoint: `http://127.0.0.1:${up.port}`, credentials: up.credentials };
    const mint = async (side: Pinned) => {
      const reply = await adminRequest(
        target,
        'POST',
        '/_openirsa/token',
        JSON.stringify({ namespace: 'team-a', serviceAccount: 'app' }),
        { fetch: side.fetch, now: Date.now() },
      );
      assert.equal(reply.status, 200, reply.text);
      const token = reply.body.token;
      assert.ok(typeof token === 'string');
      return token;
    };
    const kidOf = (token: string) =>
      (JSON.parse(Buffer.from(token.split('.')[0] ?? '', 'base64url').toString()) as { kid: string }).kid;
    const jwksKids = async (side: Pinned) => {
      const res = await side.fetch(`${target.endpoint}/openid/v1/jwks`);
      return ((await res.json()) as { keys: { kid: string }[] }).keys.map((k) => k.kid);
    };
    // Both workers have loaded the first key before the rotation: each mints with it.
    const before = kidOf(await mint(a));
    assert.equal(kidOf(await mint(b)), before);

    const rotated = await adminRequest(target, 'POST', '/_openirsa/rotate-signing-key', '{}', {
      fetch: a.fetch,
      now: Date.now(),
    });
    assert.equal(rotated.status, 200, rotated.text);
    const active = (rotated.body.active as { kid: string }).kid;
    assert.notEqual(active, before);

    // The other worker publishes the new key next to the old one and mints with it.
    assert.deepEqual(new Set(await jwksKids(b)), new Set([before, active]));
    const token = await mint(b);
    assert.equal(kidOf(token), active);
    // Tokens of either key are accepted by either worker.
    for (const [side, t] of [
      [a, token],
      [b, await mint(a)],
    ] as const) {
      const assumed = await side.sts.send(
        new AssumeRoleWithWebIdentityCommand({
          RoleArn: `arn:aws:iam::${ACCOUNT}:role/team-a-app`,
          RoleSessionName: 'workers',
          WebIdentityToken: t,
        }),
      );
      assert.match(assumed.AssumedRoleUser?.Arn ?? '', /assumed-role\/team-a-app\/workers$/);
    }
    stillPinned(a, b);
  });
});

test('SIGTERM: every worker writes all its audit lines and exits; up exits 0', async () => {
  await withUp(async (up) => {
    const [a, b] = await pinBoth(up);
    const workers = [a.worker, b.worker];
    // Both workers append to the same day file meanwhile: every line must still parse.
    const calls = 200;
    await Promise.all(
      Array.from({ length: calls }, (_, i) =>
        (i % 2 === 0 ? a : b).sts.send(new GetCallerIdentityCommand({})),
      ),
    );
    stillPinned(a, b);
    up.child.kill('SIGTERM');
    assert.equal(await up.exited, 0, up.stderr());
    for (const pid of workers) assert.equal(alive(pid), false, `worker ${pid} is gone`);
    const audit = join(up.data, 'audit');
    let lines: { eventName: string }[] = [];
    for (const file of await readdir(audit)) {
      const text = await readFile(join(audit, file), 'utf8');
      lines = lines.concat(
        text
          .trim()
          .split('\n')
          .map((l) => JSON.parse(l) as { eventName: string }),
      );
    }
    assert.equal(lines.filter((l) => l.eventName === 'GetCallerIdentity').length, calls);
  });
});

test('a worker that dies stops the others; up says which and exits 70', async () => {
  await withUp(async (up) => {
    const workers = await childPids(up.child.pid ?? 0);
    assert.equal(workers.length, 2);
    const [victim, other] = workers as [number, number];
    process.kill(victim, 'SIGKILL');
    assert.equal(await up.exited, 70, up.stderr());
    assert.match(up.stderr(), new RegExp(`worker \\d+ \\(pid ${victim}\\) was killed by SIGKILL; stopping`));
    assert.equal(alive(other), false, 'the other worker was stopped');
  });
});

test('a port in use is said once, and up exits 1', async () => {
  const tmp = await mkdtemp(join(tmpdir(), 'openirsa-workers-'));
  const taken = createNetServer();
  await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
  const address = taken.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  try {
    const child = spawn(
      process.execPath,
      [cli, 'up', '--workers', '2', '--port', String(port), '--data', join(tmp, 'data')],
      { env: { ...process.env, AWS_EC2_METADATA_DISABLED: 'true' }, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let stderr = '';
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    const code = await new Promise<number | null>((resolve) => child.once('exit', (c) => resolve(c)));
    assert.equal(code, 1, stderr);
    assert.equal(stderr.match(/cannot listen on 127\.0\.0\.1:\d+: the port is in use/g)?.length, 1, stderr);
  } finally {
    await new Promise((resolve) => taken.close(resolve));
    await rm(tmp, { recursive: true, force: true });
  }
});
