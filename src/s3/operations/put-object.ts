import { BlobStore, isInlineSize, type BlobWrite, type WrittenBlob } from '../blob-store.js';
import { checksumHeaders } from '../checksum-response.js';
import { storedContentEncoding } from '../payload.js';
import { uploadIntegrity } from '../upload-integrity.js';
import { requestTagContext, taggingHeader } from '../object-tags.js';
import { noSuchBucket, s3Error } from '../errors.js';
import { isStoreError, UnsyncedCommitError } from '../../store/errors.js';
import type { S3Object } from '../../store/objects.js';
import { blobsNotConfigured } from '../object-read.js';
import { decodeMetadataValue } from '../metadata-value.js';
import { checkObjectWriteAcl, GRANT_HEADERS, hasAclHeaders } from '../acl.js';
import { refuseChunkedTransfer } from '../transfer-encoding.js';
import {
  checkWriteConditions,
  putIfConditions,
  writeConditionContext,
  writeConditions,
} from '../write-conditions.js';
import {
  baseHeaders,
  header,
  objectArn,
  requireKey,
  type S3AuthorizationNeed,
  type S3Operation,
  type S3Request,
} from '../operation.js';

/** S3's single-PUT limit: 5 GiB (S3 User Guide, "Uploading objects"). */
export const MAX_PUT_BYTES = 5 * 1024 ** 3;

/** S3's user-defined metadata limit: 2 KB of names and values (S3 User Guide, "Working with object metadata"). */
export const MAX_METADATA_BYTES = 2 * 1024;

/** The request headers that set condition keys of s3:PutObject, lower-case (iam-policy.md §5.2). */
export const CONDITION_HEADERS = [
  'x-amz-acl',
  'x-amz-server-side-encryption',
  'x-amz-server-side-encryption-aws-kms-key-id',
  'x-amz-server-side-encryption-customer-algorithm',
  'x-amz-storage-class',
  'x-amz-website-redirect-location',
  ...GRANT_HEADERS,
];

/**
 * What writing an object needs (PutObject, and CreateMultipartUpload for the object it will complete):
 * s3:PutObject with the header condition keys, s3:PutObjectAcl for ACL headers, s3:PutObjectTagging for
 * `x-amz-tagging`. `moreHeaders` are further headers that become `s3:<name>` keys (CopyObject's).
 */
export function objectWriteNeeds(req: S3Request, moreHeaders: readonly string[] = []): S3AuthorizationNeed[] {
  const { bucket, key } = requireKey(req);
  const arn = objectArn(bucket, key);
  const context = new Map<string, string | readonly string[]>();
  for (const name of [...CONDITION_HEADERS, ...moreHeaders]) {
    const value = header(req, name);
    if (value !== undefined) context.set(`s3:${name}`, value);
  }
  for (const [k, v] of writeConditionContext(req)) context.set(k, v);
  const needs: S3AuthorizationNeed[] = [{ action: 's3:PutObject', resource: arn, context }];
  if (hasAclHeaders(req)) {
    needs.push({ action: 's3:PutObjectAcl', resource: arn, context });
  }
  const tags = taggingHeader(req);
  if (tags !== undefined) {
    // s3:RequestObjectTag/<key> and s3:RequestObjectTagKeys on both (iam-policy.md §5.2).
    for (const [k, v] of requestTagContext(tags)) context.set(k, v);
    needs.push({ action: 's3:PutObjectTagging', resource: arn, context });
  }
  return needs;
}

/**
 * PutObject (`PUT /bucket/key`): s3:PutObject, plus s3:PutObjectAcl with ACL headers and
 * s3:PutObjectTagging with `x-amz-tagging` (iam-policy.md §5.3). A body of at most INLINE_MAX bytes is
 * taken whole, checked, and committed with the metadata row, bytes and row in one transaction
 * (docs/storage.md); a larger one streams into a new blob file (MD5 and, when signed, SHA-256 computed
 * as it streams), and only once the file is durable is the metadata committed. Either way the commit
 * is grouped with concurrent PutObjects, and only once it is durable is the replaced object's blob
 * released and the request answered. Content-MD5 that does not match is BadDigest and nothing is stored.
 *
 * The body may be aws-chunked (all three streaming modes, s3/payload.ts); `aws-chunked` is not kept in the
 * stored Content-Encoding. A flexible checksum (header or trailer) is computed as the bytes stream and
 * checked before the commit (BadDigest, nothing stored), then stored and answered back (`x-amz-checksum-*`
 * on PutObject, and on GetObject/HeadObject with `x-amz-checksum-mode: ENABLED`).
 */
