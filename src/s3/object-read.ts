import { AwsError, notImplemented } from '../shared/aws-error.js';
import type { S3Object } from '../store/objects.js';
import { retryIfGone, SMALL_READ_BYTES } from './blob-store.js';
import { checksumHeaders } from './checksum-response.js';
import { accessDenied, noSuchKey, s3Error } from './errors.js';
import {
  baseHeaders,
  bucketArn,
  header,
  objectArn,
  requireKey,
  type S3AuthorizationNeed,
  type S3OperationContext,
  type S3Request,
  type S3Response,
} from './operation.js';
import { encodeMetadataValue } from './metadata-value.js';
import { httpDate } from './xml.js';

/** GetObject and HeadObject need s3:GetObject on the object, s3:GetObjectVersion with `versionId` (iam-policy.md §5.3). */
export function readNeeds(req: S3Request): readonly S3AuthorizationNeed[] {
  const { bucket, key } = requireKey(req);
  const action = req.query.has('versionId') ? 's3:GetObjectVersion' : 's3:GetObject';
  return [{ action, resource: objectArn(bucket, key) }];
}

/**
 * Buckets here are never versioned, so every object is the `null` version: `versionId=null` names it,
 * any other id is InvalidArgument (⚠ S3's wording, "Invalid version id specified", as quoted in public
 * issues).
 */
export function checkVersionId(req: S3Request): void {
  const versionId = req.query.get('versionId');
  if (versionId === undefined || versionId === 'null') return;
  throw s3Error('InvalidArgument', 'Invalid version id specified', {
    ArgumentName: 'versionId',
    ArgumentValue: versionId.slice(0, 128),
  });
}

/**
 * `partNumber`: part 1 of an object from a single PUT is the whole object (S3 API Reference, GetObject);
 * the parts of a multipart object are not kept apart once it is completed, so any other part answers 501
 * rather than the whole object.
 */
function checkPartNumber(req: S3Request, object: S3Object): void {
  const part = req.query.get('partNumber');
  if (part === undefined || (part === '1' && !object.etag.includes('-'))) return;
  throw notImplemented('S3', `${req.method === 'HEAD' ? 'HeadObject' : 'GetObject'} with partNumber`);
}

/** The `response-*` query parameters and the header each overrides (S3 API Reference, GetObject). */
const OVERRIDES: readonly (readonly [string, string])[] = [
  ['response-cache-control', 'Cache-Control'],
  ['response-content-disposition', 'Content-Disposition'],
  ['response-content-encoding', 'Content-Encoding'],
  ['response-content-language', 'Content-Language'],
  ['response-content-type', 'Content-Type'],
  ['response-expires', 'Expires'],
];

/** A byte range to send, inclusive. */
export interface ByteRange {
  readonly start: number;
  readonly end: number;
}

/**
 * The shared read of GetObject and HeadObject: the object, or — when it is missing — NoSuchKey if the
 * caller may also s3:ListBucket the bucket and AccessDenied otherwise (S3 API Reference, GetObject:
 * "If you don't have the s3:ListBucket permission, Amazon S3 returns an HTTP status code 403"); then the
 * conditional headers, then the range. Returns the headers and the range to stream.
 */
