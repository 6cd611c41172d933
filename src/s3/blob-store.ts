import { createHash, hash, randomBytes } from 'node:crypto';
import { close, createReadStream, createWriteStream, open as openFile, read as readFile } from 'node:fs';
import { mkdir, open, readdir, rename, rm, rmdir, stat, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { Transform, type Readable, type TransformCallback } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ObjectStore, S3Object } from '../store/objects.js';
import { SmallBlobCache } from './blob-cache.js';
import { DurableWriters } from './durable-writers.js';
import { Md5Hashers, type OffThreadMd5 } from './md5-hashers.js';
import { readWhole } from './read-whole.js';
import { GroupCommit } from './group-commit.js';

/** Bytes of a body a blob write may hold queued for the file (one writev's worth). */
const WRITE_BUFFER = 1024 * 1024;

/**
 * Bytes a streamed blob read asks of the file at a time: 4 times `fs.createReadStream`'s 64 KiB default.
 * Each chunk is a trip to the thread pool and back, and a socket write: on this 2-core machine a 1 GiB
 * GET of 64 KiB chunks switched threads about 58,000 times and spent 1.5-1.7 s of CPU per GiB, where
 * 256 KiB chunks switched about 14,000 times and spent 1.2-1.3 s (`node dist/bench/s3/run.js --only
 * large`, session 7: 76 % of the bare server's rate before, 93 % after). A GET holds about two chunks
 * (one read ahead, one in the socket): up to 512 KiB per streaming GET whatever the object's size, so
 * about 4 times as much as before for each GET stalled by a slow client at the same time.
 */
export const READ_CHUNK_BYTES = 256 * 1024;

/** What a finished write measured, while streaming. */
export interface WrittenBlob {
  readonly size: number;
  /** The MD5 of the bytes: the ETag of a single-part object (DESIGN.md, "Storage"). */
  readonly md5: Buffer;
}

/** What `BlobStore.take` returns: the measures of a write, and the bytes themselves. */
export interface TakenBlob extends WrittenBlob {
  readonly bytes: Buffer;
}

/** Where the bytes of inline objects are read from: the store (`ObjectStore.getBytes`). */
export type InlineBytes = Pick<ObjectStore, 'getBytes'>;

/**
 * The bytes of a blob are gone: the object whose row named them was deleted or overwritten after the row
 * was read and before its bytes were (an inline row deleted, or a file unlinked). Not a fault of ours: the
 * reader reads the row again (s3/object-read.ts), as a read that came after the change would have.
 */
export class BlobGoneError extends Error {
  /** As the file system says it of a file that is gone, so callers that test for a missing file still do. */
  readonly code = 'ENOENT';
  constructor(readonly blobId: string) {
    super(`the bytes of blob ${blobId} are gone`);
    this.name = 'BlobGoneError';
  }
}

/**
 * Runs `read` (a read of an object's row, then of its bytes) and, when the bytes turn out to be gone
 * (`BlobGoneError`: a delete or an overwrite committed between the two reads), runs it once more, so that
 * the answer is that of a read after the change (NoSuchKey, or the newer version), never a 500: S3's
 * reads are strongly consistent, a read sees the object as one of the writes left it. Bytes gone a second
 * time, or any other error, are thrown as they are.
 */
export async function retryIfGone<T>(read: () => Promise<T>): Promise<T> {
  try {
    return await read();
  } catch (error) {
    if (!(error instanceof BlobGoneError)) throw error;
    return read();
  }
}

/** Options of `BlobStore.write`. */
export interface BlobWrite {
  /** A write that grows beyond it fails with `tooLarge` before the file is kept. */
  readonly maxBytes: number;
  /**
   * Called once every byte is on disk and before the file takes its name: a throw (a Content-MD5 that does
   * not match) discards the file and is passed on.
   */
  readonly check?: (written: WrittenBlob) => void;
  /** The error to raise once more than `maxBytes` arrive. */
  readonly tooLarge: () => Error;
}

/** What the start-up sweep removed, and moved. */
export interface SweepResult {
  readonly orphans: number;
  readonly staleTemporaries: number;
  /** Blobs moved from the two-level layout of earlier versions into the one-level one. */
  readonly migrated: number;
}

/** Files younger than this are never swept: another server may be about to commit their metadata. */
export const SWEEP_MIN_AGE_MS = 15 * 60 * 1000;