export const putObject: S3Operation = {
  name: 'PutObject',
  bucket: 'existing',
  authorize: (req) => [...objectWriteNeeds(req), ...conditionalWriteNeeds(req)],
  async handle(req, ctx) {
    const { bucket, key } = requireKey(req);
    const tags = taggingHeader(req);
    const blobs = ctx.blobs;
    if (blobs === undefined) throw blobsNotConfigured();
    checkObjectWriteAcl(req, ctx.bucket);
    // Conditional writes (s3/write-conditions.ts): checked before the body is read, and again at the commit.
    const conditions = writeConditions(req);
    if (conditions !== undefined)
      checkWriteConditions(conditions, await ctx.store.objects.get(bucket, key), key);
    // First the framing: an aws-chunked body's decoded length stands for its Content-Length.
    const payload = req.payload();
    const length = payload.chunked?.decodedLength ?? contentLength(req);
    if (payload.chunked !== undefined) checkSize(length);
    const integrity = uploadIntegrity(req, payload);
    const metadata = userMetadata(req);
    const blobId = BlobStore.blobId(bucket, key, blobs.newVersionId());
    let checksums: Record<string, string> = {};
    const write: BlobWrite = {
      maxBytes: length,
      // Node's parser ends the body at Content-Length; more bytes than declared cannot arrive.
      tooLarge: () => s3Error('IncompleteBody', 'The request body is longer than its Content-Length'),
      check: (w) => {
        if (w.size !== length) {
          // (S3 API Reference, error codes: IncompleteBody)
          throw s3Error(
            'IncompleteBody',
            'You did not provide the number of bytes specified by the Content-Length HTTP header',
          );
        }
        checksums = integrity.verify(w.md5);
      },
    };
    // Inline: the bytes ride with the row into the store (no file); otherwise they stream into a file.
    const inline = isInlineSize(length);
    let bytes: Buffer | undefined;
    let written: WrittenBlob;
    if (inline) {
      // Whole, in one buffer: the signed SHA-256, the flexible checksum and the MD5 are each one call
      // over it, with no stream stage per check.
      bytes = await payload.whole(length, write.tooLarge);
      integrity.feed(bytes);
      written = blobs.take(bytes, write.check);
    } else {
      written = await blobs.write(blobId, integrity.tapped(payload.stream), write);
    }
    const etag = `"${written.md5.toString('hex')}"`;
    const object: S3Object = {
      bucket,
      key,
      size: written.size,
      etag,
      contentType: header(req, 'content-type') ?? 'binary/octet-stream',
      ...contentEncodingField(req),
      ...optionalHeader(req, 'content-disposition', 'contentDisposition'),
      ...optionalHeader(req, 'content-language', 'contentLanguage'),
      ...optionalHeader(req, 'cache-control', 'cacheControl'),
      ...optionalHeader(req, 'expires', 'expires'),
      metadata,
      checksums,
      lastModified: ctx.clock.now(),
      blobId,
      ...(tags !== undefined && tags.length > 0 ? { tags } : {}),
    };
    let replaced: S3Object | undefined;
    try {
      // Unconditional writes are grouped with the rows of the PutObjects that finished with them: one
      // commit for all (group-commit.ts). A conditional write checks its conditions again in its own
      // transaction, atomically with its commit (write-conditions.ts).
      replaced =
        conditions === undefined
          ? await blobs.commits.put(ctx.store, object, bytes)
          : await putIfConditions(ctx.store, object, conditions, true, bytes);
    } catch (error) {
      // A commit that took effect without becoming durable keeps its row, so its blob stays too; the
      // PutObject fails (500) as its durability is unknown, and the replaced blob is kept. Inline bytes
      // that were not committed were never stored: nothing to remove.
      if (!inline && !(error instanceof UnsyncedCommitError))
        await blobs.remove(blobId).catch(() => undefined);
      if (isStoreError(error, 'notFound')) throw noSuchBucket(bucket);
      throw error;
    }
    if (replaced !== undefined && replaced.blobId !== blobId) {
      // After the commit, and not awaited: the answer does not wait for the unlink of a replaced file (an
      // inline one's bytes went in the commit). A failure or a crash before it leaves an orphan for the
      // start-up sweep, never a lost object; `blobs.settled()` waits for it.
      void blobs.release(replaced).catch(() => undefined);
    }
    return { status: 200, headers: { ...baseHeaders(ctx), ETag: etag, ...checksumHeaders(checksums) } };
  },
};

