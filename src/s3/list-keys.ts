import { element, textElement, type XmlNode } from '../protocol/xml.js';
import { prefixEnd, type ObjectSummary } from '../store/objects.js';
import type { StoreScope } from '../store/types.js';
import { s3Error } from './errors.js';
import { bucketArn, requireBucket, type S3AuthorizationNeed, type S3Request } from './operation.js';
import { ownerXml } from './owner.js';
import { s3Timestamp } from './xml.js';

/** S3's page limit: at most 1000 keys per response (S3 API Reference, ListObjectsV2, MaxKeys). */
export const MAX_KEYS = 1000;

/** One page of a listing: keys and common prefixes in order, with the last entry for the next page. */
export interface KeyPage {
  readonly contents: readonly ObjectSummary[];
  readonly commonPrefixes: readonly string[];
  readonly truncated: boolean;
  /** The last key or common prefix of the page: where the next one starts. */
  readonly last?: string;
}

export interface KeyPageRequest {
  readonly prefix: string;
  readonly delimiter?: string;
  readonly maxKeys: number;
  /** Start strictly after this key (a marker, a start-after, a continuation). */
  readonly after?: string;
}

/**
 * Lists a page the way S3 does: keys with `prefix`, and with a delimiter each run of keys that share
 * `prefix + ... + delimiter` rolled up into one common prefix, keys and prefixes together counting
 * towards `maxKeys`. Each common prefix is skipped with one range scan starting past it, so a page costs
 * O(page) index reads however many keys the prefixes hold.
 */
export async function listKeys(store: StoreScope, bucket: string, r: KeyPageRequest): Promise<KeyPage> {
  const contents: ObjectSummary[] = [];
  const commonPrefixes: string[] = [];
  let last: string | undefined;
  const done = (truncated: boolean): KeyPage => ({
    contents,
    commonPrefixes,
    truncated,
    ...(last !== undefined ? { last } : {}),
  });
  type Cursor = { readonly after: string } | { readonly from: string };
  let cursor: Cursor | undefined = r.after === undefined ? undefined : { after: r.after };
  // A marker that is itself a common prefix resumes past every key under it.
  if (
    r.after !== undefined &&
    r.delimiter !== undefined &&
    rollUp(r.after, r.prefix, r.delimiter) === r.after
  ) {
    const from = prefixEnd(r.after);
    if (from === undefined) return done(false);
    cursor = { from };
  }
  if (r.maxKeys === 0) return done(false);
  for (;;) {
    // One more than the page still needs, to see whether it is truncated.
    const limit = Math.min(MAX_KEYS, r.maxKeys - contents.length - commonPrefixes.length) + 1;
    const batch = await store.objects.listSummaries(bucket, {
      ...(r.prefix !== '' ? { prefix: r.prefix } : {}),
      ...cursor,
      limit,
    });
    let next: Cursor | undefined;
    let skipped = false;
    for (const object of batch) {
      if (contents.length + commonPrefixes.length === r.maxKeys) return done(true);
      const common = r.delimiter === undefined ? undefined : rollUp(object.key, r.prefix, r.delimiter);
      if (common !== undefined) {
        commonPrefixes.push(common);
        last = common;
        const from = prefixEnd(common);
        if (from === undefined) return done(false);
        next = { from };
        skipped = true;
        break;
      }
      contents.push(object);
      last = object.key;
      next = { after: object.key };
    }
    // An empty batch, or a short one read to its end, was the end of the range.
    if (next === undefined || (!skipped && batch.length < limit)) return done(false);
    cursor = next;
  }
}

/** The common prefix `key` rolls up into: `prefix` + up to and including the first delimiter after it. */
function rollUp(key: string, prefix: string, delimiter: string): string | undefined {
  if (!key.startsWith(prefix)) return undefined;
  const at = key.indexOf(delimiter, prefix.length);
  return at < 0 ? undefined : key.slice(0, at + delimiter.length);
}

/** The parameters ListObjects and ListObjectsV2 share. */
export interface ListParams {
  readonly prefix: string;
  readonly delimiter?: string;
  readonly maxKeys: number;
  readonly encodeUrl: boolean;
}

