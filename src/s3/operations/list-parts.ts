import { element, textElement } from '../../protocol/xml.js';
import { initiatorXml, intParam, loadUpload, MAX_LIST, MAX_PART_NUMBER } from '../multipart.js';
import { baseHeaders, objectArn, requireKey, type S3Operation } from '../operation.js';
import { ownerXml } from '../owner.js';
import { optionalText, S3_NAMESPACE, s3Timestamp, s3Xml } from '../xml.js';

/**
 * ListParts (`GET /bucket/key?uploadId=ID`): s3:ListMultipartUploadParts (iam-policy.md §5.3). Parts in
 * part-number order after `part-number-marker`, at most `max-parts` (default and bound 1000).
 */
export const listParts: S3Operation = {
  name: 'ListParts',
  bucket: 'existing',
  authorize(req) {
    const { bucket, key } = requireKey(req);
    return [{ action: 's3:ListMultipartUploadParts', resource: objectArn(bucket, key) }];
  },
  async handle(req, ctx) {
    const { bucket, key } = requireKey(req);
    const upload = await loadUpload(req, ctx);
    const marker = intParam(req, 'part-number-marker', 0, MAX_PART_NUMBER);
    const maxParts = intParam(req, 'max-parts', MAX_LIST, MAX_LIST);
    const page =
      maxParts === 0 ? [] : await ctx.store.uploads.listParts(upload.uploadId, marker, maxParts + 1);
    const truncated = page.length > maxParts;
    const shown = page.slice(0, maxParts);
    const last = shown.at(-1);
    const body = s3Xml(
      element(
        'ListPartsResult',
        [
          textElement('Bucket', bucket),
          textElement('Key', key),
          textElement('UploadId', upload.uploadId),
          initiatorXml(upload),
          ownerXml(ctx.bucket?.accountId ?? ''),
          textElement('StorageClass', 'STANDARD'),
          textElement('PartNumberMarker', String(marker)),
          ...optionalText('NextPartNumberMarker', last === undefined ? undefined : String(last.partNumber)),
          textElement('MaxParts', String(maxParts)),
          textElement('IsTruncated', String(truncated)),
          ...optionalText('ChecksumAlgorithm', upload.checksumAlgorithm),
          ...shown.map((p) =>
            element('Part', [
              textElement('PartNumber', String(p.partNumber)),
              textElement('LastModified', s3Timestamp(p.lastModified)),
              textElement('ETag', p.etag),
              textElement('Size', String(p.size)),
              ...Object.entries(p.checksums).map(([a, v]) => textElement(`Checksum${a}`, v)),
            ]),
          ),
        ],
        { xmlns: S3_NAMESPACE },
      ),
    );
    return { status: 200, headers: { ...baseHeaders(ctx), 'Content-Type': 'application/xml' }, body };
  },
};