const TMP = 'tmp';

/**
 * Reads up to this many bytes go whole into one buffer (`readSmall`); larger ones stream. Below it a
 * stream would read the same one chunk (READ_CHUNK_BYTES is larger), with far more machinery around it;
 * it is also the small-blob cache's largest entry, and INLINE_MAX, so an inline object is always read
 * whole.
 */
export const SMALL_READ_BYTES = 64 * 1024;
/** Writes bounded by at most this many bytes take their body whole, then write it in one call (`write`). */
export const SMALL_WRITE_BYTES = 64 * 1024;
/**
 * Objects of at most this many bytes keep their bytes in the store, in the transaction of their metadata
 * row (docs/storage.md), instead of in a file: one WAL append, fsynced once per group commit, instead of a
 * file creation, an fdatasync, a rename and a directory fsync each (~450 µs of CPU per object on the
 * bench machine even in a bare server). Measured (bench/s3/inline-threshold.ts, 16 in flight, main-thread
 * µs per object, inline vs file): 4 KiB 41 vs 214, 64 KiB 182 vs 372, 128 KiB 348 vs 629, 256 KiB 697
 * vs 615 — inline costs ~2.7 µs per KiB on the event loop (the commit copies the bytes under the write
 * lock) and stops paying between 128 and 256 KiB. 64 KiB keeps a clear margin and is the bound of
 * SMALL_WRITE_BYTES and of the blob cache's entries, so an inline object is always taken whole and read
 * whole; 128 KiB would still win but needs both bounds raised and holds the write lock twice as long.
 */
export const INLINE_MAX = 64 * 1024;

/** Whether an object of `size` bytes keeps them in the store (INLINE_MAX). */
export function isInlineSize(size: number): boolean {
  return size <= INLINE_MAX;
}

const BLOB_ID = /^[0-9a-f]{64}$/;
/** The name of a fan-out directory: the first two hex digits of the blob ids it holds. */
const FAN_OUT = /^[0-9a-f]{2}$/;

/**
 * Object bytes as files under `<data>/objects`, named by a SHA-256 of (bucket, key, a unique version or
 * upload id) and never by the key, so that no key can name a path outside the directory (DESIGN.md,
 * "Storage"). A write goes to a temporary file, is fsynced, then renamed into place; only then does the
 * caller commit the metadata row, so a crash leaves the old object or the new one, never a torn one.
 * Everything streams with backpressure (`stream.pipeline`): memory stays bounded whatever the size.
 *
 * Objects of at most INLINE_MAX bytes are the exception (docs/storage.md, a deviation from DESIGN.md's
 * "bytes in files"): `take` reads their body whole and checks it, and the caller hands the bytes to the
 * store with the metadata row (`ObjectStore.put(object, bytes)`), in one transaction; no file is made.
 * `readObject` reads either kind; `release` forgets either kind once its row is gone. Inline bytes need
 * no sweep: they are written and deleted in their row's own transactions, so none can be orphaned.
 */
export class BlobStore {
  /**
   * The group commit of the metadata rows that name this directory's new blobs (s3/group-commit.ts): one
   * per blob store, so one per server.
   */
  readonly commits = new GroupCommit();
  /** The whole bytes of small blobs read before (s3/blob-cache.ts), served by `readSmall`. */
  readonly cache: SmallBlobCache;
  /** Removals so far: a small read that saw one happen while it read does not cache what it read. */
  #removals = 0;
  /** File removals in flight (`settled`). */
  readonly #unlinking = new Set<Promise<void>>();
  /** The temporary directory, once made. */
  #tmpDir: Promise<void> | undefined;
  /** The worker threads that write small blobs (durable-writers.ts). */
  readonly #writers = new DurableWriters();
  /** The worker thread that hashes streamed bodies (md5-hashers.ts). */
  readonly #md5 = new Md5Hashers();
  /** Temporary file names: this instance's random prefix and a counter. */
  readonly #tmpPrefix = randomBytes(8).toString('hex');
  #tmpCount = 0;
  /** Version ids (`newVersionId`): this instance's random prefix and a counter. */
  readonly #versionPrefix = randomBytes(16).toString('hex');
  #versionCount = 0;

