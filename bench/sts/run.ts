/**
 * STS throughput, side by side with the physical limit, in one run (DESIGN.md "Performance budget").
 *
 * 1. AssumeRoleWithWebIdentity: `openirsa up` (its own process, real data directory, audit log on) with a
 *    service account and a role whose trust policy admits it, against a bare `node:http` server that only
 *    checks the same token's signature with `crypto.verify` (the limit). Target: ≥ 60 % of the limit.
 * 2. A signed GetCallerIdentity with the session credentials from (1) — SigV4 verification, session-token
 *    decryption, authorization, XML — against a bare server that answers a fixed body. Target: ≥ 60 %.
 *
 * The load comes from a separate process (`load.js`) over keep-alive connections; the two servers are
 * measured in alternating rounds so that background noise hits both alike, and the best round of each
 * is reported. It prints requests/s, p50/p99 latency, the CPU each server process spent per request
 * (utime + stime from /proc/<pid>/stat over the round; the lowest of the rounds) and the ratio; it
 * never fails the build.
 *
 *   npm run bench:sts
 *   node dist/bench/sts/run.js --quick        # shorter rounds, noisier
 *   node dist/bench/sts/run.js --profile DIR  # also writes a V8 CPU profile of the openirsa process
 *   node dist/bench/sts/run.js --only gci     # one comparison: `arwwi` or `gci`
 */
import type { ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Hash } from '@smithy/hash-node';
import { SignatureV4 } from '@smithy/signature-v4';
import { expectedLoadResult } from '../shared/load.js';
import { runNode, startChild } from '../shared/processes.js';
import type { LoadResult, LoadSpec } from './load.js';
import { cpuMicrosOf, FORM_HEADERS, startOpenirsa } from './openirsa-server.js';

const QUICK = process.argv.includes('--quick');
const ONLY_AT = process.argv.indexOf('--only');
/** `--only arwwi` or `--only gci`: one of the two comparisons (a profile of one path). */
const ONLY = ONLY_AT > 0 ? process.argv[ONLY_AT + 1] : undefined;
const PROFILE_AT = process.argv.indexOf('--profile');
const PROFILE_DIR = PROFILE_AT > 0 ? process.argv[PROFILE_AT + 1] : undefined;
const ROUND_SECONDS = QUICK ? 1.5 : 4;
const ROUNDS = QUICK ? 2 : 3;
const CONNECTIONS = 16;
const TARGET = 0.6;

const here = (name: string) => fileURLToPath(new URL(name, import.meta.url));
const cli = fileURLToPath(new URL('../../src/cli/main.js', import.meta.url));

function pidOf(child: ChildProcess): number {
  if (child.pid === undefined) throw new Error('a bench server has no pid');
  return child.pid;
}

/** A round's load result, with the CPU the server process spent per request during it. */
interface Measured extends LoadResult {
  /** utime + stime of the server process over the round, per request; NaN where /proc is absent. */
  readonly cpuMicros: number;
  /** The same for the server's main thread alone: the event loop, the bottleneck of a Node server. */
  readonly mainThreadMicros: number;
}

type Target = Omit<LoadSpec, 'connections' | 'seconds'> & { readonly pid: number };

async function load(target: Target): Promise<Measured> {
  const { pid, ...spec } = target;
  const full: LoadSpec = { ...spec, connections: CONNECTIONS, seconds: ROUND_SECONDS };
  // A process's main thread is the task whose id is the process id.
  const [cpuBefore, mainBefore] = [await cpuMicrosOf(pid), await cpuMicrosOf(pid, pid)];
  const result = expectedLoadResult(await runNode([here('./load.js'), JSON.stringify(full)]));
  const [cpuAfter, mainAfter] = [await cpuMicrosOf(pid), await cpuMicrosOf(pid, pid)];
  return {
    ...result,
    cpuMicros: (cpuAfter - cpuBefore) / result.requests,
    mainThreadMicros: (mainAfter - mainBefore) / result.requests,
  };
}

/** A peer's best round (requests/s) and its lowest CPU per request over all rounds. */
interface PeerResult {
  readonly best: Measured;
  readonly cpuMicros: number;
  /** The lowest main-thread CPU per request, and the load process's own CPU per request, over all rounds. */
  readonly mainThreadMicros: number;
  readonly clientMicros: number;
}

/**
 * Alternating rounds; the best round of each side by requests/s, and the lowest CPU per request of
 * each side (other engineers' load slows a round down but adds little CPU to the server process, so
 * CPU per request is the robust number on a shared machine).
 */
async function sideBySide(ours: Target, limit: Target): Promise<{ ours: PeerResult; limit: PeerResult }> {
  await load(ours); // warm-up: JIT, caches
  await load(limit);
  const rounds: { ours: Measured; limit: Measured }[] = [];
  for (let r = 0; r < ROUNDS; r++) rounds.push({ ours: await load(ours), limit: await load(limit) });
  const pick = (side: 'ours' | 'limit'): PeerResult => {
    const all = rounds.map((r) => r[side]);
    // INVARIANT: ROUNDS ≥ 1, so `all` is not empty.
    const best = all.reduce((a, b) => (b.perSecond > a.perSecond ? b : a), all[0]!);
    return {
      best,
      cpuMicros: Math.min(...all.map((m) => m.cpuMicros)),
      mainThreadMicros: Math.min(...all.map((m) => m.mainThreadMicros)),
      clientMicros: Math.min(...all.map((m) => m.clientCpuMicros ?? NaN)),
    };
  };
  return { ours: pick('ours'), limit: pick('limit') };
}