export async function readObject(
  req: S3Request,
  ctx: S3OperationContext,
): Promise<{ object: S3Object; status: number; headers: Record<string, string>; range?: ByteRange }> {
  const { bucket, key } = requireKey(req);
  checkVersionId(req);
  const object = await ctx.store.objects.get(bucket, key);
  if (object === undefined) {
    const mayList = await ctx.isAllowed({ action: 's3:ListBucket', resource: bucketArn(bucket) });
    throw mayList ? noSuchKey(key) : accessDenied();
  }
  checkPartNumber(req, object);
  const headers: Record<string, string> = { ...baseHeaders(ctx), ...objectHeaders(object) };
  if (checkConditions(req, object) === 'notModified') {
    // 304 carries the validators and no body (RFC 9110 §15.4.5).
    return {
      object,
      status: 304,
      headers: { ...baseHeaders(ctx), ETag: object.etag, 'Last-Modified': httpDate(object.lastModified) },
    };
  }
  for (const [param, name] of OVERRIDES) {
    const value = req.query.get(param);
    if (value === undefined) continue;
    if (req.auth.authType === undefined) {
      // ⚠ S3's wording for response-* overrides on an anonymous request, as quoted in public issues.
      throw s3Error(
        'InvalidRequest',
        'Request specific response headers cannot be used for anonymous GET requests.',
      );
    }
    headers[name] = value;
  }
  const range = parseRange(header(req, 'range'), object.size);
  if (range === undefined) {
    // A whole object's checksum, when asked for; a range has none of its own (S3 API Reference, GetObject).
    if (header(req, 'x-amz-checksum-mode')?.toUpperCase() === 'ENABLED') {
      Object.assign(headers, checksumHeaders(object.checksums));
    }
    return { object, status: 200, headers: { ...headers, 'Content-Length': String(object.size) } };
  }
  return {
    object,
    status: 206,
    headers: {
      ...headers,
      'Content-Length': String(range.end - range.start + 1),
      'Content-Range': `bytes ${range.start}-${range.end}/${object.size}`,
    },
    range,
  };
}

/** The stored headers of an object, as GetObject and HeadObject return them. */
export function objectHeaders(object: S3Object): Record<string, string> {
  const headers: Record<string, string> = {
    ETag: object.etag,
    'Last-Modified': httpDate(object.lastModified),
    'Accept-Ranges': 'bytes',
    // (S3 API Reference, PutObject, Content-Type: "Default: binary/octet-stream")
    'Content-Type': object.contentType ?? 'binary/octet-stream',
  };
  if (object.contentEncoding !== undefined) headers['Content-Encoding'] = object.contentEncoding;
  if (object.contentDisposition !== undefined) headers['Content-Disposition'] = object.contentDisposition;
  if (object.contentLanguage !== undefined) headers['Content-Language'] = object.contentLanguage;
  if (object.cacheControl !== undefined) headers['Cache-Control'] = object.cacheControl;
  if (object.expires !== undefined) headers.Expires = object.expires;
  for (const [name, value] of object.metadata) headers[`x-amz-meta-${name}`] = encodeMetadataValue(value);
  const tagCount = object.tags?.length ?? 0;
  if (tagCount > 0) headers['x-amz-tagging-count'] = String(tagCount);
  return headers;
}

/**
 * RFC 9110 §13.2.2's order, which S3 follows (S3 API Reference, GetObject, "Conditional requests"):
 * If-Match (412 when false), else If-Unmodified-Since (412 when modified); then If-None-Match (304 when
 * it matches), else If-Modified-Since (304 when not modified). A date that does not parse is ignored.
 */
export function checkConditions(req: S3Request, object: S3Object): 'proceed' | 'notModified' {
  const ifMatch = header(req, 'if-match');
  const ifNoneMatch = header(req, 'if-none-match');
  const modifiedSeconds = Math.floor(object.lastModified / 1000);
  if (ifMatch !== undefined) {
    if (!etagListMatches(ifMatch, object.etag)) throw preconditionFailed('If-Match');
  } else {
    const since = parseHttpDate(header(req, 'if-unmodified-since'));
    if (since !== undefined && modifiedSeconds > since) throw preconditionFailed('If-Unmodified-Since');
  }
  if (ifNoneMatch !== undefined) return etagListMatches(ifNoneMatch, object.etag) ? 'notModified' : 'proceed';
  const since = parseHttpDate(header(req, 'if-modified-since'));
  return since !== undefined && modifiedSeconds <= since ? 'notModified' : 'proceed';
}

