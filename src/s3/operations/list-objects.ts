import { element, textElement } from '../../protocol/xml.js';
import {
  bounded,
  commonPrefixesXml,
  contentsXml,
  encodeKey,
  listKeys,
  listNeeds,
  listParams,
} from '../list-keys.js';
import { baseHeaders, requireBucket, type S3Operation } from '../operation.js';
import { optionalText, S3_NAMESPACE, s3Xml } from '../xml.js';

/**
 * ListObjects (`GET /bucket`, version 1): s3:ListBucket. `marker` starts after a key; `NextMarker` is
 * returned only for a truncated page of a request with a delimiter, as S3 does (S3 API Reference,
 * ListObjects, NextMarker: "returned only if you have the delimiter request parameter specified").
 * Every entry carries its owner.
 */
export const listObjects: S3Operation = {
  name: 'ListObjects',
  bucket: 'existing',
  authorize: listNeeds,
  async handle(req, ctx) {
    const bucket = requireBucket(req);
    const params = listParams(req);
    const marker = bounded(req, 'marker') ?? '';
    const page = await listKeys(ctx.store, bucket, {
      ...params,
      ...(marker !== '' ? { after: marker } : {}),
    });
    const owner = ctx.bucket?.accountId;
    const nextMarker = page.truncated && params.delimiter !== undefined ? page.last : undefined;
    const body = s3Xml(
      element(
        'ListBucketResult',
        [
          textElement('Name', bucket),
          textElement('Prefix', encodeKey(params.prefix, params.encodeUrl)),
          textElement('Marker', encodeKey(marker, params.encodeUrl)),
          ...optionalText(
            'NextMarker',
            nextMarker === undefined ? undefined : encodeKey(nextMarker, params.encodeUrl),
          ),
          textElement('MaxKeys', String(params.maxKeys)),
          ...optionalText(
            'Delimiter',
            params.delimiter === undefined ? undefined : encodeKey(params.delimiter, params.encodeUrl),
          ),
          ...optionalText('EncodingType', params.encodeUrl ? 'url' : undefined),
          textElement('IsTruncated', String(page.truncated)),
          ...page.contents.map((o) => contentsXml(o, params, owner)),
          ...commonPrefixesXml(page, params),
        ],
        { xmlns: S3_NAMESPACE },
      ),
    );
    return { status: 200, headers: { ...baseHeaders(ctx), 'Content-Type': 'application/xml' }, body };
  },
};
