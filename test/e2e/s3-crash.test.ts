/**
 * Crash safety of object writes (DESIGN.md, "Storage": temporary file, fsync, rename, then the metadata
 * commit; docs/storage.md: objects of at most INLINE_MAX bytes are committed with their bytes in one
 * transaction instead). `openirsa up` runs as a child process; clients stream overwriting PUTs of a few keys with
 * distinct contents; the server is killed with SIGKILL at a random moment, several times, and restarted
 * on the same data directory. After each restart every object is an old or the new version, whole, with
 * an ETag that is the MD5 of its bytes, and the start-up sweep leaves no orphan blob or temporary file.
 * The keys cover inline sizes (`hot`), file sizes (`big/*`), and sizes either side of INLINE_MAX
 * (`edge`), so overwrites go inline → inline, file → file, inline → file and file → inline.
 *
 * The sweep keeps files younger than 15 minutes (SWEEP_MIN_AGE_MS: another server may be about to commit
 * them). The test plays the passing of that time by moving every file's mtime back before it restarts,
 * and plants one young temporary file to prove that rule holds too.
 */
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash, randomBytes, randomInt } from 'node:crypto';
import { mkdtemp, readdir, rm, stat, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import {
  CreateBucketCommand,
  GetObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { INLINE_MAX, SWEEP_MIN_AGE_MS } from '../../src/s3/blob-store.js';
import { cli, rootCredentials } from './support.js';

process.env.AWS_EC2_METADATA_DISABLED = 'true';

const BUCKET = 'crash-test';
/**
 * One small (inline) key overwritten fast, one whose sizes straddle INLINE_MAX, and three with bodies
 * large enough that a kill lands mid-write.
 */
const KEYS = [
  { key: 'hot', minBytes: 1, maxBytes: 4 * 1024 },
  { key: 'edge', minBytes: INLINE_MAX - 2048, maxBytes: INLINE_MAX + 2048 },
  { key: 'big/a', minBytes: 64 * 1024, maxBytes: 1024 * 1024 },
  { key: 'big/b', minBytes: 64 * 1024, maxBytes: 1024 * 1024 },
  { key: 'big/c', minBytes: 256 * 1024, maxBytes: 2 * 1024 * 1024 },
] as const;
const KILLS = 4;

interface Running {
  readonly child: ChildProcess;
  readonly port: number;
  readonly exited: Promise<void>;
}

async function startUp(data: string): Promise<Running> {
  const child = spawn(process.execPath, [cli, 'up', '--port', '0', '--data', data], {
    env: { ...process.env, AWS_EC2_METADATA_DISABLED: 'true' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (c: Buffer) => (stdout += c.toString()));
  child.stderr?.on('data', (c: Buffer) => (stderr += c.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setInterval(() => {
      const m = /endpoint\s+http:\/\/127\.0\.0\.1:(\d+)/.exec(stdout);
      if (m) {
        clearInterval(timer);
        resolve(Number(m[1]));
      } else if (child.exitCode !== null || child.signalCode !== null) {
        clearInterval(timer);
        reject(new Error(`openirsa up exited early: ${stderr}`));
      }
    }, 10);
  });
  return { child, port, exited };
}

function clientFor(port: number, credentials: { accessKeyId: string; secretAccessKey: string }) {
  return new S3Client({
    endpoint: `http://127.0.0.1:${port}`,
    region: 'us-east-1',
    forcePathStyle: true,
    credentials,
    maxAttempts: 1,
  });
}

const md5 = (bytes: Buffer) => createHash('md5').update(bytes).digest('hex');

/** What a key may hold after a crash: the last acknowledged version, or the one in flight. */
interface KeyState {
  acked?: string;
  inFlight?: string;
  writes: number;
}

/** Sequential overwriting PUTs of one key until a PUT fails (the server is gone). */
async function writeUntilFailure(
  client: S3Client,
  spec: (typeof KEYS)[number],
  state: KeyState,
  killed: () => boolean,
): Promise<void> {
  for (;;) {
    const body = randomBytes(randomInt(spec.minBytes, spec.maxBytes + 1));
    const digest = md5(body);
    state.inFlight = digest;
    try {
      const put = await client.send(new PutObjectCommand({ Bucket: BUCKET, Key: spec.key, Body: body }));
      assert.equal(put.ETag, `"${digest}"`);
    } catch (error) {
      // A PUT may fail only because the server was killed; its outcome is then unknown (old or new).
      if (!killed()) throw error;
      return;
    }
    state.acked = digest;
    state.inFlight = undefined;
    state.writes++;
  }
}

async function filesUnder(dir: string): Promise<string[]> {
  const out: string[] = [];
  let names: string[];
  try {
    names = await readdir(dir);
  } catch {
    return out;
  }
  for (const name of names) {
    const path = join(dir, name);
    if ((await stat(path)).isDirectory()) out.push(...(await filesUnder(path)));
    else out.push(path);
  }
  return out;
}

test('kill -9 during overwriting PUTs leaves every object old or new, whole, and no orphan files', async () => {
  const tmp = await mkdtemp(join(tmpdir(), 'openirsa-crash-'));
  const data = join(tmp, 'data');
  const objects = join(data, 'objects');
  let running = await startUp(data);
  try {
    const credentials = await rootCredentials(data);
    await clientFor(running.port, credentials).send(new CreateBucketCommand({ Bucket: BUCKET }));
    const states = new Map<string, KeyState>(KEYS.map((k) => [k.key, { writes: 0 }]));
    let crashedWrites = 0;

    for (let round = 0; round < KILLS; round++) {
      const client = clientFor(running.port, credentials);
      let killed = false;
      const writers = KEYS.map((spec) =>
        writeUntilFailure(client, spec, states.get(spec.key) ?? { writes: 0 }, () => killed),
      );
      // A random moment, late enough that some PUTs have completed and others are streaming.
      await new Promise((resolve) => setTimeout(resolve, randomInt(150, 700)));
      killed = true;
      running.child.kill('SIGKILL');
      await running.exited;
      await Promise.all(writers);
      client.destroy();
      crashedWrites += [...states.values()].filter((s) => s.inFlight !== undefined).length;

      // Fifteen minutes pass for every file the crash left; one young temporary file is planted.
      const past = new Date(Date.now() - SWEEP_MIN_AGE_MS - 60_000);
      for (const file of await filesUnder(objects)) await utimes(file, past, past);
      const young = join(objects, 'tmp', `young-${round}.tmp`);
      await writeFile(young, 'a write another server is doing');

      running = await startUp(data);
      const after = clientFor(running.port, credentials);
      let present = 0;
      let filesExpected = 0;
      for (const [key, state] of states) {
        let bytes: Buffer | undefined;
        let etag: string | undefined;
        try {
          const got = await after.send(new GetObjectCommand({ Bucket: BUCKET, Key: key }));
          bytes = Buffer.from(await (got.Body?.transformToByteArray() ?? new Uint8Array()));
          etag = got.ETag;
        } catch (e) {
          assert.equal((e as { name?: string }).name, 'NoSuchKey', `${key}: ${String(e)}`);
        }
        if (bytes === undefined) {
          assert.equal(state.acked, undefined, `${key}: an acknowledged object is gone`);
          continue;
        }
        present++;
        if (bytes.length > INLINE_MAX) filesExpected++;
        const digest = md5(bytes);
        assert.equal(etag, `"${digest}"`, `${key}: the ETag is the MD5 of the bytes`);
        assert.ok(
          digest === state.acked || digest === state.inFlight,
          `${key}: holds neither the last acknowledged version nor the one in flight (round ${round})`,
        );
        state.acked = digest;
        state.inFlight = undefined;
      }

      // The sweep kept the young temporary file and removed every stale one.
      const temporaries = (await filesUnder(join(objects, 'tmp'))).map((f) => f.slice(objects.length));
      assert.deepEqual(temporaries, [`/tmp/young-${round}.tmp`], 'stale temporary files remain');
      await rm(young);
      // One blob file per object larger than INLINE_MAX (no versioning), none for inline ones: any more is
      // an orphan the sweep missed.
      const blobs = (await filesUnder(objects)).filter((f) => /\/[0-9a-f]{64}$/.test(f));
      const listed = await after.send(new ListObjectsV2Command({ Bucket: BUCKET }));
      assert.equal(listed.KeyCount, present);
      assert.equal(
        blobs.length,
        filesExpected,
        `${blobs.length} blob files for ${filesExpected} objects larger than INLINE_MAX`,
      );
      after.destroy();
    }
    // The kills must have met writes: otherwise the test proved nothing.
    const completed = [...states.values()].reduce((n, s) => n + s.writes, 0);
    assert.ok(completed >= KEYS.length, `only ${completed} PUTs completed`);
    assert.ok(crashedWrites >= KILLS, `only ${crashedWrites} PUTs were cut by a kill`);
  } finally {
    if (running.child.exitCode === null && running.child.signalCode === null) {
      running.child.kill('SIGTERM');
      await running.exited;
    }
    await rm(tmp, { recursive: true, force: true });
  }
});
