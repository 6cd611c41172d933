import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import {
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  utimesSync,
  writeFileSync,
  mkdirSync,
  existsSync,
  statSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { text } from 'node:stream/consumers';
import { after, describe, test } from 'node:test';
import { seededRandom } from '../shared/seeded-random.js';
import {
  BlobGoneError,
  BlobStore,
  READ_CHUNK_BYTES,
  retryIfGone,
  SMALL_READ_BYTES,
  SMALL_WRITE_BYTES,
} from './blob-store.js';

const dir = mkdtempSync(join(tmpdir(), 'openirsa-blobs-'));
after(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;
const fresh = () => new BlobStore(join(dir, `root-${++n}`));
const tooLarge = () => new Error('too large');

describe('BlobStore', () => {
  test('version ids are unique within an instance and across instances over the same directory', () => {
    const root = join(dir, 'versions');
    const seen = new Set<string>();
    for (const blobs of [new BlobStore(root), new BlobStore(root)]) {
      for (let i = 0; i < 5000; i++) seen.add(blobs.newVersionId());
    }
    assert.equal(seen.size, 10_000);
    const [first] = seen;
    // A 128-bit random prefix (32 hex digits) and a counter.
    assert.match(first ?? '', /^[0-9a-f]{32}-[0-9a-z]+$/);
  });

  test('a blob id is the SHA-256 of bucket, NUL, key, NUL, version, whatever characters the key holds', () => {
    // The reference: one Hash object fed each part (the form blobId had before it became one call).
    const reference = (bucket: string, key: string, version: string) =>
      createHash('sha256').update(bucket).update('\0').update(key).update('\0').update(version).digest('hex');
    const random = seededRandom(6);
    // ASCII, escapes, NUL, 2- and 3-byte UTF-8, an astral pair, and both halves of a pair alone.
    const alphabet = ['a', '/', '%', ' ', '\0', '\n', 'é', '€', '\u{1f600}', '\ud800', '\udc00', '&', '<'];
    const text = (max: number) => {
      let s = '';
      const length = Math.floor(random() * max);
      for (let i = 0; i < length; i++) s += alphabet[Math.floor(random() * alphabet.length)] ?? '';
      return s;
    };
    for (let i = 0; i < 2000; i++) {
      const [bucket, key, version] = [text(8), text(40), text(12)];
      assert.equal(BlobStore.blobId(bucket, key, version), reference(bucket, key, version), `case ${i}`);
    }
  });

  test('a blob is named by a hash of bucket, key and version, never by the key', async () => {
    const blobs = fresh();
    const id = BlobStore.blobId('b', '../../etc/passwd', 'v1');
    assert.match(id, /^[0-9a-f]{64}$/);
    assert.notEqual(id, BlobStore.blobId('b', '../../etc/passwd', 'v2'));
    // The separator keeps ("ab", "c") and ("a", "bc") apart.
    assert.notEqual(BlobStore.blobId('ab', 'c', 'v'), BlobStore.blobId('a', 'bc', 'v'));
    const written = await blobs.write(id, Readable.from([Buffer.from('hel'), Buffer.from('lo')]), {
      maxBytes: 100,
      tooLarge,
    });
    assert.equal(written.size, 5);
    assert.equal(written.md5.toString('hex'), createHash('md5').update('hello').digest('hex'));
    assert.ok(blobs.pathOf(id).startsWith(blobs.root));
    assert.equal(readFileSync(blobs.pathOf(id), 'utf8'), 'hello');
    assert.equal(await text(blobs.read(id)), 'hello');
    assert.equal(await text(blobs.read(id, { start: 1, end: 3 })), 'ell');
    assert.deepEqual(readdirSync(join(blobs.root, 'tmp')), []);
    await blobs.remove(id);
    await blobs.remove(id);
    assert.equal(existsSync(blobs.pathOf(id)), false);
  });

  test('a streamed read gives the bytes in chunks of at most READ_CHUNK_BYTES, whole and ranged', async () => {
    const blobs = fresh();
    const id = BlobStore.blobId('b', 'big', 'v1');
    const size = 2 * READ_CHUNK_BYTES + 1234;
    const bytes = Buffer.alloc(size);
    for (let i = 0; i < size; i++) bytes[i] = (i * 131) & 0xff;
    await blobs.write(id, Readable.from([bytes]), { maxBytes: size, tooLarge });
    const chunksOf = async (stream: Readable) => {
      const chunks: Buffer[] = [];
      for await (const chunk of stream) chunks.push(chunk as Buffer);
      return chunks;
    };
    for (const [name, stream, expected] of [
      ['openRead', await blobs.openRead(id), bytes],
      ['read', blobs.read(id), bytes],
      [
        'openRead, a range',
        await blobs.openRead(id, { start: 10, end: size - 11 }),
        bytes.subarray(10, size - 10),
      ],
    ] as const) {
      const chunks = await chunksOf(stream);
      // The memory a streaming GET holds is a chunk or two, whatever the object's size.
      assert.ok(
        chunks.every((c) => c.length <= READ_CHUNK_BYTES),
        `${name}: ${chunks.map((c) => c.length).join(', ')}`,
      );
      assert.equal(chunks[0]?.length, READ_CHUNK_BYTES, name);
      assert.ok(Buffer.concat(chunks).equals(expected), name);
    }
  });

  test('retryIfGone reads once more when the bytes are gone, and only then, and only once', async () => {
    const runs = (answers: readonly (Error | string)[]) => {
      let calls = 0;
      const read = () => {
        const answer = answers[calls++];
        return answer instanceof Error ? Promise.reject(answer) : Promise.resolve(answer ?? 'none');
      };
      return { read, calls: () => calls };
    };
    const gone = () => new BlobGoneError('b'.repeat(64));
    const once = runs(['first']);
    assert.equal(await retryIfGone(once.read), 'first');
    assert.equal(once.calls(), 1);
    const again = runs([gone(), 'second']);
    assert.equal(await retryIfGone(again.read), 'second');
    assert.equal(again.calls(), 2);
    const twice = runs([gone(), gone(), 'third']);
    await assert.rejects(retryIfGone(twice.read), BlobGoneError);
    assert.equal(twice.calls(), 2);
    const other = runs([new Error('disk on fire'), 'second']);
    await assert.rejects(retryIfGone(other.read), /disk on fire/);
    assert.equal(other.calls(), 1);
  });

  test('a failed check, an oversized or a failing source leaves no file behind', async () => {
    const blobs = fresh();
    const id = BlobStore.blobId('b', 'k', 'v');
    await assert.rejects(
      blobs.write(id, Readable.from([Buffer.from('hello')]), {
        maxBytes: 100,
        tooLarge,
        check: () => {
          throw new Error('bad digest');
        },
      }),
      { message: 'bad digest' },
    );
    await assert.rejects(
      blobs.write(id, Readable.from([Buffer.alloc(60), Buffer.alloc(60)]), { maxBytes: 100, tooLarge }),
      { message: 'too large' },
    );
    const failing = new Readable({
      read() {
        this.destroy(new Error('client went away'));
      },
    });
    await assert.rejects(blobs.write(id, failing, { maxBytes: 100, tooLarge }), {
      message: 'client went away',
    });
    assert.equal(existsSync(blobs.pathOf(id)), false);
    assert.deepEqual(readdirSync(join(blobs.root, 'tmp')), []);
  });

  test('the sweep removes old unreferenced blobs and stale temporaries, and keeps the rest', async () => {
    const blobs = fresh();
    const kept = BlobStore.blobId('b', 'kept', 'v');
    const orphan = BlobStore.blobId('b', 'orphan', 'v');
    const young = BlobStore.blobId('b', 'young', 'v');
    for (const id of [kept, orphan, young]) {
      await blobs.write(id, Readable.from([Buffer.from(id)]), { maxBytes: 100, tooLarge });
    }
    mkdirSync(join(blobs.root, 'tmp'), { recursive: true });
    const staleTmp = join(blobs.root, 'tmp', 'x.tmp');
    writeFileSync(staleTmp, 'partial');
    const past = new Date(Date.now() - 3600_000);
    for (const path of [blobs.pathOf(kept), blobs.pathOf(orphan), staleTmp]) utimesSync(path, past, past);
    const result = await blobs.sweep((id) => Promise.resolve(id === kept), Date.now());
    assert.deepEqual(result, { orphans: 1, staleTemporaries: 1, migrated: 0 });
    assert.equal(existsSync(blobs.pathOf(kept)), true);
    assert.equal(existsSync(blobs.pathOf(young)), true);
    assert.equal(existsSync(blobs.pathOf(orphan)), false);
    assert.equal(existsSync(staleTmp), false);
    assert.deepEqual(await fresh().sweep(() => Promise.resolve(false), Date.now()), {
      orphans: 0,
      staleTemporaries: 0,
      migrated: 0,
    });
  });
  test('a small read returns exactly the range in one buffer; a short, missing or oversized one fails', async () => {
    const blobs = fresh();
    const id = BlobStore.blobId('b', 'k', 'v1');
    await blobs.write(id, Readable.from([Buffer.from('hello world')]), { maxBytes: 100, tooLarge });
    assert.equal((await blobs.readSmall(id, { start: 0, end: 10 })).toString(), 'hello world');
    assert.equal((await blobs.readSmall(id, { start: 6, end: 8 })).toString(), 'wor');
    // The metadata promised more bytes than the file holds.
    await assert.rejects(blobs.readSmall(id, { start: 6, end: 20 }), /holds 5 of the 15 bytes/);
    await assert.rejects(blobs.readSmall(BlobStore.blobId('b', 'k', 'gone'), { start: 0, end: 0 }), {
      code: 'ENOENT',
    });
    assert.throws(() => blobs.readSmall(id, { start: 0, end: SMALL_READ_BYTES }), TypeError);
  });

  test('a blob removed while a small read of it is in flight is not cached by that read', async () => {
    const blobs = fresh();
    const id = BlobStore.blobId('b', 'k', 'racing');
    await blobs.write(id, Readable.from([Buffer.from('hello world')]), { maxBytes: 100, tooLarge });
    const reading = blobs.readSmall(id, { start: 0, end: 10 }, 11);
    // The read has opened (or is opening) the file on the threadpool; the removal lands meanwhile.
    const removing = blobs.remove(id);
    // Whether the read beat the unlink or not, the removed blob must not be in the cache afterwards.
    await Promise.allSettled([reading, removing]);
    assert.equal(blobs.cache.get(id), undefined);
    assert.equal(blobs.cache.size, 0);
  });

  test('a small read given the blob size reads the file once, then serves it from the cache', async () => {
    const blobs = fresh();
    const id = BlobStore.blobId('b', 'k', 'cached');
    await blobs.write(id, Readable.from([Buffer.from('hello world')]), { maxBytes: 100, tooLarge });
    assert.equal((await blobs.readSmall(id, { start: 0, end: 10 }, 11)).toString(), 'hello world');
    assert.equal(blobs.cache.size, 1);
    // The file is gone behind the store's back: a cached read opens no file, ranges included.
    rmSync(blobs.pathOf(id));
    assert.equal((await blobs.readSmall(id, { start: 0, end: 10 }, 11)).toString(), 'hello world');
    assert.equal((await blobs.readSmall(id, { start: 6, end: 8 }, 11)).toString(), 'wor');
    // Without the size, or beyond it, the file is read as before.
    await assert.rejects(blobs.readSmall(id, { start: 0, end: 10 }), { code: 'ENOENT' });
    await assert.rejects(blobs.readSmall(id, { start: 0, end: 11 }, 11), { code: 'ENOENT' });
    // Removing the blob through the store forgets it.
    await blobs.remove(id);
    assert.equal(blobs.cache.size, 0);
    await assert.rejects(blobs.readSmall(id, { start: 0, end: 10 }, 11), { code: 'ENOENT' });
  });

  test('a range read of a small blob caches the whole blob, and a short file is still an error', async () => {
    const blobs = fresh();
    const id = BlobStore.blobId('b', 'k', 'range');
    await blobs.write(id, Readable.from([Buffer.from('abcdef')]), { maxBytes: 100, tooLarge });
    assert.equal((await blobs.readSmall(id, { start: 2, end: 3 }, 6)).toString(), 'cd');
    assert.equal(blobs.cache.get(id)?.toString(), 'abcdef');
    const short = BlobStore.blobId('b', 'k', 'short');
    await blobs.write(short, Readable.from([Buffer.from('abc')]), { maxBytes: 100, tooLarge });
    await assert.rejects(blobs.readSmall(short, { start: 0, end: 0 }, 6), /holds 3 of the 6 bytes/);
    assert.equal(blobs.cache.get(short), undefined);
    // A blob above SMALL_READ_BYTES is never cached.
    const big = new BlobStore(join(dir, `root-${++n}`), { cacheBytes: 1024 * 1024 });
    const bigId = BlobStore.blobId('b', 'k', 'big');
    await big.write(bigId, Readable.from([Buffer.alloc(SMALL_READ_BYTES + 1, 7)]), {
      maxBytes: SMALL_READ_BYTES + 1,
      tooLarge,
    });
    assert.equal((await big.readSmall(bigId, { start: 0, end: 9 }, SMALL_READ_BYTES + 1)).length, 10);
    assert.equal(big.cache.size, 0);
  });

  test('a write into a fresh directory makes its fan-out directories, and a later write reuses them', async () => {
    const blobs = fresh();
    const first = BlobStore.blobId('b', 'k', 'v1');
    await blobs.write(first, Readable.from([Buffer.from('a')]), { maxBytes: 10, tooLarge });
    assert.equal(readFileSync(blobs.pathOf(first), 'utf8'), 'a');
    // The temporary directory is made once; removing it under a running store only fails one write.
    rmSync(join(blobs.root, 'tmp'), { recursive: true });
    const second = BlobStore.blobId('b', 'k', 'v2');
    await assert.rejects(blobs.write(second, Readable.from([Buffer.from('b')]), { maxBytes: 10, tooLarge }), {
      code: 'ENOENT',
    });
    await blobs.write(second, Readable.from([Buffer.from('b')]), { maxBytes: 10, tooLarge });
    assert.equal(readFileSync(blobs.pathOf(second), 'utf8'), 'b');
  });

  test('a blob lives one fan-out level down: the first two hex digits of its id', () => {
    const blobs = fresh();
    const id = BlobStore.blobId('b', 'k', 'layout');
    assert.equal(blobs.pathOf(id), join(blobs.root, id.slice(0, 2), id));
    assert.throws(() => blobs.pathOf('../x'), TypeError);
  });

  test('the sweep moves blobs of the older two-level layout up, then sweeps them like the others', async () => {
    const blobs = fresh();
    const kept = BlobStore.blobId('b', 'kept', 'legacy');
    const orphan = BlobStore.blobId('b', 'orphan', 'legacy');
    const past = new Date(Date.now() - 3600_000);
    for (const id of [kept, orphan]) {
      const legacyDir = join(blobs.root, id.slice(0, 2), id.slice(2, 4));
      mkdirSync(legacyDir, { recursive: true });
      writeFileSync(join(legacyDir, id), `bytes of ${id}`);
      utimesSync(join(legacyDir, id), past, past);
    }
    // Something that is not a blob keeps its directory where it is.
    const strayDir = join(blobs.root, kept.slice(0, 2), 'ff');
    mkdirSync(strayDir, { recursive: true });
    writeFileSync(join(strayDir, 'notes.txt'), 'not a blob');
    const result = await blobs.sweep((id) => Promise.resolve(id === kept), Date.now());
    assert.deepEqual(result, { orphans: 1, staleTemporaries: 0, migrated: 2 });
    assert.equal(readFileSync(blobs.pathOf(kept), 'utf8'), `bytes of ${kept}`);
    assert.equal(existsSync(blobs.pathOf(orphan)), false);
    assert.equal(existsSync(join(blobs.root, kept.slice(0, 2), kept.slice(2, 4))), false);
    assert.equal(readFileSync(join(strayDir, 'notes.txt'), 'utf8'), 'not a blob');
    // Reads find the moved blob where pathOf names it; a second sweep finds nothing left to move.
    assert.equal((await blobs.readSmall(kept, { start: 0, end: 8 })).toString(), 'bytes of ');
    assert.deepEqual(await blobs.sweep((id) => Promise.resolve(id === kept), Date.now()), {
      orphans: 0,
      staleTemporaries: 0,
      migrated: 0,
    });
  });

  test('a small write (bound ≤ SMALL_WRITE_BYTES) stores exactly what the streamed write stores', async () => {
    const blobs = fresh();
    // Random bodies in random chunkings, up to the small bound, through both paths.
    let seed = 42;
    const random = () => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed;
    };
    for (let round = 0; round < 40; round++) {
      const size = round === 0 ? 0 : round === 1 ? SMALL_WRITE_BYTES : random() % 9000;
      const body = Buffer.alloc(size);
      for (let i = 0; i < size; i++) body[i] = random() & 0xff;
      const chunks: Buffer[] = [];
      for (let at = 0; at < size;) {
        const n = 1 + (random() % 3000);
        chunks.push(body.subarray(at, at + n));
        at += n;
      }
      const small = BlobStore.blobId('b', 'k', `small-${round}`);
      const streamed = BlobStore.blobId('b', 'k', `streamed-${round}`);
      const a = await blobs.write(small, Readable.from(chunks), { maxBytes: SMALL_WRITE_BYTES, tooLarge });
      const b = await blobs.write(streamed, Readable.from(chunks), {
        maxBytes: SMALL_WRITE_BYTES + 1,
        tooLarge,
      });
      assert.equal(a.size, size);
      assert.deepEqual(a, b);
      assert.equal(a.md5.toString('hex'), createHash('md5').update(body).digest('hex'));
      assert.deepEqual(readFileSync(blobs.pathOf(small)), body);
      assert.deepEqual(readFileSync(blobs.pathOf(streamed)), body);
      assert.equal((statSync(blobs.pathOf(small)).mode & 0o777).toString(8), '600');
    }
    assert.deepEqual(readdirSync(join(blobs.root, 'tmp')), []);
  });

  test('a small write that grows past its bound, fails its check or whose source fails stores nothing', async () => {
    const blobs = fresh();
    const id = BlobStore.blobId('b', 'k', 'small-fail');
    const source = new PassThrough();
    const over = blobs.write(id, source, { maxBytes: 4, tooLarge });
    source.write(Buffer.from('abc'));
    source.write(Buffer.from('de'));
    await assert.rejects(over, /too large/);
    assert.equal(source.destroyed, true);
    await assert.rejects(
      blobs.write(id, Readable.from([Buffer.from('hello')]), {
        maxBytes: 100,
        tooLarge,
        check: (w) => {
          assert.equal(w.size, 5);
          throw new Error('bad digest');
        },
      }),
      /bad digest/,
    );
    const failing = new Readable({
      read() {
        this.destroy(new Error('client went away'));
      },
    });
    await assert.rejects(blobs.write(id, failing, { maxBytes: 100, tooLarge }), /client went away/);
    assert.equal(existsSync(blobs.pathOf(id)), false);
    assert.deepEqual(readdirSync(join(blobs.root, 'tmp')), []);
  });
});