  constructor(
    readonly root: string,
    /** `cacheBytes`: the bound of the small-blob cache (DEFAULT_BLOB_CACHE_BYTES; 0 turns it off). */
    options: { readonly cacheBytes?: number } = {},
  ) {
    this.cache = new SmallBlobCache(options.cacheBytes, SMALL_READ_BYTES);
  }

  /**
   * The blob id of one version of an object: hex SHA-256 of its parts' UTF-8, NUL-separated. One
   * `crypto.hash` call over the joined text: the same bytes as five `update`s of a Hash object (the NULs
   * keep a part's lone surrogate from pairing with the next part's), at a third of the cost (0.5 vs 1.6 µs).
   */
  static blobId(bucket: string, key: string, versionId: string): string {
    return hash('sha256', `${bucket}\0${key}\0${versionId}`, 'hex');
  }

  /**
   * A fresh unique id for `blobId`'s third part: this instance's random 128-bit prefix and a counter. Unique
   * within the instance by the counter, across instances (restarts, servers sharing a data directory) by
   * the prefix; no random bytes per object (randomBytes(16) was ~9 µs of each small PutObject, profiled).
   */
  newVersionId(): string {
    return `${this.#versionPrefix}-${(++this.#versionCount).toString(36)}`;
  }

  /**
   * The file of a blob: one fan-out level of 256 directories (the first two hex digits of the id). Two
   * levels (65,536 directories) made nearly every PutObject into a young data directory create a
   * directory, an inode allocation and an fsync of its parent more; 256 are all made after a few
   * thousand writes, and keep a directory below 40,000 entries up to ten million objects.
   */
  pathOf(blobId: string): string {
    if (!BLOB_ID.test(blobId)) throw new TypeError(`not a blob id: \`${blobId.slice(0, 80)}\``);
    return join(this.root, blobId.slice(0, 2), blobId);
  }

  /**
   * Streams `source` into the blob `blobId`: temporary file (0600), fsync, `check`, rename, directory
   * fsync. On any failure (the source errs, the size bound, `check`) the temporary file is removed and
   * the error passed on; the blob is then untouched.
   *
   * A write bounded by at most SMALL_WRITE_BYTES (a small part; a small PutObject is inline: `take`)
   * takes the body whole first, runs `check`, then has one worker thread do the same durable steps in
   * one go (durable-writers.ts): no stream pipeline, whose machinery (an AbortController aborted at its
   * end, which builds a DOMException with a stack trace) cost more than the file work, and two thread
   * hand-offs instead of sixteen. The file is fdatasynced, which is enough for a new file: its bytes and
   * the size that reads them become durable; the times it skips are never read.
   */
  async write(blobId: string, source: Readable, options: BlobWrite): Promise<WrittenBlob> {
    const target = this.pathOf(blobId);
    const tmpDir = join(this.root, TMP);
    // Made once per instance, not once per write (a write that finds it gone makes it again next time).
    this.#tmpDir ??= mkdir(tmpDir, { recursive: true, mode: 0o700 }).then(() => undefined);
    // Unique per instance by its counter, across instances (servers sharing the directory) by its prefix.
    const tmp = join(tmpDir, `${this.#tmpPrefix}-${++this.#tmpCount}.tmp`);
    const ended = this.commits.beginWrite();
    let measure: Measure | undefined;
    try {
      await this.#tmpDir;
      if (options.maxBytes <= SMALL_WRITE_BYTES) {
        const bytes = await readWhole(source, options.maxBytes, options.tooLarge);
        const whole = { size: bytes.length, md5: createHash('md5').update(bytes).digest() };
        // Checked before any file exists: a failed check has nothing to remove.
        options.check?.(whole);
        this.cache.delete(blobId);
        await this.#writers.write(tmp, target, bytes);
        return whole;
      }
      measure = new Measure(options.maxBytes, options.tooLarge, this.#md5.begin());
      // `highWaterMark`: up to WRITE_BUFFER of socket chunks queue while one write is in flight, so the
      // socket keeps being read and the queued chunks go to the file in one writev (16 KiB by default:
      // every 64 KiB chunk paused the body until its own write had finished).
      // `flush`: the stream fsyncs the file before it closes it, so pipeline resolves on durable bytes.
      await pipeline(
        source,
        measure,
        createWriteStream(tmp, { flags: 'wx', mode: 0o600, flush: true, highWaterMark: WRITE_BUFFER }),
      );
      const written = { size: measure.size, md5: await measure.digest() };
      options.check?.(written);
      // Never the case for a fresh id (each holds a random version id); kept so no stale bytes can answer.
      this.cache.delete(blobId);
      await this.#rename(tmp, target);
      await syncDirectory(join(target, '..'));
      return written;
    } catch (error) {
      measure?.forgetDigest();
      if (isMissing(error)) this.#tmpDir = undefined;
      await rm(tmp, { force: true });
      throw error;
    } finally {
      ended();
    }
  }

  /**
   * Renames into place; the fan-out directories are made only when the rename finds them missing, and a
   * directory made is itself made durable (its parent fsynced) before the blob's rename is.
   */
  async #rename(tmp: string, target: string): Promise<void> {
    try {
      await rename(tmp, target);
      return;
    } catch (error) {
      if (!isMissing(error)) throw error;
    }
    const dir = join(target, '..');
    const first = await mkdir(dir, { recursive: true, mode: 0o700 });
    if (first !== undefined) {
      // `first` is the top directory made: its parent, and each directory made below it, gain an entry.
      for (let d = dir; d.length >= first.length; d = join(d, '..')) await syncDirectory(join(d, '..'));
    }
    await rename(tmp, target);
  }

