/**
 * The load process of `bench/s3`: keeps CONNECTIONS keep-alive connections busy for a fixed time, each
 * request taken in turn from a pool of requests signed beforehand (so this process measures the server,
 * not the signer), and prints one JSON line: requests, seconds, requests per second, p50/p99 latency in
 * µs, how many answers had another status than expected, and the CPU this process used.
 *
 * It speaks HTTP/1.1 on plain sockets (bench/shared/load.ts `runLoad`, which says why). Its own CPU is
 * reported, so a run shows whether it was saturated.
 *
 *   node dist/bench/s3/load.js SPEC.json
 *
 * The spec is a file because a pool of signed requests outgrows a command-line argument.
 */
import { readFile } from 'node:fs/promises';
import { runLoad, type LoadRequest, type LoadResult as SharedLoadResult } from '../shared/load.js';

export interface PooledRequest {
  readonly method: string;
  readonly path: string;
  readonly headers: Readonly<Record<string, string>>;
  /** Whether the spec's shared `body` goes with it (a PUT); otherwise it has none. */
  readonly withBody: boolean;
}

export interface LoadSpec {
  readonly port: number;
  readonly pool: readonly PooledRequest[];
  /** Base64: the body every `withBody` request sends. */
  readonly body: string;
  readonly connections: number;
  readonly seconds: number;
  readonly expectStatus: number;
}

export interface LoadResult extends SharedLoadResult {
  /** User + system CPU of this load process over the run, µs. */
  readonly loadCpuMicros: number;
}

async function run(spec: LoadSpec): Promise<LoadResult> {
  const body = Buffer.from(spec.body, 'base64');
  const pool: LoadRequest[] = spec.pool.map((r) => ({
    method: r.method,
    path: r.path,
    headers: r.headers,
    body: r.withBody ? body : undefined,
  }));
  const result = await runLoad(spec, pool);
  return { ...result, loadCpuMicros: result.clientCpuTotalMicros ?? 0 };
}

const file = process.argv[2];
if (file === undefined) throw new Error('usage: load.js <spec.json>');
const result = await run(JSON.parse(await readFile(file, 'utf8')) as LoadSpec);
process.stdout.write(`${JSON.stringify(result)}\n`);
