import { isStoreError } from '../../store/errors.js';
import type { UploadPart } from '../../store/uploads.js';
import { noSuchBucket, s3Error } from '../errors.js';
import { baseHeaders, bucketArn, requireBucket, type S3Operation } from '../operation.js';

/** Uploads aborted per store call while a bucket is deleted. */
const UPLOAD_PAGE = 1000;

/**
 * DeleteBucket (`DELETE /bucket`): s3:DeleteBucket; a bucket that holds objects is BucketNotEmpty.
 * Multipart uploads in progress do not hold it: S3 deletes a bucket with incomplete uploads and they go
 * with it (tried on AWS: ceph/ceph#15630; scality/cloudserver#1591 and riak_cs#475 follow S3; the
 * ceph/s3-tests teardown relies on it). The uploads are removed in the same transaction as the bucket, so
 * a BucketNotEmpty leaves them as they were; their part blobs are deleted after the commit.
 */
export const deleteBucket: S3Operation = {
  name: 'DeleteBucket',
  bucket: 'existing',
  authorize: (req) => [{ action: 's3:DeleteBucket', resource: bucketArn(requireBucket(req)) }],
  async handle(req, ctx) {
    const name = requireBucket(req);
    let parts: UploadPart[];
    try {
      parts = await ctx.store.transaction(async (tx) => {
        const removed: UploadPart[] = [];
        for (;;) {
          const uploads = await tx.uploads.list(name, { limit: UPLOAD_PAGE });
          for (const u of uploads)
            removed.push(...((await tx.uploads.delete(name, u.key, u.uploadId)) ?? []));
          if (uploads.length < UPLOAD_PAGE) break;
        }
        await tx.buckets.delete(name);
        return removed;
      });
    } catch (error) {
      if (isStoreError(error, 'deleteConflict')) {
        // (S3 API Reference, error codes: BucketNotEmpty)
        throw s3Error('BucketNotEmpty', 'The bucket you tried to delete is not empty', { BucketName: name });
      }
      if (isStoreError(error, 'notFound')) throw noSuchBucket(name);
      throw error;
    }
    // After the commit: a failure leaves an orphan for the start-up sweep.
    for (const p of parts) await ctx.blobs?.remove(p.blobId).catch(() => undefined);
    return { status: 204, headers: baseHeaders(ctx) };
  },
};