  /**
   * The measures of an inline object's body, taken whole (`S3Payload.whole`, at most INLINE_MAX bytes):
   * its size and MD5 (one call over the whole), then `check`, whose throw is passed on. Nothing is
   * stored: the caller puts the bytes with the object's row.
   */
  take(bytes: Buffer, check?: (written: WrittenBlob) => void): TakenBlob {
    if (!isInlineSize(bytes.length)) {
      throw new TypeError(`an inline body is at most ${INLINE_MAX} bytes, got ${bytes.length}`);
    }
    const taken = { size: bytes.length, md5: hash('md5', bytes, 'buffer'), bytes };
    check?.(taken);
    return taken;
  }

  /**
   * The bytes `start` to `end` inclusive of an object's blob, whole in one buffer: an inline object's from
   * the cache or the store (`objects`), a file's through `readSmall` (the caller bounds its length to
   * SMALL_READ_BYTES). An inline object whose bytes are gone (deleted since its row was read) fails with
   * `BlobGoneError`, as a file that is gone does. The buffer may be a view of cached bytes: callers never write into it.
   */
  readObject(
    objects: InlineBytes,
    object: Pick<S3Object, 'blobId' | 'size' | 'inline'>,
    range: { readonly start: number; readonly end: number },
  ): Promise<Buffer> {
    if (object.inline !== true) return this.readSmall(object.blobId, range, object.size);
    if (range.start < 0 || range.end < range.start || range.end >= object.size) {
      throw new TypeError(
        `range ${range.start}-${range.end} is not within the ${object.size} bytes of the object`,
      );
    }
    const cached = this.cache.get(object.blobId);
    if (cached !== undefined) return Promise.resolve(part(cached, range));
    const removals = this.#removals;
    return objects.getBytes(object.blobId).then((whole) => {
      if (whole === undefined) throw new BlobGoneError(object.blobId);
      if (whole.length !== object.size) {
        throw new Error(`the store holds no ${object.size} bytes for blob ${object.blobId}`);
      }
      // As for files: bytes released while they were read are not cached again.
      if (this.#removals === removals) this.cache.set(object.blobId, whole);
      return part(whole, range);
    });
  }

  /**
   * Forgets the blob of an object whose row is gone (deleted, or replaced by a committed put): an inline
   * object's bytes went with its row, so only the cache entry goes; a file is removed (`remove`).
   */
  release(object: Pick<S3Object, 'blobId' | 'inline'>): Promise<void> {
    if (object.inline !== true) return this.remove(object.blobId);
    this.#removals++;
    this.cache.delete(object.blobId);
    return Promise.resolve();
  }

  /**
   * As `read`, once the file is open: a blob that is gone fails here with `BlobGoneError`, before any
   * answer is begun, and a removal after it cannot cut the stream short (the descriptor keeps the bytes).
   */
  openRead(blobId: string, range?: { readonly start: number; readonly end: number }): Promise<Readable> {
    const path = this.pathOf(blobId);
    return new Promise((resolve, reject) => {
      openFile(path, 'r', (error, fd) => {
        if (error !== null) return reject(isMissing(error) ? new BlobGoneError(blobId) : error);
        // A throw here (a range createReadStream refuses) would escape this callback and end the process.
        try {
          resolve(
            createReadStream(
              path,
              range === undefined
                ? { fd, highWaterMark: READ_CHUNK_BYTES }
                : { fd, start: range.start, end: range.end, highWaterMark: READ_CHUNK_BYTES },
            ),
          );
        } catch (thrown) {
          close(fd, () => reject(thrown instanceof Error ? thrown : new Error(String(thrown))));
        }
      });
    });
  }

  /** The bytes of a blob, `start` to `end` inclusive when given (a Range read). */
  read(blobId: string, range?: { readonly start: number; readonly end: number }): Readable {
    return createReadStream(
      this.pathOf(blobId),
      range === undefined
        ? { highWaterMark: READ_CHUNK_BYTES }
        : { start: range.start, end: range.end, highWaterMark: READ_CHUNK_BYTES },
    );
  }

  /**
   * The bytes `start` to `end` inclusive of a blob, read whole into one buffer: one open, one read, one
   * close, and no stream machinery (the GetObject fast path for small objects, s3/object-read.ts). A
   * blob shorter than the range fails: the metadata promised bytes the file does not hold. Callers bound
   * the length (SMALL_READ_BYTES).
   *
   * With `blobSize` (the size the object's metadata gives its blob) of at most SMALL_READ_BYTES, the
   * whole blob is read and kept in the small-blob cache, and later reads of it open no file. The buffer
   * returned may then be a view of the cached bytes: callers only send it, never write into it.
   */
  readSmall(
    blobId: string,
    range: { readonly start: number; readonly end: number },
    blobSize?: number,
  ): Promise<Buffer> {
    const length = range.end - range.start + 1;
    if (!Number.isSafeInteger(length) || length < 1 || length > SMALL_READ_BYTES) {
      throw new TypeError(`a small read is 1 to ${SMALL_READ_BYTES} bytes, got ${length}`);
    }
    if (blobSize === undefined || blobSize > SMALL_READ_BYTES || range.end >= blobSize) {
      return this.#readFile(blobId, range.start, length);
    }
    const cached = this.cache.get(blobId);
    if (cached !== undefined) return Promise.resolve(part(cached, range));
    const removals = this.#removals;
    return this.#readFile(blobId, 0, blobSize).then((whole) => {
      // A blob removed while its file was being read is not cached again (it would only take room:
      // blob ids are never reused, but the cache must not hold a file that is gone).
      if (this.#removals === removals) this.cache.set(blobId, whole);
      return part(whole, range);
    });
  }

