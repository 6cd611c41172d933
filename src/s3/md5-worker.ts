/**
 * The worker thread of `Md5Hashers` (md5-hashers.ts): it keeps one MD5 per stream id, updates it with
 * each chunk it is sent (the chunk's own buffer, moved here), says so after each, and answers a `digest` with the 16 bytes.
 * It touches no file and no socket.
 */
import { createHash, type Hash } from 'node:crypto';
import { parentPort } from 'node:worker_threads';
import type { Md5Answer, Md5Message } from './md5-hashers.js';

const hashes = new Map<number, Hash>();
// INVARIANT: this file only runs as a worker (md5-hashers.ts starts it), where parentPort is set.
const port = parentPort as NonNullable<typeof parentPort>;

port.on('message', (message: Md5Message) => {
  switch (message.kind) {
    case 'update': {
      let md5 = hashes.get(message.id);
      if (md5 === undefined) {
        md5 = createHash('md5');
        hashes.set(message.id, md5);
      }
      md5.update(message.bytes);
      // Said for every chunk: the sender bounds the bytes it has sent and not yet seen hashed.
      // The buffer goes back to be filled again (md5-hashers.ts keeps a few): no garbage per chunk.
      const hashed: Md5Answer = {
        kind: 'hashed',
        bytes: message.bytes.byteLength,
        buffer: message.bytes.buffer,
      };
      port.postMessage(hashed, [message.bytes.buffer as ArrayBuffer]);
      return;
    }
    case 'digest': {
      const md5 = hashes.get(message.id) ?? createHash('md5');
      hashes.delete(message.id);
      const digest = md5.digest();
      const answer: Md5Answer = { kind: 'digest', id: message.id, digest: new Uint8Array(digest) };
      port.postMessage(answer, [answer.digest.buffer as ArrayBuffer]);
      return;
    }
    case 'drop':
      hashes.delete(message.id);
      return;
  }
});
