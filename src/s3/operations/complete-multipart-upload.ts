import { Readable } from 'node:stream';
import { element, textElement } from '../../protocol/xml.js';
import { isStoreError } from '../../store/errors.js';
import type { S3Object } from '../../store/objects.js';
import type { MultipartUpload, UploadPart } from '../../store/uploads.js';
import { BlobStore } from '../blob-store.js';
import { checksumHeaders } from '../checksum-response.js';
import { compositeChecksums, matchParts, readRequestedParts } from '../complete-parts.js';
import { noSuchBucket } from '../errors.js';
import { loadUpload, multipartEtag, noSuchUpload } from '../multipart.js';
import { blobsNotConfigured } from '../object-read.js';
import {
  baseHeaders,
  header,
  objectArn,
  requireKey,
  type S3Context,
  type S3Operation,
  type S3OperationContext,
  type S3Request,
  type S3Response,
} from '../operation.js';
import { AwsError } from '../../shared/aws-error.js';
import { S3_NAMESPACE, s3Xml } from '../xml.js';
import { readXmlBody } from '../xml-body.js';
import {
  checkWriteConditions,
  putIfConditions,
  writeConditionContext,
  writeConditions,
} from '../write-conditions.js';
import { conditionalWriteNeeds } from './put-object.js';

/**
 * CompleteMultipartUpload (`POST /bucket/key?uploadId=ID`): s3:PutObject (iam-policy.md §5.3), and
 * conditional writes as PutObject has them (If-Match, If-None-Match: *). The parts
 * named are checked (order, ETags, checksums, sizes), then streamed one after the other into one new blob
 * file: the object is a single blob like any other, so GetObject with a Range, CopyObject, DeleteObject
 * and the orphan sweep need nothing more. The object row is written and the upload removed in one
 * transaction; then every part blob (named or not) and the replaced object's blob are deleted.
 */
export const completeMultipartUpload: S3Operation = {
  name: 'CompleteMultipartUpload',
  bucket: 'existing',
  authorize(req) {
    const { bucket, key } = requireKey(req);
    return [
      { action: 's3:PutObject', resource: objectArn(bucket, key), context: writeConditionContext(req) },
      ...conditionalWriteNeeds(req),
    ];
  },
  async handle(req, ctx) {
    const { bucket, key } = requireKey(req);
    const blobs = ctx.blobs;
    if (blobs === undefined) throw blobsNotConfigured();
    let upload: MultipartUpload;
    try {
      upload = await loadUpload(req, ctx);
    } catch (error) {
      if (error instanceof AwsError && error.code === 'NoSuchUpload') return completedAgain(req, ctx, error);
      throw error;
    }
    // If-Match / If-None-Match (s3/write-conditions.ts): checked now, and again with the commit.
    const conditions = writeConditions(req);
    if (conditions !== undefined)
      checkWriteConditions(conditions, await ctx.store.objects.get(bucket, key), key);
    const requested = readRequestedParts(await readXmlBody(req, 'CompleteMultipartUpload'));
    const stored = new Map<number, UploadPart>();
    for (let after = 0; ;) {
      const page = await ctx.store.uploads.listParts(upload.uploadId, after, 1000);
      for (const p of page) stored.set(p.partNumber, p);
      const last = page.at(-1);
      if (last === undefined || page.length < 1000) break;
      after = last.partNumber;
    }
    const parts = matchParts(requested, stored);
    const size = parts.reduce((n, p) => n + p.size, 0);
    const blobId = BlobStore.blobId(bucket, key, blobs.newVersionId());
    await blobs.write(blobId, Readable.from(concatenated(blobs, parts)), {
      maxBytes: size,
      tooLarge: () => new Error('the part blobs are longer than their parts'),
      check: (w) => {
        if (w.size !== size) throw new Error('the part blobs are shorter than their parts');
      },
    });
    const checksums = compositeChecksums(upload.checksumAlgorithm, parts);
    const etag = multipartEtag(parts.map((p) => p.etag));
    const object: S3Object = {
      bucket,
      key,
      ...storedHeaders(upload),
      size,
      etag,
      checksums,
      lastModified: ctx.clock.now(),
      blobId,
    };
    let replaced: S3Object | undefined;
    let allParts: readonly UploadPart[];
    try {
      ({ replaced, allParts } = await ctx.store.transaction(async (tx) => {
        const removed = await tx.uploads.delete(bucket, key, upload.uploadId);
        // Aborted or completed by another request meanwhile: roll back, keep nothing.
        if (removed === undefined) throw noSuchUpload(upload.uploadId);
        return { replaced: await putIfConditions(tx, object, conditions, true), allParts: removed };
      }));
    } catch (error) {
      await blobs.remove(blobId).catch(() => undefined);
      if (isStoreError(error, 'notFound')) throw noSuchBucket(bucket);
      throw error;
    }
    // After the commit: a failure here leaves orphans for the start-up sweep, never a lost object.
    for (const p of allParts) await blobs.remove(p.blobId).catch(() => undefined);
    if (replaced !== undefined && replaced.blobId !== blobId) {
      await blobs.release(replaced).catch(() => undefined);
    }
    return completedResponse(req, ctx, etag, checksums);
  },
};

