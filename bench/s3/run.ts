/**
 * S3 throughput, side by side in one run with `s3rver` (a popular S3 emulator that checks signatures but
 * authorizes nothing) and with the physical limit, a bare `node:http` server that streams the same bytes
 * to and from files (bare-server.ts). Each server runs in its own process; openirsa is `openirsa up` with
 * a real data directory (audit log on) and requests signed as the bucket owner's root.
 *
 * 1. Large objects first (so that the servers' peak RSS is theirs, not the small-object load's): PutObject
 *    then GetObject of a medium and a 1 GiB object, bytes generated on the fly by the transfer process
 *    (`UNSIGNED-PAYLOAD`, as SDKs send over TLS). MB/s, and each server's VmHWM after each size. Target:
 *    ≥ 80 % of the limit, and a peak RSS that does not grow with the object size.
 * 2. Signed PutObject and GetObject of 4 KiB objects, from a pool of requests signed beforehand with
 *    `@smithy/signature-v4` (SigV4 allows replay for 15 minutes of clock skew, longer than a run).
 *    Requests/s and p50/p99. Targets: ≥ 3× s3rver and ≥ 60 % of the limit.
 * 3. ListObjectsV2 pages of 1000 keys over a 100,000-key bucket (each request one page, by
 *    `start-after`). Pages/s. openirsa's bucket is written through the store API into the data directory
 *    before the server starts (a bulk load in one transaction: seconds, where 100,000 PUTs would take a
 *    minute); s3rver's through parallel PUTs (its file layout is its own business); the limit keeps the
 *    keys in a sorted array.
 *
 * The load comes from separate processes over keep-alive connections (load.ts: raw HTTP/1.1 on
 * sockets, requests serialized up front, so that the load process costs a fraction of what the servers
 * do — `node:http`'s client was the bottleneck on 2 cores); servers are measured in alternating rounds
 * so that background noise hits all alike, and the best round of each is reported. Each row also shows
 * the server's CPU per request (user + system of its processes, from /proc/<pid>/stat, all threads) and
 * the load process's CPU: on a shared machine throughput is noisy, CPU per request much less so.
 *
 * What each peer does per PUT: the limit fsyncs a file per object, renames it and fsyncs its directory
 * before answering. openirsa does the same for objects larger than 64 KiB (then commits the metadata row,
 * grouped with concurrent PUTs); an object of at most 64 KiB goes into its store with its row, a WAL
 * append fsynced once per group commit and no file (docs/storage.md) — different durable work from the
 * limit's, so for 4 KiB PUTs its ratio to the limit can exceed 100 %. s3rver fsyncs nothing. It never
 * fails the build.
 *
 *   npm run bench:s3
 *   node dist/bench/s3/run.js --quick        # shorter rounds, smaller objects and bucket, noisier
 *   node dist/bench/s3/run.js --profile DIR  # also writes a V8 CPU profile of the openirsa process
 *   node dist/bench/s3/run.js --only small   # one part: large, small or list (e.g. to profile it)
 *   node dist/bench/s3/run.js --only small-get   # (or small-put) one half of the small part, to profile it alone
 *   node dist/bench/s3/run.js --syscalls     # small objects: also openirsa's syscalls per request (strace -c -f)
 *   node dist/bench/s3/run.js --workers 2    # openirsa as `up --workers 2`: CPU summed over its processes,
 *                                            # VmHWM the largest of them
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { Agent, request } from 'node:http';
import os from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Hash } from '@smithy/hash-node';
import { SignatureV4 } from '@smithy/signature-v4';
import { openDataDir } from '../../src/server/data-dir.js';
import { systemClock } from '../../src/shared/clock.js';
import { randomIds } from '../../src/shared/ids.js';
import { freePort, runNode, serverCpuMicros, serverPids, startChild } from '../shared/processes.js';
import { BUCKET, LIST_BUCKET, listKey } from './keys.js';
import type { LoadResult, LoadSpec, PooledRequest } from './load.js';
import type { TransferResult, TransferSpec } from './transfer.js';

const QUICK = process.argv.includes('--quick');
const PROFILE_AT = process.argv.indexOf('--profile');
const PROFILE_DIR = PROFILE_AT > 0 ? process.argv[PROFILE_AT + 1] : undefined;
/** `strace -c -f` attached to openirsa during the small-object rounds (it slows the server: a diagnosis). */
const SYSCALLS = process.argv.includes('--syscalls');
const ONLY_AT = process.argv.indexOf('--only');
const ONLY = ONLY_AT > 0 ? process.argv[ONLY_AT + 1] : undefined;
const WORKERS_AT = process.argv.indexOf('--workers');
/** `--workers N`: openirsa runs as `up --workers N`. */
const WORKERS = WORKERS_AT > 0 ? process.argv[WORKERS_AT + 1] : undefined;
const part = (name: 'large' | 'small' | 'list') =>
  ONLY === undefined || ONLY === name || ONLY.startsWith(`${name}-`);
