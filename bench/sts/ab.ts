/**
 * Two builds of openirsa side by side on AssumeRoleWithWebIdentity: the way to tell whether a change to
 * that path helps, on a shared 2-core machine where one server's throughput moves by several percent
 * from run to run. Each build runs as its own `openirsa up` (its `dist/src/cli/main.js`) with its own
 * data directory and token; the load process of bench/sts (this build's) sends the same request to
 * each in turn, ROUNDS rounds of SECONDS s, alternating which goes first, and the medians are compared.
 * Run it once with the same build twice to see the noise of the moment (session 7 saw up to 6 %).
 *
 *   npm run build && cp -r dist /tmp/before   # then make the change, and build again
 *   node dist/bench/sts/ab.js /tmp/before dist [--rounds 8] [--seconds 4] [--node-args-b '--flag …']
 *
 * It prints every round (requests/s, server CPU µs per request in all its threads and on its main thread,
 * the load process's CPU µs per request), the medians, and B/A. It never fails the build.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expectedLoadResult } from '../shared/load.js';
import { runNode } from '../shared/processes.js';
import type { LoadSpec } from './load.js';
import { arwwiRequest, cpuMicrosOf, startOpenirsa, type BenchServer } from './openirsa-server.js';

const CONNECTIONS = 16;

function option(name: string, fallback: string): string {
  const at = process.argv.indexOf(name);
  return at > 0 ? (process.argv[at + 1] ?? fallback) : fallback;
}

interface Round {
  readonly perSecond: number;
  readonly cpuMicros: number;
  readonly mainThreadMicros: number;
  readonly clientMicros: number;
}

async function round(server: BenchServer, seconds: number): Promise<Round> {
  const spec: LoadSpec = { ...arwwiRequest(server), connections: CONNECTIONS, seconds };
  const load = fileURLToPath(new URL('./load.js', import.meta.url));
  const [cpu0, main0] = [await cpuMicrosOf(server.pid), await cpuMicrosOf(server.pid, server.pid)];
  const result = expectedLoadResult(await runNode([load, JSON.stringify(spec)]));
  const [cpu1, main1] = [await cpuMicrosOf(server.pid), await cpuMicrosOf(server.pid, server.pid)];
  return {
    perSecond: result.perSecond,
    cpuMicros: (cpu1 - cpu0) / result.requests,
    mainThreadMicros: (main1 - main0) / result.requests,
    clientMicros: result.clientCpuMicros ?? NaN,
  };
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[mid] ?? NaN)
    : ((sorted[mid - 1] ?? NaN) + (sorted[mid] ?? NaN)) / 2;
}

function line(name: string, r: Round): string {
  return `  ${name}  ${r.perSecond.toFixed(0).padStart(6)} req/s   cpu ${r.cpuMicros.toFixed(1).padStart(6)} µs/req   main thread ${r.mainThreadMicros.toFixed(1).padStart(6)}   load process ${r.clientMicros.toFixed(1).padStart(5)}`;
}

async function main(): Promise<void> {
  const [a, b] = process.argv
    .slice(2)
    .filter((arg, i, all) => !arg.startsWith('--') && !all[i - 1]?.startsWith('--'));
  if (a === undefined || b === undefined) {
    throw new Error('usage: ab.js DIST_A DIST_B [--rounds N] [--seconds S] [--node-args-b ARGS]');
  }
  const rounds = Number(option('--rounds', '8'));
  const seconds = Number(option('--seconds', '4'));
  const nodeArgsB = option('--node-args-b', '')
    .split(' ')
    .filter((x) => x !== '');
  const dirs = [
    await mkdtemp(join(os.tmpdir(), 'openirsa-ab-a-')),
    await mkdtemp(join(os.tmpdir(), 'openirsa-ab-b-')),
  ];
  const servers: BenchServer[] = [];
  try {
    servers.push(await startOpenirsa(join(resolve(a), 'src/cli/main.js'), dirs[0] ?? ''));
    servers.push(await startOpenirsa(join(resolve(b), 'src/cli/main.js'), dirs[1] ?? '', nodeArgsB));
    const [sa, sb] = servers as [BenchServer, BenchServer];
    console.log(
      `AssumeRoleWithWebIdentity, A = ${a}, B = ${b}, node ${process.version}, ${os.cpus().length} cores, ${CONNECTIONS} connections, ${rounds} rounds of ${seconds} s each`,
    );
    // Warm-up: JIT, caches, the signature worker.
    await round(sa, seconds);
    await round(sb, seconds);
    const results: { A: Round[]; B: Round[] } = { A: [], B: [] };
    for (let i = 0; i < rounds; i++) {
      const order: ['A' | 'B', BenchServer][] =
        i % 2 === 0
          ? [
              ['A', sa],
              ['B', sb],
            ]
          : [
              ['B', sb],
              ['A', sa],
            ];
      for (const [name, server] of order) {
        const r = await round(server, seconds);
        results[name].push(r);
        console.log(line(name, r));
      }
    }
    const med = (name: 'A' | 'B'): Round => ({
      perSecond: median(results[name].map((r) => r.perSecond)),
      cpuMicros: median(results[name].map((r) => r.cpuMicros)),
      mainThreadMicros: median(results[name].map((r) => r.mainThreadMicros)),
      clientMicros: median(results[name].map((r) => r.clientMicros)),
    });
    const [ma, mb] = [med('A'), med('B')];
    console.log('medians');
    console.log(line('A', ma));
    console.log(line('B', mb));
    console.log(
      `  B/A: req/s ${(mb.perSecond / ma.perSecond).toFixed(3)}, cpu ${(mb.cpuMicros / ma.cpuMicros).toFixed(3)}, main thread ${(mb.mainThreadMicros / ma.mainThreadMicros).toFixed(3)}`,
    );
  } finally {
    for (const s of servers) s.child.kill('SIGTERM');
    await new Promise((r) => setTimeout(r, 300));
    for (const dir of dirs) await rm(dir, { recursive: true, force: true });
  }
}

await main();
