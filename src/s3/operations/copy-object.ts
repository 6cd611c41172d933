import { createHash } from 'node:crypto';
import { pipeline, Transform, type Readable, type TransformCallback } from 'node:stream';
import { element, textElement } from '../../protocol/xml.js';
import { isStoreError } from '../../store/errors.js';
import type { S3Object } from '../../store/objects.js';
import { BlobStore, isInlineSize, retryIfGone, type WrittenBlob } from '../blob-store.js';
import { checksumHeaders } from '../checksum-response.js';
import { CHECKSUM_ALGORITHMS, createChecksummer, type Checksummer } from '../checksums.js';
import { checkCopyConditions, copiedTags, readCopySource, type CopySource } from '../copy-source.js';
import { accessDenied, noSuchBucket, noSuchKey, s3Error } from '../errors.js';
import { blobsNotConfigured } from '../object-read.js';
import {
  baseHeaders,
  header,
  objectArn,
  requireKey,
  type S3Operation,
  type S3OperationContext,
  type S3Request,
} from '../operation.js';
import { S3_NAMESPACE, s3Timestamp, s3Xml } from '../xml.js';
import {
  conditionalWriteNeeds,
  MAX_PUT_BYTES,
  contentEncodingField,
  objectWriteNeeds,
  optionalHeader,
  userMetadata,
} from './put-object.js';
import { checkObjectWriteAcl } from '../acl.js';
import { checkWriteConditions, putIfConditions, writeConditions } from '../write-conditions.js';

/** A copy source read: its object, and its bytes whole (at most INLINE_MAX) or its file opened. */
type SourceRead =
  | { readonly from: S3Object; readonly bytes: Buffer; readonly stream?: undefined }
  | { readonly from: S3Object; readonly bytes?: undefined; readonly stream: Readable };

/**
 * The source object (NoSuchKey when missing; its copy conditions and size checked) with its bytes taken
 * whole or its file opened. Bytes gone between the two reads (a delete or an overwrite of the source
 * committed meanwhile) read the source again, once (`retryIfGone`), as a copy that came after the change
 * would have (NoSuchKey, or the newer version), never a 500 (as GetObject: object-read.ts `readWithBody`).
 */
async function readSourceObject(
  req: S3Request,
  ctx: S3OperationContext,
  blobs: BlobStore,
  source: CopySource,
): Promise<SourceRead> {
  return retryIfGone(async () => {
    const from = await ctx.store.objects.get(source.bucket, source.key);
    if (from === undefined) throw noSuchKey(source.key);
    checkCopyConditions(req, from);
    if (from.size > MAX_PUT_BYTES) {
      // ⚠ S3's wording for a copy source over 5 GiB (use UploadPartCopy), as public issues quote it.
      throw s3Error(
        'InvalidRequest',
        `The specified copy source is larger than the maximum allowable size for a copy source: ${MAX_PUT_BYTES}`,
      );
    }
    // Named to its last byte (a file holds more than INLINE_MAX bytes): a stream without an end allocates
    // a whole chunk for its last, empty read.
    if (!isInlineSize(from.size)) {
      return { from, stream: await blobs.openRead(from.blobId, { start: 0, end: from.size - 1 }) };
    }
    const bytes =
      from.size === 0 ? Buffer.alloc(0) : await blobs.readObject(ctx.store.objects, from, wholeOf(from));
    return { from, bytes };
  });
}

/** (S3 API Reference, CopyObject, error "InvalidRequest" when copying an object onto itself unchanged) */
export const COPY_TO_ITSELF_MESSAGE =
  "This copy request is illegal because it is trying to copy an object to itself without changing the object's metadata, storage class, website redirect location or encryption attributes.";

