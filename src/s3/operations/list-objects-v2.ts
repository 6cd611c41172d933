import { element, textElement } from '../../protocol/xml.js';
import { s3Error } from '../errors.js';
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

/** Continuation tokens are opaque to clients: base64 of a version tag and the last key or prefix. */
const TOKEN_TAG = 'v1:';

export function continuationToken(last: string): string {
  return Buffer.from(TOKEN_TAG + last, 'utf8').toString('base64');
}

function readToken(token: string): string {
  const text = Buffer.from(token, 'base64').toString('utf8');
  if (!text.startsWith(TOKEN_TAG) || Buffer.from(text, 'utf8').toString('base64') !== token) {
    // ⚠ S3's wording for a token it did not issue.
    throw s3Error('InvalidArgument', 'The continuation token provided is incorrect', {
      ArgumentName: 'continuation-token',
    });
  }
  return text.slice(TOKEN_TAG.length);
}

/**
 * ListObjectsV2 (`GET /bucket?list-type=2`): s3:ListBucket. `continuation-token` wins over
 * `start-after`; `fetch-owner=true` adds each key's owner (S3 API Reference, ListObjectsV2).
 */
export const listObjectsV2: S3Operation = {
  name: 'ListObjectsV2',
  bucket: 'existing',
  authorize: listNeeds,
  async handle(req, ctx) {
    const bucket = requireBucket(req);
    const params = listParams(req);
    // A token is the base64 of a key of up to 1024 bytes and its tag: about 1.4 KB at most.
    const token = bounded(req, 'continuation-token', 2048);
    const startAfter = bounded(req, 'start-after');
    // An empty token is no token: the listing starts over and echoes it (ceph/s3-tests
    // test_bucket_listv2_continuationtoken_empty, which runs against AWS; ⚠ no AWS page says so).
    const after =
      token !== undefined && token !== ''
        ? readToken(token)
        : startAfter !== undefined && startAfter !== ''
          ? startAfter
          : undefined;
    const page = await listKeys(ctx.store, bucket, { ...params, ...(after !== undefined ? { after } : {}) });
    const owner = req.query.get('fetch-owner') === 'true' ? ctx.bucket?.accountId : undefined;
    const body = s3Xml(
      element(
        'ListBucketResult',
        [
          textElement('Name', bucket),
          textElement('Prefix', encodeKey(params.prefix, params.encodeUrl)),
          ...optionalText(
            'Delimiter',
            params.delimiter === undefined ? undefined : encodeKey(params.delimiter, params.encodeUrl),
          ),
          textElement('MaxKeys', String(params.maxKeys)),
          ...optionalText('EncodingType', params.encodeUrl ? 'url' : undefined),
          textElement('KeyCount', String(page.contents.length + page.commonPrefixes.length)),
          textElement('IsTruncated', String(page.truncated)),
          ...optionalText('ContinuationToken', token),
          ...optionalText(
            'NextContinuationToken',
            page.truncated && page.last !== undefined ? continuationToken(page.last) : undefined,
          ),
          ...optionalText(
            'StartAfter',
            startAfter === undefined ? undefined : encodeKey(startAfter, params.encodeUrl),
          ),
          ...page.contents.map((o) => contentsXml(o, params, owner)),
          ...commonPrefixesXml(page, params),
        ],
        { xmlns: S3_NAMESPACE },
      ),
    );
    return { status: 200, headers: { ...baseHeaders(ctx), 'Content-Type': 'application/xml' }, body };
  },
};
