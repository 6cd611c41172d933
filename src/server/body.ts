import type { IncomingMessage } from 'node:http';

/** The largest awsQuery body read (IAM and STS requests are forms of a few KB at most). */
export const MAX_QUERY_BODY_BYTES = 1024 * 1024;

export type BodyResult =
  | { readonly ok: true; readonly body: Buffer }
  | { readonly ok: false; readonly reason: 'tooLarge' | 'aborted' };

/**
 * Reads a request body of at most `maxBytes`. A larger `Content-Length` is refused before any byte is
 * read; a body that grows past the bound stops being buffered the moment it does. Never rejects.
 * `declared` is the request's `Content-Length` when the caller has its headers flat already (server.ts):
 * reading `req.headers` makes Node build that object, once per request, for this one header.
 */
export function readBody(
  req: IncomingMessage,
  maxBytes: number,
  declared: string | undefined = req.headers['content-length'],
): Promise<BodyResult> {
  if (declared !== undefined && /^\d+$/.test(declared) && Number(declared) > maxBytes) {
    return Promise.resolve({ ok: false, reason: 'tooLarge' });
  }
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let done = false;
    const finish = (result: BodyResult) => {
      if (done) return;
      done = true;
      req.off('data', onData);
      resolve(result);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBytes) {
        chunks.length = 0;
        finish({ ok: false, reason: 'tooLarge' });
        return;
      }
      chunks.push(chunk);
    };
    req.on('data', onData);
    req.once('end', () => finish({ ok: true, body: Buffer.concat(chunks) }));
    req.once('error', () => finish({ ok: false, reason: 'aborted' }));
    req.once('close', () => finish({ ok: false, reason: 'aborted' }));
  });
}