/**
 * CopyObject (`PUT /bucket/key` with `x-amz-copy-source`): s3:PutObject on the target (with PutObject's
 * condition keys, `s3:x-amz-copy-source` and `s3:x-amz-metadata-directive`; conditional writes on the
 * destination as PutObject has them (If-Match, If-None-Match: *; s3/write-conditions.ts); s3:PutObjectAcl /
 * s3:PutObjectTagging as headers require) AND s3:GetObject on the source, judged with the source
 * bucket's own policy and owner (iam-policy.md §5.3; both must allow). `x-amz-metadata-directive` COPY
 * (default) keeps the source's headers and metadata, REPLACE takes the request's. The bytes are streamed
 * into a new blob, MD5 and the source's checksum algorithms recomputed on the way; the ETag is the MD5 of
 * the bytes (S3 does the same for a copy of a multipart object under 5 GiB).
 */
export const copyObject: S3Operation = {
  name: 'CopyObject',
  bucket: 'existing',
  authorize(req) {
    // PutObject's needs (with s3:RequestObjectTag/* for x-amz-tagging), plus the copy's own keys.
    return [
      ...objectWriteNeeds(req, ['x-amz-copy-source', 'x-amz-metadata-directive']),
      ...conditionalWriteNeeds(req),
    ];
  },
  async handle(req, ctx) {
    const { bucket, key } = requireKey(req);
    const blobs = ctx.blobs;
    if (blobs === undefined) throw blobsNotConfigured();
    checkObjectWriteAcl(req, ctx.bucket);
    // If-Match / If-None-Match: * on the destination (S3 User Guide, conditional writes: CopyObject too).
    const conditions = writeConditions(req);
    if (conditions !== undefined)
      checkWriteConditions(conditions, await ctx.store.objects.get(bucket, key), key);
    const source = readCopySource(req);
    const directive = metadataDirective(req);
    if (source.bucket === bucket && source.key === key && directive === 'COPY') {
      throw s3Error('InvalidRequest', COPY_TO_ITSELF_MESSAGE);
    }
    const sourceBucket = source.bucket === bucket ? ctx.bucket : await ctx.store.buckets.get(source.bucket);
    if (sourceBucket === undefined) throw noSuchBucket(source.bucket);
    const read = { action: 's3:GetObject', resource: objectArn(source.bucket, source.key) };
    if (!(await ctx.isAllowedOn(sourceBucket, read))) throw accessDenied();
    // The source's file, when it streams, is open from here on: blobs.write consumes (and closes) it.
    const { from, bytes, stream } = await readSourceObject(req, ctx, blobs, source);
    const checksummers = sourceChecksummers(from, req);
    const blobId = BlobStore.blobId(bucket, key, blobs.newVersionId());
    // A copy of at most INLINE_MAX bytes is inline whatever its source was (docs/storage.md): the source is
    // read whole (from the store or its file) and the bytes go with the new row. A larger one streams
    // from the source's file (only objects of at most INLINE_MAX bytes are inline) into a new file.
    const inline = bytes !== undefined;
    let written: WrittenBlob;
    if (bytes !== undefined) {
      for (const c of checksummers) c.update(bytes);
      written = { size: bytes.length, md5: createHash('md5').update(bytes).digest() };
    } else {
      // The source's descriptor is closed however the write ends (one that fails before reading it too).
      written = await blobs
        .write(
          blobId,
          pipeline(stream, new Tap(checksummers), () => undefined),
          {
            maxBytes: from.size,
            tooLarge: () => new Error('a copy source blob is longer than its object'),
          },
        )
        .finally(() => stream.destroy());
    }
    const checksums: Record<string, string> = {};
    for (const c of checksummers) checksums[c.algorithm] = c.digest();
    const etag = `"${written.md5.toString('hex')}"`;
    const headersOf = directive === 'COPY' ? copiedHeaders(from) : replacedHeaders(req);
    const tags = copiedTags(req, from);
    const object: S3Object = {
      bucket,
      key,
      size: written.size,
      etag,
      ...headersOf,
      checksums,
      lastModified: ctx.clock.now(),
      blobId,
      ...(tags !== undefined && tags.length > 0 ? { tags } : {}),
    };
    let replaced: S3Object | undefined;
    try {
      replaced = await putIfConditions(ctx.store, object, conditions, true, bytes);
    } catch (error) {
      if (!inline) await blobs.remove(blobId).catch(() => undefined);
      if (isStoreError(error, 'notFound')) throw noSuchBucket(bucket);
      throw error;
    }
    if (replaced !== undefined && replaced.blobId !== blobId) {
      // Not awaited, as PutObject's: an unlink that fails or never happens leaves an orphan for the sweep.
      void blobs.release(replaced).catch(() => undefined);
    }
    const checksumXml = Object.entries(checksumHeaders(checksums))
      .filter(([name]) => name !== 'x-amz-checksum-type')
      .map(([name, value]) =>
        textElement(`Checksum${name.slice('x-amz-checksum-'.length).toUpperCase()}`, value),
      );
    const body = s3Xml(
      element(
        'CopyObjectResult',
        [
          textElement('ETag', etag),
          textElement('LastModified', s3Timestamp(object.lastModified)),
          ...checksumXml,
        ],
        { xmlns: S3_NAMESPACE },
      ),
    );
    return { status: 200, headers: { ...baseHeaders(ctx), 'Content-Type': 'application/xml' }, body };
  },
};