  /** `length` bytes of a blob's file from `start`: one open, one read, one close. */
  #readFile(blobId: string, start: number, length: number): Promise<Buffer> {
    const path = this.pathOf(blobId);
    return new Promise((resolve, reject) => {
      openFile(path, 'r', (openError, fd) => {
        if (openError !== null) return reject(isMissing(openError) ? new BlobGoneError(blobId) : openError);
        const buffer = Buffer.allocUnsafe(length);
        readFile(fd, buffer, 0, length, start, (readError, bytesRead) => {
          close(fd, (closeError) => {
            if (readError !== null) return reject(readError);
            if (closeError !== null) return reject(closeError);
            if (bytesRead !== length) {
              return reject(new Error(`blob ${blobId} holds ${bytesRead} of the ${length} bytes asked for`));
            }
            resolve(buffer);
          });
        });
      });
    });
  }

  /** Removes a blob; a missing one is fine (a replaced blob is deleted once, after its commit). */
  remove(blobId: string): Promise<void> {
    this.#removals++;
    this.cache.delete(blobId);
    const removal = this.#unlink(blobId);
    this.#unlinking.add(removal);
    const forget = () => this.#unlinking.delete(removal);
    removal.then(forget, forget);
    return removal;
  }

  async #unlink(blobId: string): Promise<void> {
    try {
      await unlink(this.pathOf(blobId));
    } catch (error) {
      if (!isMissing(error)) throw error;
    }
  }

  /** Resolves once every removal begun so far has ended, however it ended (for tests and shutdown). */
  async settled(): Promise<void> {
    await Promise.allSettled([...this.#unlinking]);
  }

  /**
   * The start-up sweep: blob files that no object row names (a crash between rename and commit, or
   * after a commit and before the replaced blob was deleted), and temporary files left by a crash. Files
   * younger than `minAgeMs` are left alone. Blobs still in the two-level layout of earlier versions
   * (`<aa>/<bb>/<id>`) move up into their one-level directory first (`migrateLegacy`).
   */
  async sweep(
    isReferenced: (blobId: string) => Promise<boolean>,
    now: number,
    minAgeMs = SWEEP_MIN_AGE_MS,
  ): Promise<SweepResult> {
    let orphans = 0;
    let staleTemporaries = 0;
    let migrated = 0;
    const old = async (path: string) => now - (await stat(path)).mtimeMs >= minAgeMs;
    for (const first of await entries(this.root)) {
      if (first === TMP) {
        for (const name of await entries(join(this.root, TMP))) {
          const path = join(this.root, TMP, name);
          if (await old(path)) {
            await rm(path, { force: true });
            staleTemporaries++;
          }
        }
        continue;
      }
      if (!FAN_OUT.test(first)) continue;
      migrated += await this.#migrateLegacy(first);
      for (const name of await entries(join(this.root, first))) {
        const path = join(this.root, first, name);
        if (!BLOB_ID.test(name) || !name.startsWith(first) || !(await old(path))) continue;
        if (!(await isReferenced(name))) {
          await rm(path, { force: true });
          orphans++;
        }
      }
    }
    return { orphans, staleTemporaries, migrated };
  }

  /**
   * Moves the blobs of `<first>/<second>/` (the two-level layout of earlier versions) into `<first>/`,
   * then removes the emptied directories. Each move is a rename, so a blob is always under exactly one
   * of its two names; `<first>` is fsynced before the old directories go, so a crash at any point
   * leaves every blob where this sweep, run again, finds it.
   */
  async #migrateLegacy(first: string): Promise<number> {
    const dir = join(this.root, first);
    const legacy = (await entries(dir)).filter((name) => FAN_OUT.test(name));
    if (legacy.length === 0) return 0;
    let moved = 0;
    for (const second of legacy) {
      for (const name of await entries(join(dir, second))) {
        if (!BLOB_ID.test(name) || !name.startsWith(first + second)) continue;
        await rename(join(dir, second, name), join(dir, name));
        moved++;
      }
    }
    await syncDirectory(dir);
    for (const second of legacy) {
      // A directory that still holds something that is not a blob stays, untouched.
      await rmdir(join(dir, second)).catch(() => undefined);
    }
    await syncDirectory(dir);
    return moved;
  }
}

