/**
 * The measuring loop the load processes of `bench/sts` and `bench/s3` share: CONNECTIONS keep-alive
 * connections to 127.0.0.1 kept busy for a fixed time, one request at a time each, and the summary a
 * load process prints as its one JSON line: requests, seconds, requests per second, p50/p99 latency in
 * µs, and how many answers had another status than expected (a benchmark of errors measures nothing).
 */
import { connect, type Socket } from 'node:net';

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
  /** The same over the whole run, µs. */
  readonly clientCpuTotalMicros?: number;
}

/** Where the load goes, for how long, and the status every answer must have. */
export interface LoadTarget {
  readonly port: number;
  readonly connections: number;
  readonly seconds: number;
  readonly expectStatus: number;
  /** How long past the deadline to wait for the last answers before the run fails; GRACE_MS by default. */
  readonly graceMs?: number;
}

/** One request of the load; `body` undefined sends none. */
export interface LoadRequest {
  readonly method: string;
  readonly path: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: Buffer | undefined;
}

/**
 * How long past the deadline a run waits for its last answers before it fails, unless told. Generous:
 * s3rver answers some of bench/s3's list pages more than 10 s late, and a slow answer is the peer's
 * figure to report, not a broken run.
 */
const GRACE_MS = 120_000;

/**
 * Sends the requests of `pool`, taken in turn, over and over on every connection until the time is up,
 * and sums up the answers.
 *
 * It speaks HTTP/1.1 on plain sockets: each request is serialized once, before the clock starts, into
 * the bytes it sends (head and body in one write), and an answer is read only as far as its status and
 * framing (`AnswerParser`). `node:http`'s client costs about as much CPU per request as the servers it
 * measures; on a 2-core machine that shares its cores with them, it was the bottleneck: bench/s3 saw
 * every server look alike, and bench/sts's fixed-body limit ran at half its rate (32,000 against
 * 63,000-68,000 requests/s, the load process spending 36-41 µs per request).
 * A connection the server closes, bytes past the end of an answer, an answer that cannot be framed, or
 * an answer still missing `graceMs` after the deadline fail the whole run: a bench never counts what it
 * did not read.
 */
export async function runLoad(target: LoadTarget, pool: readonly LoadRequest[]): Promise<LoadResult> {
  const wire = pool.map((r) => ({ bytes: encodeRequest(r, target.port), head: r.method === 'HEAD' }));
  if (wire.length === 0) throw new TypeError('runLoad needs at least one request');
  let next = 0;
  const latencies: number[] = [];
  let unexpected = 0;
  let firstUnexpected: string | undefined;
  const started = process.hrtime.bigint();
  const cpuBefore = process.cpuUsage();
  const deadline = started + BigInt(Math.round(target.seconds * 1e9));

  // Every socket, so that one failure ends the whole run at once rather than at the deadline.
  const sockets = new Set<Socket>();
  const failures: ((message: string) => void)[] = [];
  const graceMs = target.graceMs ?? GRACE_MS;
  const watchdog = setTimeout(
    () => {
      for (const fail of failures) fail(`an answer still missing ${graceMs} ms after the end of the load`);
    },
    target.seconds * 1000 + graceMs,
  );
  const connection = () =>
    new Promise<void>((resolve, reject) => {
      const socket = connect({ host: '127.0.0.1', port: target.port, noDelay: true });
      sockets.add(socket);
      const parser = new AnswerParser();
      let sentAt = 0n;
      let inFlightIsHead = false;
      let settled = false;
      const fail = (message: string): void => {
        if (settled) return;
        settled = true;
        for (const s of sockets) s.destroy();
        reject(new Error(message));
      };
      failures.push(fail);
      const send = (): void => {
        if (process.hrtime.bigint() >= deadline) {
          settled = true;
          socket.end();
          resolve();
          return;
        }
        // INVARIANT: `wire` is not empty (checked above), so the index is in range.
        const request = wire[next++ % wire.length] as (typeof wire)[number];
        inFlightIsHead = request.head;
        sentAt = process.hrtime.bigint();
        socket.write(request.bytes);
      };
      socket.on('connect', send);
      socket.on('data', (chunk: Buffer) => {
        parser.push(chunk);
        let answer: Answer | undefined;
        try {
          answer = parser.take(inFlightIsHead);
        } catch (error) {
          fail(error instanceof Error ? error.message : String(error));
          return;
        }
        if (answer === undefined) return;
        if (parser.buffered > 0) {
          fail('the server sent bytes past the end of its answer, with no request in flight');
          return;
        }
        latencies.push(Number(process.hrtime.bigint() - sentAt) / 1000);
        if (answer.status !== target.expectStatus) {
          unexpected++;
          firstUnexpected ??= `${answer.status}: ${answer.body.toString().slice(0, 300)}`;
        }
        send();
      });
      socket.on('error', (error) => fail(`a connection failed in the middle of the load: ${error.message}`));
      socket.on('close', () => fail('the server closed a connection in the middle of the load'));
    });

  try {
    await Promise.all(Array.from({ length: target.connections }, connection));
  } finally {
    clearTimeout(watchdog);
  }
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const cpu = process.cpuUsage(cpuBefore);
  const result = loadResult(latencies, seconds, unexpected, firstUnexpected);
  const cpuMicros = cpu.user + cpu.system;
  return {
    ...result,
    clientCpuMicros: cpuMicros / Math.max(1, result.requests),
    clientCpuTotalMicros: cpuMicros,
  };
}

/**
 * The request's HTTP/1.1 bytes, head and body: its headers as given (a Content-Length among them is
 * replaced), `Host` unless given, and a Content-Length when it has a body.
 */