/** Every byte of an object of at least one byte. */
function wholeOf(object: S3Object): { start: number; end: number } {
  return { start: 0, end: object.size - 1 };
}

type StoredHeaders = Pick<
  S3Object,
  | 'contentType'
  | 'contentEncoding'
  | 'contentDisposition'
  | 'contentLanguage'
  | 'cacheControl'
  | 'expires'
  | 'metadata'
>;

function metadataDirective(req: S3Request): 'COPY' | 'REPLACE' {
  const value = header(req, 'x-amz-metadata-directive') ?? 'COPY';
  if (value !== 'COPY' && value !== 'REPLACE') {
    // ⚠ S3's wording for an unknown directive.
    throw s3Error('InvalidArgument', 'Unknown metadata directive.', {
      ArgumentName: 'x-amz-metadata-directive',
      ArgumentValue: value.slice(0, 64),
    });
  }
  return value;
}

function copiedHeaders(from: S3Object): StoredHeaders {
  const { contentType, contentEncoding, contentDisposition, contentLanguage, cacheControl, expires } = from;
  return {
    ...(contentType !== undefined ? { contentType } : {}),
    ...(contentEncoding !== undefined ? { contentEncoding } : {}),
    ...(contentDisposition !== undefined ? { contentDisposition } : {}),
    ...(contentLanguage !== undefined ? { contentLanguage } : {}),
    ...(cacheControl !== undefined ? { cacheControl } : {}),
    ...(expires !== undefined ? { expires } : {}),
    metadata: from.metadata,
  };
}

function replacedHeaders(req: S3Request): StoredHeaders {
  return {
    contentType: header(req, 'content-type') ?? 'binary/octet-stream',
    ...contentEncodingField(req),
    ...optionalHeader(req, 'content-disposition', 'contentDisposition'),
    ...optionalHeader(req, 'content-language', 'contentLanguage'),
    ...optionalHeader(req, 'cache-control', 'cacheControl'),
    ...optionalHeader(req, 'expires', 'expires'),
    metadata: userMetadata(req),
  };
}

/** The source's full-object checksum algorithms, and the one `x-amz-checksum-algorithm` asks for. */
function sourceChecksummers(from: S3Object, req: S3Request): Checksummer[] {
  const asked = header(req, 'x-amz-checksum-algorithm')?.toUpperCase();
  return CHECKSUM_ALGORITHMS.filter(
    (a) => a === asked || (from.checksums[a] !== undefined && !/-\d+$/.test(from.checksums[a] ?? '')),
  ).map(createChecksummer);
}

class Tap extends Transform {
  constructor(private readonly checksummers: readonly Checksummer[]) {
    super();
  }
  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    for (const c of this.checksummers) c.update(chunk);
    callback(null, chunk);
  }
}