/** `--only small-get` or `--only small-put`: one half of the small-object part (a profile of one path). */
const smallHalf = (name: 'get' | 'put') =>
  ONLY === undefined || !ONLY.startsWith('small-') || ONLY === `small-${name}`;
const ROUND_SECONDS = QUICK ? 1.5 : 4;
const ROUNDS = QUICK ? 2 : 3;
const CONNECTIONS = 16;
const SMALL_SIZE = 4096;
const POOL = 256;
const MIB = 1024 * 1024;
const LARGE_SIZES = QUICK ? [32 * MIB, 256 * MIB] : [64 * MIB, 1024 * MIB];
const LIST_KEYS = QUICK ? 10_000 : 100_000;
const PAGE = 1000;
const ACCOUNT = '000000000000';
const REGION = 'us-east-1';
const SMALL_VS_S3RVER = 3;
const SMALL_VS_LIMIT = 0.6;
const LARGE_VS_LIMIT = 0.8;
/** Peak RSS "does not grow" when the large object adds less than this to it. */
const RSS_SLACK = 64 * MIB;

const here = (name: string) => fileURLToPath(new URL(name, import.meta.url));
const cli = fileURLToPath(new URL('../../src/cli/main.js', import.meta.url));

interface Credentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
}

interface Target {
  readonly name: string;
  readonly port: number;
  readonly pid: number;
  readonly signer: SignatureV4;
}

function signerFor(credentials: Credentials): SignatureV4 {
  return new SignatureV4({
    credentials,
    region: REGION,
    service: 's3',
    sha256: Hash.bind(null, 'sha256'),
    uriEscapePath: false,
  });
}