export function encodeRequest(r: LoadRequest, port: number): Buffer {
  let head = `${r.method} ${r.path} HTTP/1.1\r\n`;
  if (!Object.keys(r.headers).some((name) => name.toLowerCase() === 'host')) {
    head += `Host: 127.0.0.1:${port}\r\n`;
  }
  for (const [name, value] of Object.entries(r.headers)) {
    if (name.toLowerCase() !== 'content-length') head += `${name}: ${value}\r\n`;
  }
  if (r.body !== undefined) head += `Content-Length: ${r.body.length}\r\n`;
  head += '\r\n';
  return r.body === undefined
    ? Buffer.from(head, 'latin1')
    : Buffer.concat([Buffer.from(head, 'latin1'), r.body]);
}

/** One whole answer: its status and body. */
export interface Answer {
  readonly status: number;
  readonly body: Buffer;
}

const HEAD_END = Buffer.from('\r\n\r\n', 'latin1');
const MAX_HEAD = 64 * 1024;

/**
 * Reads answers off one connection's bytes: the status line and headers up to the blank line, then the
 * body: none for an answer to HEAD or a 1xx, 204 or 304 status (RFC 9112 §6.3), else framed by its
 * chunked coding (S3 sends some answers so) or its Content-Length. `take` returns a finished answer, or
 * undefined while more bytes are needed; it throws on what it cannot frame (a broken status line or
 * header line, a bad or missing Content-Length, another transfer coding, a bad chunk, a head over 64
 * KiB). Exported for its test.
 */
export class AnswerParser {
  #buffer: Buffer = Buffer.alloc(0);
  #head:
    { readonly status: number; readonly length: number | 'chunked'; readonly bodyAt: number } | undefined;

  push(chunk: Buffer): void {
    this.#buffer = this.#buffer.length === 0 ? chunk : Buffer.concat([this.#buffer, chunk]);
  }

  /** Bytes pushed and not yet part of an answer taken. */
  get buffered(): number {
    return this.#buffer.length;
  }

  /** The next whole answer; `headRequest` says it answers a HEAD, so has no body whatever its headers say. */
  take(headRequest = false): Answer | undefined {
    if (this.#head === undefined) {
      const end = this.#buffer.indexOf(HEAD_END);
      if (end < 0) {
        if (this.#buffer.length > MAX_HEAD) throw new Error('an answer head over 64 KiB');
        return undefined;
      }
      this.#head = parseHead(this.#buffer.toString('latin1', 0, end), end + HEAD_END.length, headRequest);
    }
    const { status, length, bodyAt } = this.#head;
    const end = length === 'chunked' ? chunkedEnd(this.#buffer, bodyAt) : bodyAt + length;
    if (end === undefined || this.#buffer.length < end) return undefined;
    const body = this.#buffer.subarray(bodyAt, end);
    this.#buffer = this.#buffer.subarray(end);
    this.#head = undefined;
    return { status, body };
  }
}

function parseHead(
  head: string,
  bodyAt: number,
  headRequest: boolean,
): { status: number; length: number | 'chunked'; bodyAt: number } {
  const lines = head.split('\r\n');
  const statusLine = /^HTTP\/1\.[01] (\d{3})(?: |$)/.exec(lines[0] ?? '');
  if (statusLine === null) throw new Error(`not an HTTP/1.1 status line: ${JSON.stringify(lines[0])}`);
  const status = Number(statusLine[1]);
  let length: number | undefined;
  let chunked = false;
  for (const line of lines.slice(1)) {
    const colon = line.indexOf(':');
    if (colon <= 0) throw new Error(`not a header line: ${JSON.stringify(line.slice(0, 100))}`);
    const name = line.slice(0, colon).trim().toLowerCase();
    const value = line.slice(colon + 1).trim();
    if (name === 'transfer-encoding') {
      if (value.toLowerCase() !== 'chunked') throw new Error(`the load client reads no ${value} body`);
      chunked = true;
    } else if (name === 'content-length') {
      if (!/^\d+$/.test(value) || (length !== undefined && length !== Number(value))) {
        throw new Error(`a bad Content-Length: ${JSON.stringify(value)}`);
      }
      length = Number(value);
    }
  }
  if (headRequest || status < 200 || status === 204 || status === 304) return { status, length: 0, bodyAt };
  if (chunked) return { status, length: 'chunked', bodyAt };
  if (length === undefined) throw new Error('an answer without Content-Length');
  return { status, length, bodyAt };
}

/** A chunk-size line: hex digits, then perhaps chunk extensions (RFC 9112 §7.1). */
const CHUNK_SIZE = /^[0-9a-fA-F]+(?:[ \t]*;.*)?$/;

/** Where a chunked body that starts at `at` ends (after its last chunk and trailers), if it has. */
function chunkedEnd(buffer: Buffer, at: number): number | undefined {
  let pos = at;
  for (;;) {
    const eol = buffer.indexOf('\r\n', pos, 'latin1');
    if (eol < 0) return undefined;
    const sizeLine = buffer.toString('latin1', pos, eol);
    if (!CHUNK_SIZE.test(sizeLine))
      throw new Error(`a bad chunk size: ${JSON.stringify(sizeLine.slice(0, 40))}`);
    const size = Number.parseInt(sizeLine, 16);
    if (size === 0) {
      // The last chunk, then trailers (if any) up to an empty line.
      const end = buffer.indexOf(HEAD_END, eol);
      return end < 0 ? undefined : end + HEAD_END.length;
    }
    const dataEnd = eol + 2 + size;
    if (dataEnd + 2 > buffer.length) return undefined;
    if (buffer[dataEnd] !== 0x0d || buffer[dataEnd + 1] !== 0x0a)
      throw new Error('a chunk not ended by CRLF');
    pos = dataEnd + 2;
  }
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