/** `start` to `end` inclusive of a whole blob's bytes: the buffer itself when that is all of it. */
function part(whole: Buffer, range: { readonly start: number; readonly end: number }): Buffer {
  return range.start === 0 && range.end === whole.length - 1
    ? whole
    : whole.subarray(range.start, range.end + 1);
}

function isMissing(error: unknown): boolean {
  return (error as { code?: unknown }).code === 'ENOENT';
}

async function entries(dir: string): Promise<string[]> {
  try {
    return await readdir(dir);
  } catch (error) {
    if ((error as { code?: unknown }).code === 'ENOENT' || (error as { code?: unknown }).code === 'ENOTDIR') {
      return [];
    }
    throw error;
  }
}

/** A rename is durable once the directory holding it is synced. */
async function syncDirectory(dir: string): Promise<void> {
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** Counts and MD5-hashes (in the worker: md5-hashers.ts) what passes through; fails past `maxBytes`. */
class Measure extends Transform {
  size = 0;
  constructor(
    private readonly maxBytes: number,
    private readonly tooLarge: () => Error,
    private readonly md5: OffThreadMd5,
  ) {
    super();
  }
  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.size += chunk.length;
    if (this.size > this.maxBytes) {
      callback(this.tooLarge());
      return;
    }
    const behind = this.md5.update(chunk);
    if (behind === undefined) callback(null, chunk);
    else behind.then(() => callback(null, chunk), callback);
  }
  digest(): Promise<Buffer> {
    return this.md5.digest();
  }

  /** The write failed: no digest follows. */
  forgetDigest(): void {
    this.md5.drop();
  }
}
