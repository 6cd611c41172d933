/** `openirsa up` as a user runs it: a child process on 127.0.0.1, a free port, stopped with SIGTERM. */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { send, signedQuery, xmlText } from './support.js';

const cli = fileURLToPath(new URL('../../src/cli/main.js', import.meta.url));

test('openirsa up --port 0 serves health, writes 0600 credentials, exits 0 on SIGTERM', async () => {
  const tmp = await mkdtemp(join(tmpdir(), 'openirsa-up-'));
  const data = join(tmp, 'data');
  const child = spawn(process.execPath, [cli, 'up', '--port', '0', '--data', data], {
    env: { ...process.env, AWS_EC2_METADATA_DISABLED: 'true' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  try {
    const port = await new Promise<number>((resolve, reject) => {
      const timer = setInterval(() => {
        const m = /endpoint\s+http:\/\/127\.0\.0\.1:(\d+)/.exec(stdout);
        if (m) {
          clearInterval(timer);
          resolve(Number(m[1]));
        } else if (child.exitCode !== null) {
          clearInterval(timer);
          reject(new Error(`openirsa up exited early: ${stderr}`));
        }
      }, 20);
    });
    const health = await send(port, 'GET', '/_openirsa/health', {});
    assert.equal(health.status, 200);
    assert.deepEqual(JSON.parse(health.body), { status: 'ok' });

    const credentials = join(data, 'credentials');
    assert.equal((await stat(credentials)).mode & 0o777, 0o600);
    assert.equal((await stat(data)).mode & 0o777, 0o700);
    const text = await readFile(credentials, 'utf8');
    assert.match(
      text,
      /^\[openirsa\]\naws_access_key_id = AKIA[A-Z2-7]{16}\naws_secret_access_key = \S{40}\n$/,
    );
    assert.match(stdout, /AWS_SHARED_CREDENTIALS_FILE=.*credentials AWS_PROFILE=openirsa/);
    const accessKeyId = /aws_access_key_id = (\S+)/.exec(text)?.[1] ?? '';
    const secretAccessKey = /aws_secret_access_key = (\S+)/.exec(text)?.[1] ?? '';
    assert.ok(!stdout.includes(secretAccessKey), 'the secret is never printed');
    const r = await signedQuery(port, 'Action=GetCallerIdentity&Version=2011-06-15', {
      accessKeyId,
      secretAccessKey,
    });
    assert.equal(r.status, 200, r.body);
    assert.equal(xmlText(r.body, 'Arn'), 'arn:aws:iam::000000000000:root');

    child.kill('SIGTERM');
    assert.equal(await exited, 0, stderr);
  } finally {
    if (child.exitCode === null) child.kill('SIGKILL');
    await rm(tmp, { recursive: true, force: true });
  }
});