/** The 200 answer: CompleteMultipartUploadResult with the object's ETag and composite checksums. */
function completedResponse(
  req: S3Request,
  ctx: S3Context,
  etag: string,
  checksums: Readonly<Record<string, string>>,
): S3Response {
  const { bucket, key } = requireKey(req);
  const checksumHeaderSet = checksumHeaders(checksums);
  const checksumXml = Object.entries(checksumHeaderSet)
    .filter(([name]) => name !== 'x-amz-checksum-type')
    .map(([name, value]) =>
      textElement(`Checksum${name.slice('x-amz-checksum-'.length).toUpperCase()}`, value),
    );
  const host = header(req, 'host') ?? 'localhost';
  const location = `http://${host}/${encodeURIComponent(bucket)}/${key.split('/').map(encodeURIComponent).join('/')}`;
  const body = s3Xml(
    element(
      'CompleteMultipartUploadResult',
      [
        textElement('Location', location),
        textElement('Bucket', bucket),
        textElement('Key', key),
        textElement('ETag', etag),
        ...checksumXml,
        ...(checksumXml.length > 0 ? [textElement('ChecksumType', 'COMPOSITE')] : []),
      ],
      { xmlns: S3_NAMESPACE },
    ),
  );
  return { status: 200, headers: { ...baseHeaders(ctx), 'Content-Type': 'application/xml' }, body };
}

/**
 * A CompleteMultipartUpload repeated after it succeeded: S3 answers it 200 again (ceph/s3-tests
 * test_multipart_upload, run against AWS, completes the same upload twice). The upload is gone; the
 * object the same parts made is recognised by its ETag, the MD5 of the part ETags the request lists
 * (`-N`). Any other object, or none, leaves the NoSuchUpload.
 * ⚠ Two uploads of the same part bytes give the same ETag: repeating either is answered 200.
 */
async function completedAgain(
  req: S3Request,
  ctx: S3OperationContext,
  noUpload: AwsError,
): Promise<S3Response> {
  const { bucket, key } = requireKey(req);
  const requested = readRequestedParts(await readXmlBody(req, 'CompleteMultipartUpload'));
  const current = await ctx.store.objects.get(bucket, key);
  if (current === undefined || current.etag !== multipartEtag(requested.map((p) => p.etag))) throw noUpload;
  return completedResponse(req, ctx, current.etag, current.checksums);
}

/** The bytes of the parts, one after the other, streamed. */
async function* concatenated(blobs: BlobStore, parts: readonly UploadPart[]): AsyncGenerator<Buffer> {
  for (const part of parts) {
    // Named to its last byte, as GetObject's reads are (an empty part reads nothing): a stream without an
    // end allocates a whole chunk for its last, empty read.
    if (part.size === 0) continue;
    for await (const chunk of blobs.read(part.blobId, { start: 0, end: part.size - 1 }))
      yield chunk as Buffer;
  }
}

/** The object headers CreateMultipartUpload kept. */
function storedHeaders(
  u: MultipartUpload,
): Omit<S3Object, 'bucket' | 'key' | 'size' | 'etag' | 'checksums' | 'lastModified' | 'blobId'> {
  return {
    ...(u.contentType !== undefined ? { contentType: u.contentType } : {}),
    ...(u.contentEncoding !== undefined ? { contentEncoding: u.contentEncoding } : {}),
    ...(u.contentDisposition !== undefined ? { contentDisposition: u.contentDisposition } : {}),
    ...(u.contentLanguage !== undefined ? { contentLanguage: u.contentLanguage } : {}),
    ...(u.cacheControl !== undefined ? { cacheControl: u.cacheControl } : {}),
    ...(u.expires !== undefined ? { expires: u.expires } : {}),
    metadata: u.metadata,
    ...(u.tags !== undefined ? { tags: u.tags } : {}),
  };
}