/**
 * A conditional write also needs s3:GetObject for If-Match (S3 User Guide, conditional writes: "you must
 * have the s3:PutObject and s3:GetObject permissions"). s3:if-match and s3:if-none-match, condition keys
 * of s3:PutObject (SAR), are set by `objectWriteNeeds`.
 */
export function conditionalWriteNeeds(req: S3Request): S3AuthorizationNeed[] {
  if (header(req, 'if-match') === undefined) return [];
  const { bucket, key } = requireKey(req);
  return [{ action: 's3:GetObject', resource: objectArn(bucket, key) }];
}

/** Content-Length is required (S3 API Reference, error codes: MissingContentLength) and bounded. */
function contentLength(req: S3Request): number {
  refuseChunkedTransfer(req);
  const value = header(req, 'content-length');
  if (value === undefined || !/^\d{1,16}$/.test(value)) {
    throw s3Error('MissingContentLength', 'You must provide the Content-Length HTTP header.');
  }
  return checkSize(Number(value));
}

/** A single PUT is at most 5 GiB. */
function checkSize(length: number): number {
  if (length > MAX_PUT_BYTES) {
    // (S3 API Reference, error codes: EntityTooLarge)
    throw s3Error('EntityTooLarge', 'Your proposed upload exceeds the maximum allowed size', {
      ProposedSize: String(length),
      MaxSizeAllowed: String(MAX_PUT_BYTES),
    });
  }
  return length;
}

/** `x-amz-meta-*` headers, names lower-case without the prefix, within S3's 2 KB. */
export function userMetadata(req: S3Request): [string, string][] {
  const metadata: [string, string][] = [];
  let size = 0;
  for (const [name, value] of Object.entries(req.headers)) {
    if (!name.startsWith('x-amz-meta-') || value === undefined) continue;
    // Stored as the text the bytes encode (s3/metadata-value.ts); S3's 2 KB counts its UTF-8.
    const text = decodeMetadataValue(Array.isArray(value) ? value.join(',') : value);
    const short = name.slice('x-amz-meta-'.length);
    size += Buffer.byteLength(short) + Buffer.byteLength(text);
    metadata.push([short, text]);
  }
  if (size > MAX_METADATA_BYTES) {
    // (S3 API Reference, error codes: MetadataTooLarge)
    throw s3Error('MetadataTooLarge', 'Your metadata headers exceed the maximum allowed metadata size.', {
      Size: String(size),
      MaxSizeAllowed: String(MAX_METADATA_BYTES),
    });
  }
  return metadata;
}

export function optionalHeader<K extends string>(
  req: S3Request,
  name: string,
  field: K,
): { [P in K]?: string } {
  const value = header(req, name);
  return (value === undefined ? {} : { [field]: value }) as { [P in K]?: string };
}

/** The stored Content-Encoding: the request's, without `aws-chunked`. */
export function contentEncodingField(req: S3Request): { contentEncoding?: string } {
  const value = storedContentEncoding(header(req, 'content-encoding'));
  return value === undefined ? {} : { contentEncoding: value };
}