/** A path-style request signed as the SDKs sign it (`x-amz-content-sha256` of the body, or as given). */
async function sign(
  t: Target,
  method: string,
  path: string,
  query: Readonly<Record<string, string>>,
  body: Buffer | undefined,
  extra: Readonly<Record<string, string>> = {},
): Promise<PooledRequest> {
  const headers: Record<string, string> = { host: `127.0.0.1:${t.port}`, ...extra };
  if (body !== undefined) headers['content-length'] = String(body.length);
  if (headers['x-amz-content-sha256'] === undefined) {
    headers['x-amz-content-sha256'] = createHash('sha256')
      .update(body ?? Buffer.alloc(0))
      .digest('hex');
  }
  const signed = await t.signer.sign({
    method,
    protocol: 'http:',
    hostname: '127.0.0.1',
    port: t.port,
    path,
    query,
    headers,
  });
  const search = Object.entries(query)
    .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`)
    .join('&');
  return {
    method,
    path: search === '' ? path : `${path}?${search}`,
    headers: Object.fromEntries(Object.entries(signed.headers).map(([k, v]) => [k.toLowerCase(), String(v)])),
    withBody: body !== undefined,
  };
}

const setupAgent = new Agent({ keepAlive: true, maxSockets: 32 });

/** Sends one request during setup; rejects unless it answers 200. */
function sendOne(port: number, r: PooledRequest, body: Buffer | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    const req = request(
      { host: '127.0.0.1', port, method: r.method, path: r.path, headers: r.headers, agent: setupAgent },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          res.statusCode === 200
            ? resolve()
            : reject(
                new Error(
                  `${r.method} ${r.path}: ${res.statusCode} ${Buffer.concat(chunks).toString().slice(0, 300)}`,
                ),
              ),
        );
      },
    );
    req.on('error', reject);
    req.end(r.withBody ? body : undefined);
  });
}

/** Runs `count` jobs, `parallel` at a time. */
async function inParallel(count: number, parallel: number, job: (i: number) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < count) await job(next++);
  };
  await Promise.all(Array.from({ length: parallel }, worker));
}

/** The peak RSS of a server: the largest of its processes' (`up --workers N` has several). */
async function peakRss(pid: number): Promise<number> {
  let peak = Number.NaN;
  for (const p of await serverPids(pid)) {
    const status = await readFile(`/proc/${p}/status`, 'utf8').catch(() => '');
    const kib = /^VmHWM:\s+(\d+) kB/m.exec(status)?.[1];
    if (kib !== undefined && !(Number(kib) * 1024 <= peak)) peak = Number(kib) * 1024;
  }
  return peak;
}

/** A load round's spec, with the pid of the server it loads (for its CPU). */
type RunSpec = Omit<LoadSpec, 'connections' | 'seconds'> & { readonly pid: number };

/** A round's result with the server's CPU per request. */
interface Measured extends LoadResult {
  readonly serverCpuPerRequest: number;
}

let specCounter = 0;
/** Load requests answered per server port, over the whole run (to turn a profile's µs into µs/request). */
const servedByPort = new Map<number, number>();
async function load(dir: string, spec: RunSpec): Promise<Measured> {
  const file = join(dir, `load-${specCounter++}.json`);
  await writeFile(file, JSON.stringify({ ...spec, connections: CONNECTIONS, seconds: ROUND_SECONDS }));
  const before = await serverCpuMicros(spec.pid);
  const result = JSON.parse(await runNode([here('./load.js'), file])) as LoadResult;
  servedByPort.set(spec.port, (servedByPort.get(spec.port) ?? 0) + result.requests);
  const used = (await serverCpuMicros(spec.pid)) - before;
  await rm(file, { force: true });
  if (result.unexpected > 0) {
    throw new Error(`${result.unexpected} unexpected answers, first: ${result.firstUnexpected ?? ''}`);
  }
  return { ...result, serverCpuPerRequest: used / Math.max(1, result.requests) };
}

/** Alternating rounds over the targets; the best round of each. */
async function alternate(
  dir: string,
  specs: readonly (RunSpec | undefined)[],
  names: readonly string[],
): Promise<(Measured | undefined)[]> {
  const best: (Measured | undefined)[] = specs.map(() => undefined);
  // Warm-up (JIT, caches); a server that fails here still gets its measured rounds.
  for (const spec of specs) if (spec !== undefined) await load(dir, spec).catch(() => undefined);
  for (let r = 0; r < ROUNDS; r++) {
    for (const [i, spec] of specs.entries()) {
      if (spec === undefined) continue;
      const result = await load(dir, spec).catch((error: unknown) => {
        const message = error instanceof Error ? error.message : String(error);
        console.log(`  (${names[i] ?? spec.port}: ${message.slice(0, 200).replace(/\s+/g, ' ')})`);
        return undefined;
      });
      if (result !== undefined && (best[i]?.perSecond ?? -1) < result.perSecond) best[i] = result;
    }
  }
  return best;
}

function row(name: string, r: Measured | undefined, unit: string): string {
  if (r === undefined) return `  ${name.padEnd(28)}      (failed, see above)`;
  const loadCore = r.loadCpuMicros / (r.seconds * 1e6);
  return `  ${name.padEnd(12)}${r.perSecond.toFixed(0).padStart(7)} ${unit}   p50 ${(r.p50Micros / 1000).toFixed(2).padStart(6)} ms   p99 ${(r.p99Micros / 1000).toFixed(2).padStart(6)} ms   server CPU ${r.serverCpuPerRequest.toFixed(0).padStart(5)} µs/req   load CPU ${(loadCore * 100).toFixed(0).padStart(3)} %`;
}

/** How many times the CPU per request of `other` is ours (2× = we spend half as much). */
function cpuLine(label: string, ours: Measured | undefined, other: Measured | undefined): string {
  if (ours === undefined || other === undefined || ours.serverCpuPerRequest === 0) return `  ${label}: n/a`;
  return `  ${label}: ${(other.serverCpuPerRequest / ours.serverCpuPerRequest).toFixed(2)}× (its µs/req ÷ ours)`;
}

function ratioLine(
  label: string,
  ours: number | undefined,
  other: number | undefined,
  target?: number,
): string {
  if (ours === undefined || other === undefined || other === 0) return `  ${label}: n/a`;
  const ratio = ours / other;
  const verdict =
    target === undefined
      ? ''
      : `; target ≥ ${target < 1 ? `${target * 100} %` : `${target}×`}: ${ratio >= target ? 'PASS' : 'MISS'}`;
  const shown =
    target !== undefined && target >= 1 ? `${ratio.toFixed(2)}×` : `${(ratio * 100).toFixed(0)} %`;
  return `  ${label}: ${shown}${verdict}`;
}

/** Populates openirsa's data directory before it starts: the two buckets and the listing bucket's keys. */
async function populateOpenirsa(data: string): Promise<Credentials> {
  const opened = await openDataDir({ dir: data, accountId: ACCOUNT, clock: systemClock, ids: randomIds });
  const now = Date.now();
  try {
    for (const name of [BUCKET, LIST_BUCKET]) {
      await opened.store.buckets.create({ name, accountId: ACCOUNT, region: REGION, createdAt: now });
    }
    await opened.store.transaction(async (tx) => {
      for (let i = 0; i < LIST_KEYS; i++) {
        // Listing reads metadata only; these objects share one (absent) blob that nothing reads.
        await tx.objects.put({
          bucket: LIST_BUCKET,
          key: listKey(i),
          size: 0,
          etag: '"d41d8cd98f00b204e9800998ecf8427e"',
          metadata: [],
          checksums: {},
          lastModified: now,
          blobId: 'bench-list-empty',
        });
      }
    });
  } finally {
    await opened.store.close();
  }
  const text = await readFile(opened.credentialsPath, 'utf8');
  const secretAccessKey = /aws_secret_access_key = (\S+)/.exec(text)?.[1];
  if (secretAccessKey === undefined) throw new Error('no secret in the credentials file');
  return { accessKeyId: opened.accessKeyId, secretAccessKey };
}

/** One large transfer's rate, MB/s (NaN if it failed), and the server's CPU per GiB moved, s. */
interface Transferred {
  readonly rate: number;
  readonly cpu: number;
}

/**
 * Large objects, each size in turn: the PUT, then the GET, each in ROUNDS rounds that alternate between
 * the servers (a PUT overwrites the object of the round before), as the small objects are measured, so
 * that a moment of background noise hits one round of one server, not its only figure. The best rate of
 * each server and its lowest CPU per GiB are reported. (One transfer per server, as before session 7,
 * made the 1 GiB GET flip between 73 % and 90 % of the limit from run to run on the same code.)
 */
async function largeObjects(targets: readonly Target[]): Promise<void> {
  console.log(
    `Large objects: PutObject then GetObject (MB/s, best of ${ROUNDS} alternating rounds), peak RSS of each server after each size`,
  );
  const results = new Map<string, { put: number; get: number; rss: number }>();
  for (const size of LARGE_SIZES) {
    const key = `/${BUCKET}/large-${size}`;
    const run = async (t: Target, spec: TransferSpec): Promise<Transferred> => {
      const before = await serverCpuMicros(t.pid);
      const r = JSON.parse(await runNode([here('./transfer.js'), JSON.stringify(spec)])) as TransferResult;
      const cpu = ((await serverCpuMicros(t.pid)) - before) / 1e6 / (size / (1024 * MIB));
      if (r.status !== 200 || r.bytes !== size) {
        console.log(`  ${t.name} ${spec.method}: ${r.status} ${r.bytes} bytes ${r.error ?? ''}`);
        return { rate: Number.NaN, cpu };
      }
      return { rate: r.mbPerSecond, cpu };
    };
    /** Each server's rounds of one method, alternating; the best rate and the lowest CPU, maybe of different rounds. */
    const rounds = async (method: 'PUT' | 'GET'): Promise<Transferred[]> => {
      const specs: TransferSpec[] = [];
      for (const t of targets) {
        const signed =
          method === 'PUT'
            ? await sign(t, 'PUT', key, {}, undefined, {
                'content-length': String(size),
                'x-amz-content-sha256': 'UNSIGNED-PAYLOAD',
              })
            : await sign(t, 'GET', key, {}, undefined);
        specs.push({
          port: t.port,
          method,
          path: signed.path,
          headers: signed.headers,
          bytes: method === 'PUT' ? size : 0,
        });
      }
      const all: Transferred[][] = targets.map(() => []);
      for (let r = 0; r < ROUNDS; r++) {
        for (const [i, t] of targets.entries()) all[i]?.push(await run(t, specs[i] as TransferSpec));
      }
      // A failed round makes the best rate NaN, and its CPU (a partial transfer's) is left out.
      return all.map((list) => ({
        rate: list.some((m) => Number.isNaN(m.rate)) ? Number.NaN : Math.max(...list.map((m) => m.rate)),
        cpu: Math.min(...list.filter((m) => !Number.isNaN(m.rate)).map((m) => m.cpu)),
      }));
    };
    const puts = await rounds('PUT');
    const gets = await rounds('GET');
    for (const [i, t] of targets.entries()) {
      const put = puts[i] ?? { rate: Number.NaN, cpu: Number.NaN };
      const get = gets[i] ?? { rate: Number.NaN, cpu: Number.NaN };
      const rss = await peakRss(t.pid);
      results.set(`${t.name}/${size}`, { put: put.rate, get: get.rate, rss });
      console.log(
        `  ${`${t.name}, ${size / MIB} MiB`.padEnd(22)} PUT ${put.rate.toFixed(0).padStart(5)} MB/s (CPU ${put.cpu.toFixed(2)} s/GiB)   GET ${get.rate.toFixed(0).padStart(5)} MB/s (CPU ${get.cpu.toFixed(2)} s/GiB)   VmHWM ${(rss / MIB).toFixed(0).padStart(5)} MiB`,
      );
    }
  }
  const big = LARGE_SIZES[LARGE_SIZES.length - 1] ?? 0;
  const medium = LARGE_SIZES[0] ?? 0;
  const ours = results.get(`openirsa/${big}`);
  const limit = results.get(`limit/${big}`);
  const s3rver = results.get(`s3rver/${big}`);
  console.log(ratioLine(`PUT ${big / MIB} MiB vs the limit`, ours?.put, limit?.put, LARGE_VS_LIMIT));
  console.log(ratioLine(`GET ${big / MIB} MiB vs the limit`, ours?.get, limit?.get, LARGE_VS_LIMIT));
  console.log(ratioLine(`PUT ${big / MIB} MiB vs s3rver`, ours?.put, s3rver?.put));
  console.log(ratioLine(`GET ${big / MIB} MiB vs s3rver`, ours?.get, s3rver?.get));
  const grew = (ours?.rss ?? Number.NaN) - (results.get(`openirsa/${medium}`)?.rss ?? Number.NaN);
  console.log(
    `  openirsa peak RSS grew ${(grew / MIB).toFixed(0)} MiB from ${medium / MIB} MiB to ${big / MIB} MiB objects; target < ${RSS_SLACK / MIB} MiB: ${grew < RSS_SLACK ? 'PASS' : 'MISS'}\n`,
  );
}

async function smallObjects(dir: string, targets: readonly Target[]): Promise<void> {
  const body = Buffer.alloc(SMALL_SIZE);
  for (let i = 0; i < body.length; i++) body[i] = (i * 31) & 0xff;
  const gets: RunSpec[] = [];
  const puts: RunSpec[] = [];
  for (const t of targets) {
    const putPool: PooledRequest[] = [];
    const getPool: PooledRequest[] = [];
    for (let i = 0; i < POOL; i++) {
      putPool.push(
        await sign(t, 'PUT', `/${BUCKET}/small/${i}`, {}, body, {
          'content-type': 'application/octet-stream',
        }),
      );
      getPool.push(await sign(t, 'GET', `/${BUCKET}/small/${i}`, {}, undefined));
    }
    await inParallel(POOL, 16, (i) => sendOne(t.port, putPool[i] as PooledRequest, body));
    const encoded = body.toString('base64');
    puts.push({ port: t.port, pid: t.pid, pool: putPool, body: encoded, expectStatus: 200 });
    gets.push({ port: t.port, pid: t.pid, pool: getPool, body: '', expectStatus: 200 });
  }
  for (const [title, specs] of [
    ['signed GetObject, 4 KiB', smallHalf('get') ? gets : []],
    ['signed PutObject, 4 KiB', smallHalf('put') ? puts : []],
  ] as const) {
    if (specs.length === 0) continue;
    const traced = SYSCALLS && targets[0] !== undefined ? await traceSyscalls(dir, targets[0]) : undefined;
    const best = await alternate(
      dir,
      specs,
      targets.map((t) => t.name),
    );
    console.log(title);
    if (traced !== undefined) await traced();
    for (const [i, t] of targets.entries()) console.log(row(t.name, best[i], 'req/s'));
    const [ours, s3rver, limit] = best;
    console.log(ratioLine('vs s3rver', ours?.perSecond, s3rver?.perSecond, SMALL_VS_S3RVER));
    console.log(ratioLine('vs the limit', ours?.perSecond, limit?.perSecond, SMALL_VS_LIMIT));
    console.log(cpuLine('server CPU per request, s3rver vs openirsa', ours, s3rver));
    console.log(cpuLine('server CPU per request, the limit vs openirsa', ours, limit));
    if (title.includes('PutObject')) {
      console.log(
        '  (the limit makes a file per object durable; openirsa keeps 4 KiB objects in its store, a WAL append\n' +
          '   with a group-commit fsync (docs/storage.md): different durable work, so it may pass 100 % of it)',
      );
    }
    console.log('');
  }
}

/**
 * Attaches `strace -c -f` to a server; the function returned detaches it and prints its syscalls per
 * load request it answered meanwhile.
 */
async function traceSyscalls(dir: string, t: Target): Promise<() => Promise<void>> {
  const pid = t.pid;
  const out = join(dir, `strace-${pid}-${specCounter}.txt`);
  const answeredBefore = servedByPort.get(t.port) ?? 0;
  // Every process of the server (`up --workers N` has N + 1): -f follows only the threads of each.
  const pids = (await serverPids(pid)).flatMap((p) => ['-p', String(p)]);
  const child = spawn('strace', ['-c', '-f', '-o', out, ...pids], { stdio: 'ignore' });
  await new Promise((resolve) => setTimeout(resolve, 500));
  return async () => {
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGINT');
    await exited;
    const served = Math.max(1, (servedByPort.get(t.port) ?? 0) - answeredBefore);
    const text = await readFile(out, 'utf8').catch(() => '');
    console.log(`  openirsa syscalls per request (strace -c -f, over ${served} requests):`);
    for (const line of text.split('\n')) {
      const f = line.trim().split(/\s+/);
      // "% time  seconds  usecs/call  calls  [errors]  syscall"
      if (f.length < 5 || !/^\d/.test(f[0] ?? '')) continue;
      const calls = Number(f[3]);
      const name = f[f.length - 1] ?? '';
      if (name === 'total' || calls / served < 0.05) continue;
      console.log(`    ${name.padEnd(18)} ${(calls / served).toFixed(2).padStart(6)}`);
    }
  };
}

async function listing(dir: string, targets: readonly Target[], s3rverTarget: Target): Promise<void> {
  const started = Date.now();
  const empty = Buffer.alloc(0);
  await inParallel(LIST_KEYS, 32, async (i) => {
    const r = await sign(s3rverTarget, 'PUT', `/${LIST_BUCKET}/${listKey(i)}`, {}, empty);
    await sendOne(s3rverTarget.port, r, empty);
  });
  console.log(
    `(s3rver's ${LIST_KEYS} keys written by PUTs in ${((Date.now() - started) / 1000).toFixed(1)} s)`,
  );
  const specs: RunSpec[] = [];
  for (const t of targets) {
    const pool: PooledRequest[] = [];
    for (let p = 0; p < LIST_KEYS / PAGE; p++) {
      const query: Record<string, string> = { 'list-type': '2', 'max-keys': String(PAGE) };
      if (p > 0) query['start-after'] = listKey(p * PAGE - 1);
      pool.push(await sign(t, 'GET', `/${LIST_BUCKET}`, query, undefined));
    }
    specs.push({ port: t.port, pid: t.pid, pool, body: '', expectStatus: 200 });
  }
  const best = await alternate(
    dir,
    specs,
    targets.map((t) => t.name),
  );
  console.log(`ListObjectsV2, pages of ${PAGE} over a ${LIST_KEYS}-key bucket`);
  for (const [i, t] of targets.entries()) console.log(row(t.name, best[i], 'pages/s'));
  const [ours, s3rver, limit] = best;
  console.log(ratioLine('vs s3rver', ours?.perSecond, s3rver?.perSecond));
  console.log(ratioLine('vs the limit', ours?.perSecond, limit?.perSecond));
  console.log(cpuLine('server CPU per page, s3rver vs openirsa', ours, s3rver));
  console.log('');
}

