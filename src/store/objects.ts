/** One object tag: key, value (S3 keeps them in the order given). */
export type ObjectTag = readonly [string, string];

/**
 * The metadata of one S3 object. Its bytes live in a blob file named by `blobId` (s3/blob-store.ts), or,
 * for an object of at most INLINE_MAX bytes (`inline`), in the store itself, under the same `blobId`,
 * written in the same transaction as this row (docs/storage.md: one WAL append instead of a file and two
 * fsyncs). Header values are kept as the client sent them, so that GetObject answers them back byte for
 * byte.
 */
export interface S3Object {
  readonly bucket: string;
  readonly key: string;
  readonly size: number;
  /** With its quotes, as S3 sends it: `"<hex md5>"`. */
  readonly etag: string;
  readonly contentType?: string;
  readonly contentEncoding?: string;
  readonly contentDisposition?: string;
  readonly contentLanguage?: string;
  readonly cacheControl?: string;
  /** The `Expires` header as sent (S3 stores and returns it as a string). */
  readonly expires?: string;
  /** `x-amz-meta-*` without the prefix, lower-case names, in the order received. */
  readonly metadata: readonly (readonly [string, string])[];
  /** Checksums by algorithm name (`CRC32`, `SHA256`, ...), base64 as S3 sends them. */
  readonly checksums: Readonly<Record<string, string>>;
  readonly lastModified: number;
  /** The blob holding the bytes: a file, or the store's own row when `inline`. */
  readonly blobId: string;
  /**
   * The bytes are kept by the store (`ObjectStore.getBytes`), not in a file. Set by the store on what it
   * returns; `put` decides it from its `bytes` argument.
   */
  readonly inline?: true;
  /** The object's tags; absent or empty when it has none. */
  readonly tags?: readonly ObjectTag[];
}

/** One page of keys in UTF-8 binary order, the order S3 lists in. */
export interface ObjectListRequest {
  /** Only keys that start with it. */
  readonly prefix?: string;
  /** Only keys strictly after it. */
  readonly after?: string;
  /** Only keys at or after it (used to skip past a common prefix). */
  readonly from?: string;
  /** At most this many; at least 1. */
  readonly limit: number;
}

/** What ListObjects(V2) and ListObjectVersions show of an object. */
export type ObjectSummary = Pick<S3Object, 'key' | 'size' | 'etag' | 'lastModified'>;

/**
 * Objects, keyed by (bucket, key) on an index over exactly that, so a listing is a range scan whose cost
 * grows with the page, not with the bucket.
 */
export interface ObjectStore {
  get(bucket: string, key: string): Promise<S3Object | undefined>;
  /**
   * Creates or replaces the object and returns the one it replaced. With `bytes`, the object is inline:
   * the bytes are kept under `object.blobId` in the same transaction as the row (their length must be
   * `object.size`); without, its bytes are a file the caller made durable first. The bytes of a replaced
   * inline object go in the same transaction; a replaced file is the caller's to delete (the returned
   * object says which it was). Fails `notFound` (`bucket`), and nothing is stored.
   */
  put(object: S3Object, bytes?: Uint8Array): Promise<S3Object | undefined>;
  /**
   * Removes the object and returns it; `undefined` when there was none (S3's DeleteObject is idempotent).
   * An inline object's bytes go with its row; a file is the caller's to delete.
   */
  delete(bucket: string, key: string): Promise<S3Object | undefined>;
  /**
   * The bytes of an inline object, by its `blobId`; `undefined` when the store keeps none under it (a
   * file-backed object, or one deleted meanwhile).
   */
  getBytes(blobId: string): Promise<Buffer | undefined>;
  list(bucket: string, request: ObjectListRequest): Promise<readonly S3Object[]>;
  /**
   * As `list`, with only what a listing page shows of each object (`ObjectSummary`): a listing reads and
   * decodes no metadata, checksums or tags it would throw away.
   */
  listSummaries(bucket: string, request: ObjectListRequest): Promise<readonly ObjectSummary[]>;
  /**
   * Replaces the tags of the object, only while it is still the version whose blob is `blobId` (a
   * concurrent PutObject wins); whether it was.
   */
  setTags(bucket: string, key: string, blobId: string, tags: readonly ObjectTag[]): Promise<boolean>;
  /**
   * Whether some object's metadata, or a part of an upload in progress, names the blob (the orphan sweep
   * asks this of every blob file).
   */
  hasBlob(blobId: string): Promise<boolean>;
}

/**
 * The smallest string greater than every string that starts with `prefix`, in code-point order (which is
 * UTF-8 byte order), or `undefined` when there is none. `key >= prefix AND key < prefixEnd(prefix)` is
 * then a range scan for the prefix.
 */
export function prefixEnd(prefix: string): string | undefined {
  const points = [...prefix];
  while (points.length > 0) {
    // INVARIANT: the array is non-empty, so pop returns a code point.
    const last = points.pop() as string;
    let cp = (last.codePointAt(0) ?? 0) + 1;
    if (cp >= 0xd800 && cp <= 0xdfff) cp = 0xe000;
    if (cp <= 0x10ffff) return points.join('') + String.fromCodePoint(cp);
  }
  return undefined;
}
