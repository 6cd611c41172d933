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
import { Agent, request } from 'node:http';

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

export interface LoadResult {
  readonly requests: number;
  readonly seconds: number;
  readonly perSecond: number;
  readonly p50Micros: number;
  readonly p99Micros: number;
  readonly unexpected: number;
  readonly firstUnexpected?: string;
}

async function run(spec: LoadSpec): Promise<LoadResult> {
  const agent = new Agent({ keepAlive: true, maxSockets: spec.connections });
  const body = Buffer.from(spec.body, 'base64');
  const latencies: number[] = [];
  let unexpected = 0;
  let firstUnexpected: string | undefined;
  let next = 0;
  const started = process.hrtime.bigint();
  const deadline = started + BigInt(Math.round(spec.seconds * 1e9));

  const one = (pooled: PooledRequest) =>
    new Promise<void>((resolve, reject) => {
      const t = process.hrtime.bigint();
      const req = request(
        {
          host: '127.0.0.1',
          port: spec.port,
          method: pooled.method,
          path: pooled.path,
          headers: pooled.headers,
          agent,
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => {
            latencies.push(Number(process.hrtime.bigint() - t) / 1000);
            if (res.statusCode !== spec.expectStatus) {
              unexpected++;
              firstUnexpected ??= `${res.statusCode}: ${Buffer.concat(chunks).toString().slice(0, 300)}`;
            }
            resolve();
          });
          res.on('error', reject);
        },
      );
      req.on('error', reject);
      req.end(pooled.withBody ? body : undefined);
    });

  const worker = async () => {
    while (process.hrtime.bigint() < deadline) {
      const pooled = spec.pool[next++ % spec.pool.length];
      if (pooled === undefined) throw new Error('empty pool');
      await one(pooled);
    }
  };
  await Promise.all(Array.from({ length: spec.connections }, worker));
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  agent.destroy();
  latencies.sort((a, b) => a - b);
  const at = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? 0;
  return {
    requests: latencies.length,
    seconds,
    perSecond: latencies.length / seconds,
    p50Micros: at(0.5),
    p99Micros: at(0.99),
    unexpected,
    ...(firstUnexpected !== undefined ? { firstUnexpected } : {}),
  };
}

const file = process.argv[2];
if (file === undefined) throw new Error('usage: load.js <spec.json>');
const result = await run(JSON.parse(await readFile(file, 'utf8')) as LoadSpec);
process.stdout.write(`${JSON.stringify(result)}\n`);
