/**
 * The load process of `bench/sts`: keeps CONNECTIONS keep-alive connections busy with one request for a
 * fixed time and prints one JSON line: requests, seconds, requests per second, p50/p99 latency in µs,
 * and how many answers had another status than expected (a benchmark of errors measures nothing).
 *
 *   node dist/bench/sts/load.js '<json spec>'
 *
 * It runs in its own process so that the server under test does not share an event loop with it.
 */
import { Agent, request } from 'node:http';

export interface LoadSpec {
  readonly port: number;
  readonly method: string;
  readonly path: string;
  readonly headers: Readonly<Record<string, string>>;
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
  const body = Buffer.from(spec.body);
  const headers = { ...spec.headers, 'content-length': String(body.length) };
  const latencies: number[] = [];
  let unexpected = 0;
  let firstUnexpected: string | undefined;
  const started = process.hrtime.bigint();
  const deadline = started + BigInt(Math.round(spec.seconds * 1e9));

  const one = () =>
    new Promise<void>((resolve, reject) => {
      const t = process.hrtime.bigint();
      const req = request(
        { host: '127.0.0.1', port: spec.port, method: spec.method, path: spec.path, headers, agent },
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
      req.end(body);
    });

  const worker = async () => {
    while (process.hrtime.bigint() < deadline) await one();
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

const arg = process.argv[2];
if (arg === undefined) throw new Error('usage: load.js <json spec>');
const result = await run(JSON.parse(arg) as LoadSpec);
process.stdout.write(`${JSON.stringify(result)}\n`);
