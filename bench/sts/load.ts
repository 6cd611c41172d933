/**
 * The load process of `bench/sts`: keeps CONNECTIONS keep-alive connections busy with one request for a
 * fixed time and prints one JSON line: requests, seconds, requests per second, p50/p99 latency in µs,
 * and how many answers had another status than expected (a benchmark of errors measures nothing).
 *
 *   node dist/bench/sts/load.js '<json spec>'
 *
 * It runs in its own process so that the server under test does not share an event loop with it.
 */
import { runLoad, type LoadTarget } from '../shared/load.js';

export type { LoadResult } from '../shared/load.js';

/** One request, sent over and over: `body` as UTF-8 text (runLoad adds its Content-Length). */
export interface LoadSpec extends LoadTarget {
  readonly method: string;
  readonly path: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

const arg = process.argv[2];
if (arg === undefined) throw new Error('usage: load.js <json spec>');
const spec = JSON.parse(arg) as LoadSpec;
const request = { method: spec.method, path: spec.path, headers: spec.headers, body: Buffer.from(spec.body) };
const result = await runLoad(spec, [request]);
process.stdout.write(`${JSON.stringify(result)}\n`);
