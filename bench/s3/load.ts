/**
 * The load process of `bench/s3`: keeps CONNECTIONS keep-alive connections busy for a fixed time, each
 * request taken in turn from a pool of requests signed beforehand (so this process measures the server,
 * not the signer), and prints one JSON line: requests, seconds, requests per second, p50/p99 latency in
 * µs, and how many answers had another status than expected.
 *
 *   node dist/bench/s3/load.js SPEC.json
 *
 * The spec is a file because a pool of signed requests outgrows a command-line argument.
 */
import { readFile } from 'node:fs/promises';
import { runLoad, type LoadTarget } from '../shared/load.js';

export type { LoadResult } from '../shared/load.js';

export interface PooledRequest {
  readonly method: string;
  readonly path: string;
  readonly headers: Readonly<Record<string, string>>;
  /** Whether the spec's shared `body` goes with it (a PUT); otherwise it has none. */
  readonly withBody: boolean;
}

export interface LoadSpec extends LoadTarget {
  readonly pool: readonly PooledRequest[];
  /** Base64: the body every `withBody` request sends. */
  readonly body: string;
}

const file = process.argv[2];
if (file === undefined) throw new Error('usage: load.js <spec.json>');
const spec = JSON.parse(await readFile(file, 'utf8')) as LoadSpec;
const body = Buffer.from(spec.body, 'base64');
let next = 0;
const result = await runLoad(spec, () => {
  const pooled = spec.pool[next++ % spec.pool.length];
  if (pooled === undefined) throw new Error('empty pool');
  return { ...pooled, body: pooled.withBody ? body : undefined };
});
process.stdout.write(`${JSON.stringify(result)}\n`);