function row(name: string, r: PeerResult): string {
  const { best } = r;
  return `  ${name.padEnd(34)}${best.perSecond.toFixed(0).padStart(9)} req/s   p50 ${(best.p50Micros / 1000).toFixed(2).padStart(6)} ms   p99 ${(best.p99Micros / 1000).toFixed(2).padStart(6)} ms   cpu ${r.cpuMicros.toFixed(0).padStart(5)} µs/req (main thread ${r.mainThreadMicros.toFixed(0)}, load process ${r.clientMicros.toFixed(0)})`;
}

function report(title: string, ours: PeerResult, limit: PeerResult): void {
  const ratio = ours.best.perSecond / limit.best.perSecond;
  const cpuRatio = limit.cpuMicros / ours.cpuMicros;
  console.log(title);
  console.log(row('openirsa', ours));
  console.log(row('limit (bare node:http)', limit));
  console.log(
    `  ratio ${(ratio * 100).toFixed(0)} % of the limit (by CPU per request ${(cpuRatio * 100).toFixed(0)} %); target ≥ ${TARGET * 100} %: ${ratio >= TARGET ? 'PASS' : 'MISS'}\n`,
  );
}

function xmlField(xml: string, name: string): string {
  const m = new RegExp(`<${name}>([^<]*)</${name}>`).exec(xml);
  if (!m?.[1]) throw new Error(`no <${name}> in ${xml.slice(0, 300)}`);
  return m[1];
}

async function main(): Promise<void> {
  const dir = await mkdtemp(join(os.tmpdir(), 'openirsa-bench-sts-'));
  const children: ChildProcess[] = [];
  try {
    const up = await startOpenirsa(
      cli,
      dir,
      PROFILE_DIR !== undefined ? ['--cpu-prof', '--cpu-prof-dir', PROFILE_DIR] : [],
    );
    children.push(up.child);
    const { endpoint, port, form } = up;
    const jwks = (await (await fetch(`${endpoint}/openid/v1/jwks`)).json()) as { keys: unknown[] };
    const jwk = jwks.keys[0];

    const limitVerify = await startChild(
      [here('./bare-server.js'), 'verify', JSON.stringify(jwk)],
      /port (\d+)/,
    );
    children.push(limitVerify.child);
    const limitFixed = await startChild([here('./bare-server.js'), 'fixed'], /port (\d+)/);
    children.push(limitFixed.child);

    const formHeaders = FORM_HEADERS;
    const assumed = await fetch(`${endpoint}/`, { method: 'POST', headers: formHeaders, body: form });
    const assumedXml = await assumed.text();
    if (assumed.status !== 200)
      throw new Error(`AssumeRoleWithWebIdentity answered ${assumed.status}: ${assumedXml}`);

    console.log(
      `STS throughput, node ${process.version}, ${os.cpus().length} cores, ${CONNECTIONS} keep-alive connections, best of ${ROUNDS} rounds of ${ROUND_SECONDS} s\n`,
    );
    if (ONLY !== 'gci') {
      const web = await sideBySide(
        {
          pid: up.pid,
          port,
          method: 'POST',
          path: '/',
          headers: formHeaders,
          body: form,
          expectStatus: 200,
        },
        {
          pid: pidOf(limitVerify.child),
          port: Number(limitVerify.match[1]),
          method: 'POST',
          path: '/',
          headers: formHeaders,
          body: form,
          expectStatus: 200,
        },
      );
      report(
        'AssumeRoleWithWebIdentity (RS256 token, trust policy, sealed session) vs crypto.verify only',
        web.ours,
        web.limit,
      );
    }

    // A signed GetCallerIdentity with the session credentials, replayed (SigV4 has no nonce; the
    // signature stays valid for the 15 minutes of allowed clock skew, longer than this run).
    const signer = new SignatureV4({
      credentials: {
        accessKeyId: xmlField(assumedXml, 'AccessKeyId'),
        secretAccessKey: xmlField(assumedXml, 'SecretAccessKey'),
        sessionToken: xmlField(assumedXml, 'SessionToken'),
      },
      region: 'us-east-1',
      service: 'sts',
      sha256: Hash.bind(null, 'sha256'),
    });
    const body = 'Action=GetCallerIdentity&Version=2011-06-15';
    const signed = await signer.sign({
      method: 'POST',
      protocol: 'http:',
      hostname: '127.0.0.1',
      port,
      path: '/',
      headers: { host: `127.0.0.1:${port}`, ...formHeaders },
      body,
    });
    const headers = Object.fromEntries(
      Object.entries(signed.headers).map(([k, v]) => [k.toLowerCase(), String(v)]),
    );
    if (ONLY === 'arwwi') return;
    const gci = await sideBySide(
      { pid: up.pid, port, method: 'POST', path: '/', headers, body, expectStatus: 200 },
      {
        pid: pidOf(limitFixed.child),
        port: Number(limitFixed.match[1]),
        method: 'POST',
        path: '/',
        headers,
        body,
        expectStatus: 200,
      },
    );
    report('signed GetCallerIdentity (SigV4 + session token) vs a fixed body', gci.ours, gci.limit);
  } finally {
    for (const child of children) child.kill('SIGTERM');
    await rm(dir, { recursive: true, force: true });
  }
}

await main();
