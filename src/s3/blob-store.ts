import { createHash, randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, open, readdir, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { Transform, type Readable, type TransformCallback } from 'node:stream';
import { pipeline } from 'node:stream/promises';

/** What a finished write measured, while streaming. */
export interface WrittenBlob {
  readonly size: number;
  /** The MD5 of the bytes: the ETag of a single-part object (DESIGN.md, "Storage"). */
  readonly md5: Buffer;
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

/** What the start-up sweep removed. */
export interface SweepResult {
  readonly orphans: number;
  readonly staleTemporaries: number;
}

/** Files younger than this are never swept: another server may be about to commit their metadata. */
export const SWEEP_MIN_AGE_MS = 15 * 60 * 1000;

const TMP = 'tmp';
const BLOB_ID = /^[0-9a-f]{64}$/;

/**
 * Object bytes as files under `<data>/objects`, named by a SHA-256 of (bucket, key, a unique version or
 * upload id) and never by the key, so that no key can name a path outside the directory (DESIGN.md,
 * "Storage"). A write goes to a temporary file, is fsynced, then renamed into place; only then does the
 * caller commit the metadata row, so a crash leaves the old object or the new one, never a torn one.
 * Everything streams with backpressure (`stream.pipeline`): memory stays bounded whatever the size.
 */
export class BlobStore {
  constructor(readonly root: string) {}

  /** The blob id of one version of an object: hex SHA-256 of its parts, NUL-separated. */
  static blobId(bucket: string, key: string, versionId: string): string {
    return createHash('sha256')
      .update(bucket)
      .update('\0')
      .update(key)
      .update('\0')
      .update(versionId)
      .digest('hex');
  }

  /** A fresh unique id for `blobId`'s third part. */
  static newVersionId(): string {
    return randomBytes(16).toString('hex');
  }

  /** The file of a blob: two fan-out levels keep directories small. */
  pathOf(blobId: string): string {
    if (!BLOB_ID.test(blobId)) throw new TypeError(`not a blob id: \`${blobId.slice(0, 80)}\``);
    return join(this.root, blobId.slice(0, 2), blobId.slice(2, 4), blobId);
  }

  /**
   * Streams `source` into the blob `blobId`: temporary file (0600), fsync, `check`, rename, directory
   * fsync. On any failure (the source errs, the size bound, `check`) the temporary file is removed and
   * the error passed on; the blob is then untouched.
   */
  async write(blobId: string, source: Readable, options: BlobWrite): Promise<WrittenBlob> {
    const target = this.pathOf(blobId);
    const tmpDir = join(this.root, TMP);
    await mkdir(tmpDir, { recursive: true, mode: 0o700 });
    const tmp = join(tmpDir, `${randomBytes(12).toString('hex')}.tmp`);
    const measure = new Measure(options.maxBytes, options.tooLarge);
    try {
      // `flush`: the stream fsyncs the file before it closes it, so pipeline resolves on durable bytes.
      await pipeline(source, measure, createWriteStream(tmp, { flags: 'wx', mode: 0o600, flush: true }));
      const written = { size: measure.size, md5: measure.digest() };
      options.check?.(written);
      await mkdir(join(target, '..'), { recursive: true, mode: 0o700 });
      await rename(tmp, target);
      await syncDirectory(join(target, '..'));
      return written;
    } catch (error) {
      await rm(tmp, { force: true });
      throw error;
    }
  }

  /** The bytes of a blob, `start` to `end` inclusive when given (a Range read). */
  read(blobId: string, range?: { readonly start: number; readonly end: number }): Readable {
    return createReadStream(
      this.pathOf(blobId),
      range === undefined ? {} : { start: range.start, end: range.end },
    );
  }

  /** Removes a blob; a missing one is fine (a replaced blob is deleted once, after its commit). */
  async remove(blobId: string): Promise<void> {
    await rm(this.pathOf(blobId), { force: true });
  }

  /**
   * The start-up sweep: blob files that no object row names (a crash between rename and commit, or
   * after a commit and before the replaced blob was deleted), and temporary files left by a crash. Files
   * younger than `minAgeMs` are left alone.
   */
  async sweep(
    isReferenced: (blobId: string) => Promise<boolean>,
    now: number,
    minAgeMs = SWEEP_MIN_AGE_MS,
  ): Promise<SweepResult> {
    let orphans = 0;
    let staleTemporaries = 0;
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
      for (const second of await entries(join(this.root, first))) {
        for (const name of await entries(join(this.root, first, second))) {
          const path = join(this.root, first, second, name);
          if (!BLOB_ID.test(name) || !(await old(path))) continue;
          if (!(await isReferenced(name))) {
            await rm(path, { force: true });
            orphans++;
          }
        }
      }
    }
    return { orphans, staleTemporaries };
  }
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

/** Counts and MD5-hashes what passes through; fails past `maxBytes`. */
class Measure extends Transform {
  size = 0;
  readonly #md5 = createHash('md5');
  constructor(
    private readonly maxBytes: number,
    private readonly tooLarge: () => Error,
  ) {
    super();
  }
  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.size += chunk.length;
    if (this.size > this.maxBytes) {
      callback(this.tooLarge());
      return;
    }
    this.#md5.update(chunk);
    callback(null, chunk);
  }
  digest(): Buffer {
    return this.#md5.digest();
  }
}