async function main(): Promise<void> {
  const dir = await mkdtemp(join(os.tmpdir(), 'openirsa-bench-s3-'));
  const children: ChildProcess[] = [];
  try {
    const data = join(dir, 'data');
    const loadStarted = Date.now();
    const credentials = await populateOpenirsa(data);
    console.log(
      `(openirsa's ${LIST_KEYS} keys written through the store in ${((Date.now() - loadStarted) / 1000).toFixed(1)} s)`,
    );
    const port = await freePort();
    const up = await startChild(
      [
        ...(PROFILE_DIR !== undefined ? ['--cpu-prof', '--cpu-prof-dir', PROFILE_DIR] : []),
        cli,
        'up',
        '--port',
        String(port),
        '--data',
        data,
        ...(WORKERS !== undefined ? ['--workers', WORKERS] : []),
      ],
      /listening|endpoint/i,
    );
    children.push(up.child);
    for (let i = 0; i < 100; i++) {
      const health = await fetch(`http://127.0.0.1:${port}/_openirsa/health`).catch(() => undefined);
      if (health?.status === 200) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    await mkdir(join(dir, 's3rver'));
    const s3rver = await startChild([here('./s3rver-server.js'), join(dir, 's3rver')], /port (\d+)/);
    children.push(s3rver.child);
    await mkdir(join(dir, 'bare'));
    const bare = await startChild(
      [here('./bare-server.js'), join(dir, 'bare'), String(LIST_KEYS)],
      /port (\d+)/,
    );
    children.push(bare.child);

    const pidOf = (c: ChildProcess) => c.pid ?? 0;
    const s3rverTarget: Target = {
      name: 's3rver',
      port: Number(s3rver.match[1]),
      pid: pidOf(s3rver.child),
      signer: signerFor({ accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' }),
    };
    const targets: Target[] = [
      { name: 'openirsa', port, pid: pidOf(up.child), signer: signerFor(credentials) },
      s3rverTarget,
      // The limit ignores signatures; signing anyway makes its requests as long as the others'.
      { name: 'limit', port: Number(bare.match[1]), pid: pidOf(bare.child), signer: signerFor(credentials) },
    ];
    console.log(
      `S3 throughput, node ${process.version}, ${os.cpus().length} cores, ${CONNECTIONS} keep-alive connections, best of ${ROUNDS} rounds of ${ROUND_SECONDS} s\n`,
    );
    if (part('large')) await largeObjects(targets);
    if (part('small')) await smallObjects(dir, targets);
    if (part('list')) await listing(dir, targets, s3rverTarget);
    if (PROFILE_DIR !== undefined) {
      console.log(
        `(openirsa answered ${servedByPort.get(port) ?? 0} load requests, warm-up rounds included)`,
      );
    }
  } finally {
    setupAgent.destroy();
    await Promise.all(
      children.map(
        (child) =>
          new Promise<void>((resolve) => {
            if (child.exitCode !== null) return resolve();
            const timer = setTimeout(resolve, 5000);
            child.once('exit', () => {
              clearTimeout(timer);
              resolve();
            });
            child.kill('SIGTERM');
          }),
      ),
    );
    await rm(dir, { recursive: true, force: true });
  }
}

await main();