/** The largest prefix, delimiter or marker accepted: S3's key limit. */
const MAX_PARAM_BYTES = 1024;

/** `prefix`, `delimiter`, `max-keys` (default and cap 1000) and `encoding-type` (only `url`). */
export function listParams(req: S3Request): ListParams {
  const prefix = bounded(req, 'prefix') ?? '';
  const delimiter = bounded(req, 'delimiter');
  const rawMax = req.query.get('max-keys');
  let maxKeys = MAX_KEYS;
  if (rawMax !== undefined) {
    if (!/^\d{1,10}$/.test(rawMax) || Number(rawMax) > 2147483647) {
      // ⚠ S3's wording for a max-keys that is not a non-negative 32-bit integer.
      throw s3Error('InvalidArgument', 'Provided max-keys not an integer or within integer range', {
        ArgumentName: 'max-keys',
        ArgumentValue: rawMax.slice(0, 64),
      });
    }
    maxKeys = Math.min(MAX_KEYS, Number(rawMax));
  }
  const encoding = req.query.get('encoding-type');
  if (encoding !== undefined && encoding !== 'url') {
    // ⚠ S3's wording as quoted in public issues.
    throw s3Error('InvalidArgument', 'Invalid Encoding Method specified in Request', {
      ArgumentName: 'encoding-type',
      ArgumentValue: encoding.slice(0, 64),
    });
  }
  return {
    prefix,
    ...(delimiter !== undefined && delimiter !== '' ? { delimiter } : {}),
    maxKeys,
    encodeUrl: encoding === 'url',
  };
}

/** A query parameter within `max` bytes (default: S3's key length). Our wording: S3's is unknown. */
export function bounded(req: S3Request, name: string, max = MAX_PARAM_BYTES): string | undefined {
  const value = req.query.get(name);
  if (value !== undefined && Buffer.byteLength(value) > max) {
    throw s3Error('InvalidArgument', `${name} is longer than ${max} bytes`, {
      ArgumentName: name,
    });
  }
  return value;
}

/**
 * ListObjects(V2) need s3:ListBucket with the listing's condition keys (iam-policy.md §5.2): `s3:prefix`,
 * `s3:delimiter` and `s3:max-keys`, each present when the request carries the parameter.
 */
export function listNeeds(req: S3Request): readonly S3AuthorizationNeed[] {
  const context = new Map<string, string>();
  for (const [param, key] of [
    ['prefix', 's3:prefix'],
    ['delimiter', 's3:delimiter'],
    ['max-keys', 's3:max-keys'],
  ] as const) {
    const value = req.query.get(param);
    if (value !== undefined) context.set(key, value);
  }
  return [{ action: 's3:ListBucket', resource: bucketArn(requireBucket(req)), context }];
}

/**
 * `encoding-type=url`: S3 URL-encodes keys and prefixes so that any key survives XML 1.0 (boto3 always
 * asks for it and decodes; docs/raw-requests.md key fact 5). `/` stays as is (⚠: as S3 answers it).
 */
export function encodeKey(value: string, encode: boolean): string {
  return encode ? encodeURIComponent(value).replace(/%2F/g, '/') : value;
}

/** One `<Contents>` entry. */
export function contentsXml(object: ObjectSummary, params: ListParams, owner: string | undefined): XmlNode {
  return element('Contents', [
    textElement('Key', encodeKey(object.key, params.encodeUrl)),
    textElement('LastModified', s3Timestamp(object.lastModified)),
    textElement('ETag', object.etag),
    textElement('Size', String(object.size)),
    ...(owner !== undefined ? [ownerXml(owner)] : []),
    textElement('StorageClass', 'STANDARD'),
  ]);
}

/** The `<CommonPrefixes>` entries. */
export function commonPrefixesXml(page: KeyPage, params: ListParams): XmlNode[] {
  return page.commonPrefixes.map((p) =>
    element('CommonPrefixes', [textElement('Prefix', encodeKey(p, params.encodeUrl))]),
  );
}
