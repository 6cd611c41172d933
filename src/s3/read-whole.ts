import type { Readable } from 'node:stream';

/**
 * The whole of `source` in one buffer (the chunk itself when there is one), failing with `tooLarge()` (and
 * destroying the source) as soon as more than `maxBytes` arrive, with the source's own error (a digest
 * that does not match, a client gone), or with an error of its own when the source closes before its end.
 * Plain listeners and no `finished()`: for a body of a few KiB, end-of-stream's machinery cost more than
 * the copy it guards. Callers bound `maxBytes` (a body taken whole is at most 64 KiB here).
 */
export function readWhole(source: Readable, maxBytes: number, tooLarge: () => Error): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    // A body already destroyed (the client reset while the request was authenticated and looked up) or
    // already read by someone else emits nothing more: without this, the promise would never settle.
    if (source.destroyed || source.readableEnded) {
      reject(source.errored ?? new Error('the body closed before its end'));
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    let settled = false;
    const fail = (error: Error) => {
      if (settled) return;
      settled = true;
      reject(error);
    };
    source.on('data', (chunk: Buffer) => {
      if (settled) return;
      size += chunk.length;
      if (size > maxBytes) {
        const error = tooLarge();
        fail(error);
        source.destroy(error);
        return;
      }
      chunks.push(chunk);
    });
    source.once('end', () => {
      if (settled) return;
      settled = true;
      resolve(chunks.length === 1 && chunks[0] !== undefined ? chunks[0] : Buffer.concat(chunks, size));
    });
    source.once('error', fail);
    // A source destroyed without an error (a client gone, on some paths) closes without 'end'. Every body
    // closes after its end too: the error (and its stack trace) is only made when it is needed.
    source.once('close', () => {
      if (!settled) fail(new Error('the body closed before its end'));
    });
  });
}
