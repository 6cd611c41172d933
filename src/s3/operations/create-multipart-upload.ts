import { notImplemented } from '../../shared/aws-error.js';
import { element, textElement } from '../../protocol/xml.js';
import { isStoreError } from '../../store/errors.js';
import { CHECKSUM_ALGORITHMS, type ChecksumAlgorithm } from '../checksums.js';
import { noSuchBucket, s3Error } from '../errors.js';
import { initiatorOf, newUploadId } from '../multipart.js';
import { taggingHeader } from '../object-tags.js';
import { baseHeaders, header, requireKey, type S3Operation, type S3Request } from '../operation.js';
import { S3_NAMESPACE, s3Xml } from '../xml.js';
import { contentEncodingField, objectWriteNeeds, optionalHeader, userMetadata } from './put-object.js';
import { checkObjectWriteAcl } from '../acl.js';

/**
 * CreateMultipartUpload (`POST /bucket/key?uploads`): s3:PutObject, as PutObject is authorized (iam-policy.md
 * §5.3: the multipart steps are all s3:PutObject), with s3:PutObjectAcl for ACL headers and
 * s3:PutObjectTagging for `x-amz-tagging` (kept for the completed object). The object's
 * headers and `x-amz-meta-*` are kept with the upload and become the object's on completion;
 * `x-amz-checksum-algorithm` asks every part for that checksum, and the object gets the composite one.
 */
export const createMultipartUpload: S3Operation = {
  name: 'CreateMultipartUpload',
  bucket: 'existing',
  authorize: (req) => objectWriteNeeds(req),
  async handle(req, ctx) {
    const { bucket, key } = requireKey(req);
    checkObjectWriteAcl(req, ctx.bucket);
    const tags = taggingHeader(req);
    const algorithm = checksumAlgorithm(req);
    const type = header(req, 'x-amz-checksum-type')?.toUpperCase();
    if (type !== undefined && type !== 'COMPOSITE') {
      throw notImplemented('S3', `CreateMultipartUpload with x-amz-checksum-type ${type.slice(0, 32)}`);
    }
    const uploadId = newUploadId();
    try {
      await ctx.store.uploads.create({
        bucket,
        key,
        uploadId,
        initiated: ctx.clock.now(),
        initiator: initiatorOf(ctx.caller, ctx.bucket?.accountId ?? ''),
        contentType: header(req, 'content-type') ?? 'binary/octet-stream',
        ...contentEncodingField(req),
        ...optionalHeader(req, 'content-disposition', 'contentDisposition'),
        ...optionalHeader(req, 'content-language', 'contentLanguage'),
        ...optionalHeader(req, 'cache-control', 'cacheControl'),
        ...optionalHeader(req, 'expires', 'expires'),
        metadata: userMetadata(req),
        ...(algorithm !== undefined ? { checksumAlgorithm: algorithm } : {}),
        ...(tags !== undefined && tags.length > 0 ? { tags } : {}),
      });
    } catch (error) {
      if (isStoreError(error, 'notFound')) throw noSuchBucket(bucket);
      throw error;
    }
    const body = s3Xml(
      element(
        'InitiateMultipartUploadResult',
        [textElement('Bucket', bucket), textElement('Key', key), textElement('UploadId', uploadId)],
        { xmlns: S3_NAMESPACE },
      ),
    );
    const headers: Record<string, string> = { ...baseHeaders(ctx), 'Content-Type': 'application/xml' };
    if (algorithm !== undefined) {
      headers['x-amz-checksum-algorithm'] = algorithm;
      headers['x-amz-checksum-type'] = 'COMPOSITE';
    }
    return { status: 200, headers, body };
  },
};

/** `x-amz-checksum-algorithm`, one of S3's five; another value is InvalidRequest. */
function checksumAlgorithm(req: S3Request): ChecksumAlgorithm | undefined {
  const value = header(req, 'x-amz-checksum-algorithm');
  if (value === undefined) return undefined;
  const upper = value.toUpperCase();
  const known = CHECKSUM_ALGORITHMS.find((a) => a === upper);
  if (known === undefined) {
    // ⚠ S3's wording for an unknown checksum algorithm, as public issues quote it.
    throw s3Error(
      'InvalidRequest',
      'Checksum algorithm provided is unsupported. Please try again with any of the valid types: [CRC32, CRC32C, CRC64NVME, SHA1, SHA256]',
    );
  }
  return known;
}