export function etagListMatches(list: string, etag: string): boolean {
  const bare = etag.replace(/^"|"$/g, '');
  return list.split(',').some((item) => {
    const t = item.trim().replace(/^W\//, '');
    return t === '*' || t.replace(/^"|"$/g, '') === bare;
  });
}

/** Seconds since the epoch of an HTTP date, or `undefined`. */
export function parseHttpDate(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? undefined : Math.floor(ms / 1000);
}

/** (S3 API Reference, error codes: PreconditionFailed) */
export function preconditionFailed(condition: string) {
  return s3Error('PreconditionFailed', 'At least one of the pre-conditions you specified did not hold', {
    Condition: condition,
  });
}

/**
 * One `bytes=` range (RFC 9110 §14.1.2): `a-b`, `a-`, `-n`. A header that is not one well-formed range
 * (several ranges, another unit) is ignored and the whole object sent, as S3 does with what it does
 * not support (⚠ for multiple ranges). A range that starts at or past the end is InvalidRange 416.
 */
export function parseRange(value: string | undefined, size: number): ByteRange | undefined {
  if (value === undefined) return undefined;
  const m = /^bytes=(\d*)-(\d*)$/.exec(value.trim());
  if (m === null) return undefined;
  const [, first = '', last = ''] = m;
  if (first === '' && last === '') return undefined;
  let start: number;
  let end: number;
  if (first === '') {
    const suffix = Number(last);
    if (suffix === 0) throw invalidRange(value, size);
    start = Math.max(0, size - suffix);
    end = size - 1;
  } else {
    start = Number(first);
    end = last === '' ? size - 1 : Math.min(Number(last), size - 1);
    if (last !== '' && Number(last) < start) return undefined;
  }
  if (start >= size || size === 0) throw invalidRange(value, size);
  return { start, end };
}

/** (S3 API Reference, error codes: InvalidRange) */
function invalidRange(requested: string, size: number) {
  return s3Error('InvalidRange', 'The requested range is not satisfiable', {
    RangeRequested: requested,
    ActualObjectSize: String(size),
  });
}

/**
 * The response of a read, with the object's bytes unless it is a HEAD: an inline object's, and up to
 * SMALL_READ_BYTES of a file's, read whole into one buffer (sent with its headers in one write); larger
 * ranges of files streamed, from a file opened before the answer begins. Bytes that are gone fail with
 * `BlobGoneError` (`readWithBody` reads the object again).
 */
export async function readResponse(
  ctx: S3OperationContext,
  read: Awaited<ReturnType<typeof readObject>>,
  withBody: boolean,
): Promise<S3Response> {
  if (!withBody || read.status === 304 || read.object.size === 0)
    return { status: read.status, headers: read.headers };
  if (ctx.blobs === undefined) throw blobsNotConfigured();
  // A whole read still names its last byte (the blob holds exactly `size` bytes, and `size` > 0 here):
  // without an end, a file stream allocates READ_CHUNK_BYTES for every read whatever the object's size.
  const range = read.range ?? { start: 0, end: read.object.size - 1 };
  // INVARIANT: an inline object holds at most INLINE_MAX ≤ SMALL_READ_BYTES bytes, so it is always read whole
  // (from the cache or the store); only files stream.
  const body =
    read.object.inline === true || range.end - range.start + 1 <= SMALL_READ_BYTES
      ? await ctx.blobs.readObject(ctx.store.objects, read.object, range)
      : await ctx.blobs.openRead(read.object.blobId, range);
  return { status: read.status, headers: read.headers, body };
}

/**
 * GetObject's read: `readObject`, then its bytes. When they are gone (`BlobGoneError`: a DeleteObject or
 * an overwrite committed between the two reads), the object is read again, once, and answered as a read
 * after the change is: NoSuchKey (or AccessDenied without s3:ListBucket), or the newer version with its
 * own headers. S3 never answers such a race with a 500 (its reads are strongly consistent: a read sees
 * the object as one of the writes left it). Bytes gone a second time are our failure.
 */
export function readWithBody(req: S3Request, ctx: S3OperationContext): Promise<S3Response> {
  return retryIfGone(async () => readResponse(ctx, await readObject(req, ctx), true));
}

/** Object bytes need a data directory (the server's `dataDir` option); without one they are not served. */
export function blobsNotConfigured(): AwsError {
  return new AwsError(
    'InternalFailure',
    501,
    'S3 object storage is not implemented without a data directory',
    {
      fault: 'Receiver',
    },
  );
}
