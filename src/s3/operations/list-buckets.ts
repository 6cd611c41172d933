import { element, textElement } from '../../protocol/xml.js';
import { baseHeaders, type S3Operation } from '../operation.js';
import { ownerXml } from '../owner.js';
import { S3_NAMESPACE, s3Timestamp, s3Xml } from '../xml.js';
import { accessDenied, s3Error } from '../errors.js';
import { bounded } from '../list-keys.js';
import { optionalText } from '../xml.js';
import type { S3Request } from '../operation.js';

/** ListBuckets' page bound: 1 to 10,000 buckets (S3 API Reference, ListBuckets, `max-buckets`). */
const MAX_BUCKETS = 10_000;
/** Continuation tokens are opaque to clients: base64 of a version tag and the last bucket name. */
const TOKEN_TAG = 'b1:';

function maxBuckets(req: S3Request): number {
  const value = req.query.get('max-buckets');
  if (value === undefined) return MAX_BUCKETS;
  const n = /^\d{1,5}$/.test(value) ? Number(value) : 0;
  if (n < 1 || n > MAX_BUCKETS) {
    // ⚠ our wording: S3's message for an out-of-range max-buckets is unconfirmed.
    throw s3Error('InvalidArgument', `max-buckets must be an integer between 1 and ${MAX_BUCKETS}`, {
      ArgumentName: 'max-buckets',
    });
  }
  return n;
}

/** The last bucket name of the previous page, or `undefined` for the first page. */
function after(req: S3Request): string | undefined {
  const token = bounded(req, 'continuation-token', 128);
  if (token === undefined || token === '') return undefined;
  const text = Buffer.from(token, 'base64').toString('utf8');
  if (!text.startsWith(TOKEN_TAG) || Buffer.from(text, 'utf8').toString('base64') !== token) {
    // ⚠ ListObjectsV2's wording for a token S3 did not issue, assumed the same here.
    throw s3Error('InvalidArgument', 'The continuation token provided is incorrect', {
      ArgumentName: 'continuation-token',
    });
  }
  return text.slice(TOKEN_TAG.length);
}

/**
 * ListBuckets (`GET /`): the caller's account's buckets in name order; needs s3:ListAllMyBuckets on `*`.
 * `max-buckets` pages them, `continuation-token` resumes after a page and `prefix` keeps the names that
 * start with it; a page with more after it carries `ContinuationToken` (S3 API Reference, ListBuckets).
 */
export const listBuckets: S3Operation = {
  name: 'ListBuckets',
  bucket: 'none',
  authorize: () => [{ action: 's3:ListAllMyBuckets', resource: '*' }],
  async handle(req, ctx) {
    // INVARIANT: an anonymous caller has no identity policies and ListAllMyBuckets has no resource
    // policy, so the engine has denied it already; this guards the type.
    if (ctx.caller.kind === 'anonymous') throw accessDenied();
    const limit = maxBuckets(req);
    const start = after(req);
    const prefix = bounded(req, 'prefix');
    const all = (await ctx.store.buckets.listByAccount(ctx.caller.accountId))
      .filter(
        (b) => (start === undefined || b.name > start) && (prefix === undefined || b.name.startsWith(prefix)),
      )
      .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    const buckets = all.slice(0, limit);
    const last = buckets[buckets.length - 1];
    const next = all.length > limit && last !== undefined ? continuationOf(last.name) : undefined;
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
          ...optionalText('ContinuationToken', next),
          ...optionalText('Prefix', prefix),
        ],
        { xmlns: S3_NAMESPACE },
      ),
    );
    return { status: 200, headers: { ...baseHeaders(ctx), 'Content-Type': 'application/xml' }, body };
  },
};

function continuationOf(name: string): string {
  return Buffer.from(TOKEN_TAG + name, 'utf8').toString('base64');
}
