import { element, textElement } from '../../protocol/xml.js';
import { bounded, commonPrefixesXml, encodeKey, listKeys, listNeeds, listParams } from '../list-keys.js';
import { baseHeaders, requireBucket, type S3Operation } from '../operation.js';
import { ownerXml } from '../owner.js';
import { optionalText, S3_NAMESPACE, s3Timestamp, s3Xml } from '../xml.js';

/**
 * ListObjectVersions (`GET /bucket?versions`): s3:ListBucketVersions with ListObjects' condition keys
 * (iam-policy.md §5.3). Buckets here are never versioned, so each key has exactly one version, the null
 * version: `VersionId` `null`, `IsLatest` true (S3 User Guide, "Working with objects in a
 * versioning-suspended bucket": objects stored without versioning have the version ID null). The ceph
 * suite's clean-up lists versions to delete them. `key-marker` resumes after a key; `version-id-marker`
 * can only be `null` and changes nothing, since the one version of the marker key is already behind.
 */
export const listObjectVersions: S3Operation = {
  name: 'ListObjectVersions',
  bucket: 'existing',
  authorize: (req) => listNeeds(req).map((need) => ({ ...need, action: 's3:ListBucketVersions' })),
  async handle(req, ctx) {
    const bucket = requireBucket(req);
    const params = listParams(req);
    const keyMarker = bounded(req, 'key-marker') ?? '';
    const versionIdMarker = bounded(req, 'version-id-marker');
    const page = await listKeys(ctx.store, bucket, {
      ...params,
      ...(keyMarker !== '' ? { after: keyMarker } : {}),
    });
    const owner = ctx.bucket?.accountId;
    const next = page.truncated ? page.last : undefined;
    const body = s3Xml(
      element(
        'ListVersionsResult',
        [
          textElement('Name', bucket),
          textElement('Prefix', encodeKey(params.prefix, params.encodeUrl)),
          textElement('KeyMarker', encodeKey(keyMarker, params.encodeUrl)),
          textElement('VersionIdMarker', versionIdMarker ?? ''),
          ...optionalText(
            'NextKeyMarker',
            next === undefined ? undefined : encodeKey(next, params.encodeUrl),
          ),
          ...optionalText('NextVersionIdMarker', next === undefined ? undefined : 'null'),
          textElement('MaxKeys', String(params.maxKeys)),
          ...optionalText(
            'Delimiter',
            params.delimiter === undefined ? undefined : encodeKey(params.delimiter, params.encodeUrl),
          ),
          ...optionalText('EncodingType', params.encodeUrl ? 'url' : undefined),
          textElement('IsTruncated', String(page.truncated)),
          ...page.contents.map((o) =>
            element('Version', [
              textElement('Key', encodeKey(o.key, params.encodeUrl)),
              textElement('VersionId', 'null'),
              textElement('IsLatest', 'true'),
              textElement('LastModified', s3Timestamp(o.lastModified)),
              textElement('ETag', o.etag),
              textElement('Size', String(o.size)),
              ...(owner !== undefined ? [ownerXml(owner)] : []),
              textElement('StorageClass', 'STANDARD'),
            ]),
          ),
          ...commonPrefixesXml(page, params),
        ],
        { xmlns: S3_NAMESPACE },
      ),
    );
    return { status: 200, headers: { ...baseHeaders(ctx), 'Content-Type': 'application/xml' }, body };
  },
};
