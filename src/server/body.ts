import type { IncomingMessage } from 'node:http';

/** The largest awsQuery body read (IAM and STS requests are forms of a few KB at most). */
export const MAX_QUERY_BODY_BYTES = 1024 * 1024;

export type BodyResult =
  | { readonly ok: true; readonly body: Buffer }
  | { readonly ok: false; readonly reason: 'tooLarge' | 'aborted' };

const TOO_LARGE: BodyResult = Object.freeze({ ok: false, reason: 'tooLarge' });
const ABORTED: BodyResult = Object.freeze({ ok: false, reason: 'aborted' });

/**
 * Reads a request body of at most `maxBytes`. A larger `Content-Length` is refused before any byte is
 * read; a body that grows past the bound stops being buffered the moment it does. Never rejects.
 * `declared` is the request's `Content-Length` when the caller has its headers flat already (server.ts):
 * reading `req.headers` makes Node build that object, once per request, for this one header.
 *
 * Three listeners, added with `on` (each `once` wraps its listener in two objects more): `error` and
 * `close` share one. They stay on the request after it settles, doing nothing: the request ends with
 * the exchange, and an `error` after the body was read is still handled (not thrown as unhandled).
 */
export function readBody(
  req: IncomingMessage,
  maxBytes: number,
  declared: string | undefined = req.headers['content-length'],
): Promise<BodyResult> {
  if (declared !== undefined && /^\d+$/.test(declared) && Number(declared) > maxBytes) {
    return Promise.resolve(TOO_LARGE);
  }
  return new Promise((resolve) => {
    // The chunks read so far; `undefined` once settled.
    let chunks: Buffer[] | undefined = [];
    let size = 0;
    const settle = (result: BodyResult) => {
      chunks = undefined;
      req.off('data', onData);
      resolve(result);
    };
    const onData = (chunk: Buffer) => {
      if (chunks === undefined) return;
      size += chunk.length;
      if (size > maxBytes) settle(TOO_LARGE);
      else chunks.push(chunk);
    };
    const onEnd = () => {
      if (chunks !== undefined) settle({ ok: true, body: Buffer.concat(chunks) });
    };
    const onAbort = () => {
      if (chunks !== undefined) settle(ABORTED);
    };
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onAbort);
    req.on('close', onAbort);
  });
}
