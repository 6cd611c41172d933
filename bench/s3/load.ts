/**
 * The load process of `bench/s3`: keeps CONNECTIONS keep-alive connections busy for a fixed time, each
 * request taken in turn from a pool of requests signed beforehand (so this process measures the server,
 * not the signer), and prints one JSON line: requests, seconds, requests per second, p50/p99 latency in
 * µs, how many answers had another status than expected, and the CPU this process used.
 *
 * It speaks HTTP/1.1 on raw sockets: each pooled request is serialized once, up front, into the bytes it
 * sends (head and body in one write), and an answer is parsed only as far as its status and framing
 * (Content-Length or chunked). `node:http`'s client costs more CPU per request than the servers it
 * measures; on a 2-core machine that shares its cores with them, it was the bottleneck (every server
 * looked alike). Its own CPU is reported, so a run shows whether it was saturated.
 *
 *   node dist/bench/s3/load.js SPEC.json
 *
 * The spec is a file because a pool of signed requests outgrows a command-line argument.
 */
import { readFile } from 'node:fs/promises';
import { connect, type Socket } from 'node:net';
import { loadResult, type LoadResult as SharedLoadResult } from '../shared/load.js';

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

/** The bytes of one request: head (with Content-Length when it has a body) and body. */
export function serialize(r: PooledRequest, body: Buffer): Buffer {
  let head = `${r.method} ${r.path} HTTP/1.1\r\n`;
  for (const [name, value] of Object.entries(r.headers)) {
    if (name === 'content-length') continue;
    head += `${name}: ${value}\r\n`;
  }
  if (r.withBody) head += `content-length: ${body.length}\r\n`;
  head += '\r\n';
  return r.withBody ? Buffer.concat([Buffer.from(head, 'latin1'), body]) : Buffer.from(head, 'latin1');
}

const HEAD_END = Buffer.from('\r\n\r\n');
const MAX_HEAD = 64 * 1024;

/**
 * Parses answers off one connection's bytes. `take` returns a finished answer's status and body (the
 * body is kept only when the status is unexpected, for the report), or undefined when more bytes are
 * needed.
 */
export class AnswerParser {
  #buffer: Buffer = Buffer.alloc(0);
  #head: { status: number; length?: number; chunked: boolean; bodyAt: number } | undefined;

  push(chunk: Buffer): void {
    this.#buffer = this.#buffer.length === 0 ? chunk : Buffer.concat([this.#buffer, chunk]);
  }

  take(): { status: number; body: Buffer } | undefined {
    if (this.#head === undefined) {
      const end = this.#buffer.indexOf(HEAD_END);
      if (end < 0) {
        if (this.#buffer.length > MAX_HEAD) throw new Error('an answer head over 64 KiB');
        return undefined;
      }
      const lines = this.#buffer.toString('latin1', 0, end).split('\r\n');
      const status = Number(lines[0]?.split(' ')[1]);
      let length: number | undefined;
      let chunked = false;
      for (const line of lines.slice(1)) {
        const colon = line.indexOf(':');
        const name = line.slice(0, colon).trim().toLowerCase();
        const value = line.slice(colon + 1).trim();
        if (name === 'content-length') length = Number(value);
        else if (name === 'transfer-encoding' && value.toLowerCase().includes('chunked')) chunked = true;
      }
      this.#head = { status, ...(length !== undefined ? { length } : {}), chunked, bodyAt: end + 4 };
    }
    const head = this.#head;
    if (head.chunked) {
      const done = chunkedEnd(this.#buffer, head.bodyAt);
      if (done === undefined) return undefined;
      return this.#finish(head.status, head.bodyAt, done);
    }
    // Status 204/304 and HEAD answers have no body; every other answer here has a Content-Length.
    const length = head.status === 204 || head.status === 304 ? 0 : (head.length ?? 0);
    if (this.#buffer.length < head.bodyAt + length) return undefined;
    return this.#finish(head.status, head.bodyAt, head.bodyAt + length);
  }

  #finish(status: number, bodyAt: number, end: number): { status: number; body: Buffer } {
    const body = this.#buffer.subarray(bodyAt, end);
    this.#buffer = this.#buffer.subarray(end);
    this.#head = undefined;
    return { status, body };
  }
}

/** Where a chunked body that starts at `at` ends (after its last chunk and trailer), if it has. */
function chunkedEnd(buffer: Buffer, at: number): number | undefined {
  let pos = at;
  for (;;) {
    const eol = buffer.indexOf('\r\n', pos, 'latin1');
    if (eol < 0) return undefined;
    const size = Number.parseInt(buffer.toString('latin1', pos, eol), 16);
    if (Number.isNaN(size)) throw new Error('a bad chunk size');
    if (size === 0) {
      // The last chunk, then trailers (if any) up to an empty line.
      const end = buffer.indexOf(HEAD_END, eol);
      return end < 0 ? undefined : end + 4;
    }
    pos = eol + 2 + size + 2;
    if (pos > buffer.length) return undefined;
  }
}

async function run(spec: LoadSpec): Promise<LoadResult> {
  const body = Buffer.from(spec.body, 'base64');
  const wire = spec.pool.map((r) => serialize(r, body));
  if (wire.length === 0) throw new Error('empty pool');
  const latencies: number[] = [];
  let unexpected = 0;
  let firstUnexpected: string | undefined;
  let next = 0;
  const cpuBefore = process.cpuUsage();
  const started = process.hrtime.bigint();
  const deadline = started + BigInt(Math.round(spec.seconds * 1e9));

  const connection = () =>
    new Promise<void>((resolve, reject) => {
      const socket: Socket = connect({ host: '127.0.0.1', port: spec.port, noDelay: true });
      const parser = new AnswerParser();
      let sentAt = 0n;
      const send = () => {
        if (process.hrtime.bigint() >= deadline) {
          socket.end();
          resolve();
          return;
        }
        // INVARIANT: `wire` is non-empty (checked above), so the index is in range.
        const bytes = wire[next++ % wire.length] as Buffer;
        sentAt = process.hrtime.bigint();
        socket.write(bytes);
      };
      socket.on('connect', send);
      socket.on('data', (chunk: Buffer) => {
        parser.push(chunk);
        try {
          const answer = parser.take();
          if (answer === undefined) return;
          latencies.push(Number(process.hrtime.bigint() - sentAt) / 1000);
          if (answer.status !== spec.expectStatus) {
            unexpected++;
            firstUnexpected ??= `${answer.status}: ${answer.body.toString().slice(0, 300)}`;
          }
          send();
        } catch (error) {
          socket.destroy();
          reject(error instanceof Error ? error : new Error(String(error)));
        }
      });
      socket.on('error', reject);
      socket.on('close', () => resolve());
    });

  await Promise.all(Array.from({ length: spec.connections }, connection));
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const cpu = process.cpuUsage(cpuBefore);
  return {
    ...loadResult(latencies, seconds, unexpected, firstUnexpected),
    loadCpuMicros: cpu.user + cpu.system,
  };
}

const file = process.argv[2];
if (file === undefined) throw new Error('usage: load.js <spec.json>');
const result = await run(JSON.parse(await readFile(file, 'utf8')) as LoadSpec);
process.stdout.write(`${JSON.stringify(result)}\n`);
