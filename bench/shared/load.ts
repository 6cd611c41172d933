/**
 * The measuring loop the load processes of `bench/sts` and `bench/s3` share: CONNECTIONS keep-alive
 * connections to 127.0.0.1 kept busy for a fixed time, one request at a time each, and the summary a
 * load process prints as its one JSON line: requests, seconds, requests per second, p50/p99 latency in
 * µs, and how many answers had another status than expected (a benchmark of errors measures nothing).
 */
import { Agent, request } from 'node:http';

export interface LoadResult {
  readonly requests: number;
  readonly seconds: number;
  readonly perSecond: number;
  readonly p50Micros: number;
  readonly p99Micros: number;
  readonly unexpected: number;
  readonly firstUnexpected?: string;
  /** CPU (user + system) the load process itself spent per request, where it measured it. */
  readonly clientCpuMicros?: number;
}

/** Where the load goes, for how long, and the status every answer must have. */
export interface LoadTarget {
  readonly port: number;
  readonly connections: number;
  readonly seconds: number;
  readonly expectStatus: number;
}

/** One request of the load; `body` undefined sends none. */
export interface LoadRequest {
  readonly method: string;
  readonly path: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: Buffer | undefined;
}

/** Sends `next()` over and over on every connection until the time is up, and sums up the answers. */
export async function runLoad(target: LoadTarget, next: () => LoadRequest): Promise<LoadResult> {
  const agent = new Agent({ keepAlive: true, maxSockets: target.connections });
  const latencies: number[] = [];
  let unexpected = 0;
  let firstUnexpected: string | undefined;
  const started = process.hrtime.bigint();
  const cpuBefore = process.cpuUsage();
  const deadline = started + BigInt(Math.round(target.seconds * 1e9));

  const one = (r: LoadRequest) =>
    new Promise<void>((resolve, reject) => {
      const t = process.hrtime.bigint();
      const req = request(
        { host: '127.0.0.1', port: target.port, method: r.method, path: r.path, headers: r.headers, agent },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => {
            latencies.push(Number(process.hrtime.bigint() - t) / 1000);
            if (res.statusCode !== target.expectStatus) {
              unexpected++;
              firstUnexpected ??= `${res.statusCode}: ${Buffer.concat(chunks).toString().slice(0, 300)}`;
            }
            resolve();
          });
          res.on('error', reject);
        },
      );
      req.on('error', reject);
      req.end(r.body);
    });

  const worker = async () => {
    while (process.hrtime.bigint() < deadline) await one(next());
  };
  await Promise.all(Array.from({ length: target.connections }, worker));
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  agent.destroy();
  const cpu = process.cpuUsage(cpuBefore);
  const result = loadResult(latencies, seconds, unexpected, firstUnexpected);
  return { ...result, clientCpuMicros: (cpu.user + cpu.system) / Math.max(1, result.requests) };
}

/** A run's figures from its latencies (µs, sorted here), its length and its unexpected answers. */
export function loadResult(
  latencies: number[],
  seconds: number,
  unexpected: number,
  firstUnexpected: string | undefined,
): LoadResult {
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

/** A load process's printed line, refused when any answer was unexpected. */
export function expectedLoadResult(printed: string): LoadResult {
  const result = JSON.parse(printed) as LoadResult;
  if (result.unexpected > 0) {
    throw new Error(`${result.unexpected} unexpected answers, first: ${result.firstUnexpected ?? ''}`);
  }
  return result;
}
