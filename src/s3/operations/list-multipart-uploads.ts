import { element, textElement } from '../../protocol/xml.js';
import { prefixEnd } from '../../store/objects.js';
import type { MultipartUpload, UploadListRequest } from '../../store/uploads.js';
import { bounded, encodeKey } from '../list-keys.js';
import { initiatorXml, intParam, MAX_LIST } from '../multipart.js';
import { baseHeaders, bucketArn, requireBucket, type S3Operation } from '../operation.js';
import { ownerXml } from '../owner.js';
import { optionalText, S3_NAMESPACE, s3Timestamp, s3Xml } from '../xml.js';
import { s3Error } from '../errors.js';

/**
 * ListMultipartUploads (`GET /bucket?uploads`): s3:ListBucketMultipartUploads (iam-policy.md §5.3).
 * Uploads in key, then upload-id order; `prefix`, `delimiter` (common prefixes count towards the page),
 * `key-marker` with `upload-id-marker` (ignored without a key marker, as S3 documents), `max-uploads`
 * (default and bound 1000), `encoding-type=url`.
 */
export const listMultipartUploads: S3Operation = {
  name: 'ListMultipartUploads',
  bucket: 'existing',
  authorize(req) {
    return [{ action: 's3:ListBucketMultipartUploads', resource: bucketArn(requireBucket(req)) }];
  },
  async handle(req, ctx) {
    const bucket = requireBucket(req);
    const prefix = bounded(req, 'prefix') ?? '';
    const delimiterParam = bounded(req, 'delimiter');
    const delimiter = delimiterParam === '' ? undefined : delimiterParam;
    const keyMarker = bounded(req, 'key-marker');
    const uploadIdMarker =
      keyMarker === undefined || keyMarker === '' ? undefined : bounded(req, 'upload-id-marker');
    const maxUploads = intParam(req, 'max-uploads', MAX_LIST, MAX_LIST);
    const encoding = req.query.get('encoding-type');
    if (encoding !== undefined && encoding !== 'url') {
      // ⚠ S3's wording as quoted in public issues (the same as for the object listings).
      throw s3Error('InvalidArgument', 'Invalid Encoding Method specified in Request', {
        ArgumentName: 'encoding-type',
        ArgumentValue: encoding.slice(0, 64),
      });
    }
    const encode = encoding === 'url';
    const uploads: MultipartUpload[] = [];
    const commonPrefixes: string[] = [];
    let truncated = false;
    let cursor: Omit<UploadListRequest, 'limit' | 'prefix'> =
      keyMarker === undefined || keyMarker === ''
        ? {}
        : { afterKey: keyMarker, ...(uploadIdMarker ? { afterUploadId: uploadIdMarker } : {}) };
    scan: for (;;) {
      const batch = await ctx.store.uploads.list(bucket, {
        ...(prefix !== '' ? { prefix } : {}),
        ...cursor,
        limit: MAX_LIST + 1,
      });
      if (batch.length === 0) break;
      for (const u of batch) {
        if (uploads.length + commonPrefixes.length >= maxUploads) {
          truncated = true;
          break scan;
        }
        const at = delimiter === undefined ? -1 : u.key.indexOf(delimiter, prefix.length);
        if (delimiter !== undefined && at >= 0) {
          const common = u.key.slice(0, at + delimiter.length);
          commonPrefixes.push(common);
          const from = prefixEnd(common);
          if (from === undefined) break scan;
          cursor = { fromKey: from };
          continue scan;
        }
        uploads.push(u);
        cursor = { afterKey: u.key, afterUploadId: u.uploadId };
      }
      if (batch.length <= MAX_LIST) break;
    }
    const lastUpload = uploads.at(-1);
    const lastPrefix = commonPrefixes.at(-1);
    // The next page starts after whichever came last: a key's upload, or a common prefix (as a key marker).
    const nextKey =
      lastPrefix !== undefined && (lastUpload === undefined || lastPrefix > lastUpload.key)
        ? lastPrefix
        : lastUpload?.key;
    const nextUploadId = nextKey === lastUpload?.key ? lastUpload?.uploadId : undefined;
    const body = s3Xml(
      element(
        'ListMultipartUploadsResult',
        [
          textElement('Bucket', bucket),
          textElement('KeyMarker', encodeKey(keyMarker ?? '', encode)),
          textElement('UploadIdMarker', uploadIdMarker ?? ''),
          ...(truncated
            ? [
                textElement('NextKeyMarker', encodeKey(nextKey ?? '', encode)),
                textElement('NextUploadIdMarker', nextUploadId ?? ''),
              ]
            : []),
          ...optionalText('Delimiter', delimiter === undefined ? undefined : encodeKey(delimiter, encode)),
          textElement('Prefix', encodeKey(prefix, encode)),
          textElement('MaxUploads', String(maxUploads)),
          ...optionalText('EncodingType', encode ? 'url' : undefined),
          textElement('IsTruncated', String(truncated)),
          ...uploads.map((u) =>
            element('Upload', [
              textElement('Key', encodeKey(u.key, encode)),
              textElement('UploadId', u.uploadId),
              initiatorXml(u),
              ownerXml(ctx.bucket?.accountId ?? ''),
              textElement('StorageClass', 'STANDARD'),
              textElement('Initiated', s3Timestamp(u.initiated)),
              ...optionalText('ChecksumAlgorithm', u.checksumAlgorithm),
            ]),
          ),
          ...commonPrefixes.map((p) =>
            element('CommonPrefixes', [textElement('Prefix', encodeKey(p, encode))]),
          ),
        ],
        { xmlns: S3_NAMESPACE },
      ),
    );
    return { status: 200, headers: { ...baseHeaders(ctx), 'Content-Type': 'application/xml' }, body };
  },
};
