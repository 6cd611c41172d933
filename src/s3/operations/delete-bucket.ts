import { isStoreError } from '../../store/errors.js';
import { noSuchBucket, s3Error } from '../errors.js';
import { baseHeaders, bucketArn, requireBucket, type S3Operation } from '../operation.js';

/** DeleteBucket (`DELETE /bucket`): s3:DeleteBucket; a bucket that holds objects is BucketNotEmpty. */
export const deleteBucket: S3Operation = {
  name: 'DeleteBucket',
  bucket: 'existing',
  authorize: (req) => [{ action: 's3:DeleteBucket', resource: bucketArn(requireBucket(req)) }],
  async handle(req, ctx) {
    const name = requireBucket(req);
    try {
      await ctx.store.buckets.delete(name);
    } catch (error) {
      if (isStoreError(error, 'deleteConflict')) {
        // (S3 API Reference, error codes: BucketNotEmpty)
        throw s3Error('BucketNotEmpty', 'The bucket you tried to delete is not empty', { BucketName: name });
      }
      if (isStoreError(error, 'notFound')) throw noSuchBucket(name);
      throw error;
    }
    return { status: 204, headers: baseHeaders(ctx) };
  },
};
