import { Readable } from 'node:stream';
import { element, textElement } from '../../protocol/xml.js';
import { isStoreError } from '../../store/errors.js';
import type { UploadPart } from '../../store/uploads.js';
import { BlobStore, retryIfGone } from '../blob-store.js';
import { checkCopyConditions, readCopySource, type CopySource } from '../copy-source.js';
import { accessDenied, noSuchBucket, noSuchKey, s3Error } from '../errors.js';
import { loadUpload, MAX_PART_BYTES, noSuchUpload, readPartNumber } from '../multipart.js';
import { blobsNotConfigured, type ByteRange } from '../object-read.js';
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

/**
 * The bytes of the source object (NoSuchKey when missing; its copy conditions, range and size checked),
 * all or the range, as a stream: an inline source's read whole from the store, a file opened. Bytes
 * gone between the two reads (a delete or an overwrite of the source committed meanwhile:
 * `BlobGoneError`) read the source again, once (`retryIfGone`), as CopyObject does.
 */
async function readSourceRange(
  req: S3Request,
  ctx: S3OperationContext,
  blobs: BlobStore,
  source: CopySource,
): Promise<{ length: number; stream: Readable }> {
  return retryIfGone(async () => {
    const from = await ctx.store.objects.get(source.bucket, source.key);
    if (from === undefined) throw noSuchKey(source.key);
    checkCopyConditions(req, from);
    const range = copySourceRange(req, from.size);
    const length = range === undefined ? from.size : range.end - range.start + 1;
    if (length > MAX_PART_BYTES) {
      // ⚠ S3's wording for a copy source over 5 GiB, as public issues quote it (as CopyObject's).
      throw s3Error(
        'InvalidRequest',
        `The specified copy source is larger than the maximum allowable size for a copy source: ${MAX_PART_BYTES}`,
      );
    }
    // An inline source is read from the store whole (at most INLINE_MAX bytes); the part is a file
    // either way.
    if (from.inline !== true) return { length, stream: await blobs.openRead(from.blobId, range) };
    const bytes =
      length === 0
        ? Buffer.alloc(0)
        : await blobs.readObject(ctx.store.objects, from, range ?? { start: 0, end: from.size - 1 });
    return { length, stream: Readable.from([bytes]) };
  });
}

/**
 * UploadPartCopy (`PUT /bucket/key?partNumber=N&uploadId=ID` with `x-amz-copy-source`): s3:PutObject on
 * the target (with `s3:x-amz-copy-source` as a condition key) AND s3:GetObject on the source, judged with
 * the source bucket's own policy and owner (iam-policy.md §5.3; both must allow), as CopyObject. The
 * source's bytes — all of them, or `x-amz-copy-source-range` — stream into a blob of the part's own; the
 * part's ETag is their MD5. The `x-amz-copy-source-if-*` conditions are CopyObject's (412). At most 5 GiB.
 */
export const uploadPartCopy: S3Operation = {
  name: 'UploadPartCopy',
  bucket: 'existing',
  authorize(req) {
    const { bucket, key } = requireKey(req);
    const context = new Map<string, string>();
    const source = header(req, 'x-amz-copy-source');
    if (source !== undefined) context.set('s3:x-amz-copy-source', source);
    return [{ action: 's3:PutObject', resource: objectArn(bucket, key), context }];
  },
  async handle(req, ctx) {
    const { bucket, key } = requireKey(req);
    const blobs = ctx.blobs;
    if (blobs === undefined) throw blobsNotConfigured();
    const partNumber = readPartNumber(req);
    const source = readCopySource(req);
    const upload = await loadUpload(req, ctx);
    const sourceBucket = source.bucket === bucket ? ctx.bucket : await ctx.store.buckets.get(source.bucket);
    if (sourceBucket === undefined) throw noSuchBucket(source.bucket);
    const read = { action: 's3:GetObject', resource: objectArn(source.bucket, source.key) };
    if (!(await ctx.isAllowedOn(sourceBucket, read))) throw accessDenied();
    const { length, stream } = await readSourceRange(req, ctx, blobs, source);
    const blobId = BlobStore.blobId(bucket, key, `${upload.uploadId}/${blobs.newVersionId()}`);
    const written = await blobs
      .write(blobId, stream, {
        maxBytes: length,
        tooLarge: () => new Error('a copy source blob is longer than its object'),
        check: (w) => {
          if (w.size !== length) throw new Error('a copy source blob is shorter than its object');
        },
      })
      .finally(() => stream.destroy());
    const part: UploadPart = {
      uploadId: upload.uploadId,
      partNumber,
      size: written.size,
      etag: `"${written.md5.toString('hex')}"`,
      checksums: {},
      lastModified: ctx.clock.now(),
      blobId,
    };
    let replaced: UploadPart | undefined;
    try {
      replaced = await ctx.store.uploads.putPart(part);
    } catch (error) {
      await blobs.remove(blobId).catch(() => undefined);
      // Aborted or completed while the part was copied.
      if (isStoreError(error, 'notFound')) throw noSuchUpload(upload.uploadId);
      throw error;
    }
    if (replaced !== undefined) await blobs.remove(replaced.blobId).catch(() => undefined);
    const body = s3Xml(
      element(
        'CopyPartResult',
        [textElement('ETag', part.etag), textElement('LastModified', s3Timestamp(part.lastModified))],
        { xmlns: S3_NAMESPACE },
      ),
    );
    return { status: 200, headers: { ...baseHeaders(ctx), 'Content-Type': 'application/xml' }, body };
  },
};

/** The header value bound: two 16-digit offsets and `bytes=-` fit well within it. */
const MAX_RANGE_HEADER = 64;

/**
 * `x-amz-copy-source-range: bytes=first-last` (S3 API Reference, UploadPartCopy: "The range value must use
 * the form bytes=first-last, where the first and last are the zero-based byte offsets to copy"). Unlike a
 * GET Range, no other form is accepted: a malformed value is InvalidArgument; a range that is not within
 * the source (last past its end, or last before first) is InvalidRange 416 — ⚠ decided from the task
 * brief; S3's exact answer for an out-of-bounds copy range is not confirmed here, and 416 InvalidRange is
 * S3's code for an unsatisfiable range elsewhere.
 */
export function copySourceRange(req: S3Request, size: number): ByteRange | undefined {
  const value = header(req, 'x-amz-copy-source-range');
  if (value === undefined) return undefined;
  const m = value.length <= MAX_RANGE_HEADER ? /^bytes=(\d{1,16})-(\d{1,16})$/.exec(value) : null;
  if (m === null) {
    // ⚠ S3's wording for a malformed copy range, as public issues quote it.
    throw s3Error(
      'InvalidArgument',
      'The x-amz-copy-source-range value must be of the form bytes=first-last where first and last are the zero-based offsets of the first and last bytes to copy',
      { ArgumentName: 'x-amz-copy-source-range', ArgumentValue: value.slice(0, MAX_RANGE_HEADER) },
    );
  }
  const start = Number(m[1]);
  const end = Number(m[2]);
  if (end < start || end >= size) {
    // (S3 API Reference, error codes: InvalidRange)
    throw s3Error('InvalidRange', 'The requested range is not satisfiable', {
      RangeRequested: value,
      ActualObjectSize: String(size),
    });
  }
  return { start, end };
}
