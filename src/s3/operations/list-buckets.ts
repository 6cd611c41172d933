import { element, textElement } from '../../protocol/xml.js';
import { baseHeaders, type S3Operation } from '../operation.js';
import { ownerXml } from '../owner.js';
import { S3_NAMESPACE, s3Timestamp, s3Xml } from '../xml.js';
import { accessDenied } from '../errors.js';

/** ListBuckets (`GET /`): the caller's account's buckets; needs s3:ListAllMyBuckets on `*`. */
export const listBuckets: S3Operation = {
  name: 'ListBuckets',
  bucket: 'none',
  authorize: () => [{ action: 's3:ListAllMyBuckets', resource: '*' }],
  async handle(_req, ctx) {
    // INVARIANT: an anonymous caller has no identity policies and ListAllMyBuckets has no resource
    // policy, so the engine has denied it already; this guards the type.
    if (ctx.caller.kind === 'anonymous') throw accessDenied();
    const buckets = await ctx.store.buckets.listByAccount(ctx.caller.accountId);
    const body = s3Xml(
      element(
        'ListAllMyBucketsResult',
        [
          ownerXml(ctx.caller.accountId),
          element(
            'Buckets',
            buckets.map((b) =>
              element('Bucket', [
                textElement('Name', b.name),
                textElement('CreationDate', s3Timestamp(b.createdAt)),
                textElement('BucketRegion', b.region),
              ]),
            ),
          ),
        ],
        { xmlns: S3_NAMESPACE },
      ),
    );
    return { status: 200, headers: { ...baseHeaders(ctx), 'Content-Type': 'application/xml' }, body };
  },
};
