/** Default bound of a SmallBlobCache: the bytes of all the blobs it holds, together. */
export const DEFAULT_BLOB_CACHE_BYTES = 32 * 1024 * 1024;

/**
 * The bytes of small blobs, whole, kept in memory so that a GetObject of a small object that was read
 * before reads no file (an open, a read and a close on the libuv threadpool, each a round trip to it).
 *
 * Invalidation is trivial because blobs are immutable: a blob id names one version of an object (a fresh
 * random version id goes into every id, s3/blob-store.ts), so new bytes always come under a new id, and
 * an id is never written twice. `BlobStore` still drops an id it writes or removes (`delete`), so the
 * cache never answers for a file that is gone. Bounded by the total bytes held (`maxBytes`), least
 * recently used out first. One instance per blob store: no module-level state.
 */
export class SmallBlobCache {
  /** Insertion order is recency order: a hit moves its entry to the end. */
  readonly #entries = new Map<string, Buffer>();
  #bytes = 0;

  constructor(
    /** The bound on the bytes of all entries together; 0 turns the cache off. */
    readonly maxBytes = DEFAULT_BLOB_CACHE_BYTES,
    /** The largest single blob kept. */
    readonly maxEntryBytes = 64 * 1024,
  ) {
    for (const [name, value] of [
      ['maxBytes', maxBytes],
      ['maxEntryBytes', maxEntryBytes],
    ] as const) {
      if (!Number.isSafeInteger(value) || value < 0) {
        throw new TypeError(`${name} must be a non-negative integer, got ${String(value)}`);
      }
    }
  }

  /** Bytes held now (for tests and diagnostics). */
  get bytes(): number {
    return this.#bytes;
  }

  /** Entries held now. */
  get size(): number {
    return this.#entries.size;
  }

  /** The whole blob, if held; it becomes the most recently used. Callers never write into it. */
  get(blobId: string): Buffer | undefined {
    const bytes = this.#entries.get(blobId);
    if (bytes === undefined) return undefined;
    this.#entries.delete(blobId);
    this.#entries.set(blobId, bytes);
    return bytes;
  }

  /**
   * Keeps the whole bytes of a blob (a copy of exactly them, so that no larger buffer they may be a view
   * of stays alive). Too large a blob is not kept; the least recently used go until the bound holds.
   */
  set(blobId: string, bytes: Buffer): void {
    this.delete(blobId);
    if (bytes.length > this.maxEntryBytes || bytes.length > this.maxBytes) return;
    const own = Buffer.allocUnsafeSlow(bytes.length);
    bytes.copy(own);
    this.#entries.set(blobId, own);
    this.#bytes += own.length;
    for (const [id, held] of this.#entries) {
      if (this.#bytes <= this.maxBytes) break;
      this.#entries.delete(id);
      this.#bytes -= held.length;
    }
  }

  /** Forgets a blob (written anew or removed). */
  delete(blobId: string): void {
    const held = this.#entries.get(blobId);
    if (held === undefined) return;
    this.#entries.delete(blobId);
    this.#bytes -= held.length;
  }
}
