import type { ServerResponse } from 'node:http';
import type { WireResponse } from '../protocol/query-response.js';

/**
 * The answers held in memory (awsQuery, issuer, admin, and S3's) of one turn of the event loop, written
 * together once the turn's requests have run (a `setImmediate`, which runs after the poll phase that read them), each in one
 * write of its own as before: the same bytes, the same order, only later within the turn.
 *
 * Why: on this 2-core machine every response written while the client waits wakes the client's process,
 * and the server pays for the wake-up in its own write (the socket write was 21 % of the server's main
 * thread on a signed GetCallerIdentity). Written one after the other at the end of the turn, the answers
 * to the requests a turn read cost one wake-up of the client instead of one each, and the server's turn
 * runs without the client taking its core in the middle. bench/sts `--only gci`, main-thread CPU per
 * request, both servers side by side in alternating rounds (/tmp/h3/ab.sh): 100-113 µs → 77-85 µs.
 *
 * Owned by one server (createServer): nothing is shared between servers.
 */
export class ResponseBatch {
  private pending: Pending[] = [];

  /** `failed` answers a response whose write threw (our bug): the server's last-resort handler. */
  constructor(private readonly failed: (res: ServerResponse, error: unknown) => void) {}

  /** Queues `wire` as the answer on `res`; it is written before the event loop's next turn. */
  send(res: ServerResponse, wire: WireResponse): void {
    if (this.pending.push({ res, wire, write: undefined }) === 1) setImmediate(this.flush);
  }

  /**
   * Queues `write(res)`, an answer the caller writes itself (S3's, whose body may be bytes: s3-route.ts),
   * run in the same place as `send`'s answers, with the same failure handling. `write` must write a
   * whole answer that is already in memory: a streamed body is never queued.
   */
  sendWith(res: ServerResponse, write: (res: ServerResponse) => void): void {
    if (this.pending.push({ res, wire: undefined, write }) === 1) setImmediate(this.flush);
  }

  /** Writes what is queued, in the order it was queued; one failed write does not stop the others. */
  private readonly flush = (): void => {
    const batch = this.pending;
    this.pending = [];
    for (const { res, wire, write } of batch) {
      try {
        if (write !== undefined) write(res);
        // INVARIANT: every entry holds a `wire` or a `write` (send and sendWith are the only producers).
        else writeResponse(res, wire as WireResponse);
      } catch (error) {
        try {
          this.failed(res, error);
        } catch {
          // Thrown from a timer callback, it would end the process: the connection goes instead.
          res.destroy();
        }
      }
    }
  };
}

/** One queued answer: `wire` (send) or `write` (sendWith), the other undefined (one shape for both). */
interface Pending {
  readonly res: ServerResponse;
  readonly wire: WireResponse | undefined;
  readonly write: ((res: ServerResponse) => void) | undefined;
}

/** The status line, the headers and the body of one answer, with its Content-Length. */
export function writeResponse(res: ServerResponse, wire: WireResponse): void {
  res.writeHead(wire.status, headerList(wire.status, wire.headers, Buffer.byteLength(wire.body)));
  res.end(wire.body);
}

/**
 * `headers` as the flat list `writeHead` also takes (`[name, value, name, value, ...]`), ending with
 * `Content-Length: contentLength`; a Content-Length among `headers`, in any letter case, is left out,
 * so the answer carries exactly one, or none for a `status` that must have none (1xx, 204).
 *
 * Why a list rather than `{ ...headers, 'Content-Length': n }`: Node's `_storeHeader` walks a list by
 * index, and an object with `for...in` and `Object.hasOwn` per name, on objects of many shapes (each
 * answer's spread makes a new one). Measured on a signed GetCallerIdentity under bench/sts's load,
 * four alternating runs of both builds (a /tmp script): main thread 38.4 → 36.6 µs per request, +4 %
 * requests/s; AssumeRoleWithWebIdentity (bench/sts/ab.js, 8 rounds) 83.5 → 81.8 µs. A Buffer body
 * instead of the string made no difference (-0.3 µs).
 */
export function headerList(
  status: number,
  headers: Readonly<Record<string, string>>,
  contentLength: number | string,
): (string | number)[] {
  const list: (string | number)[] = [];
  for (const name of Object.keys(headers)) {
    if (name.length === CONTENT_LENGTH.length && name.toLowerCase() === CONTENT_LENGTH) continue;
    // INVARIANT: `name` is an own key of `headers`.
    list.push(name, headers[name] as string);
  }
  // RFC 9110 §8.6: "A server MUST NOT send a Content-Length header field in any response with a status
  // code of 1xx (Informational) or 204 (No Content)."
  if (status >= 200 && status !== 204) list.push('Content-Length', contentLength);
  return list;
}

const CONTENT_LENGTH = 'content-length';
