import type { ObjectTag, S3Object } from '../store/objects.js';
import { s3Error } from './errors.js';
import { etagListMatches, parseHttpDate, preconditionFailed } from './object-read.js';
import { header, type S3Request } from './operation.js';
import { taggingHeader } from './object-tags.js';

/** The object a copy reads: `x-amz-copy-source` decoded. */
export interface CopySource {
  readonly bucket: string;
  readonly key: string;
  /** `null` is the only version an unversioned bucket has. */
  readonly versionId?: string;
}

/** S3's largest key in UTF-8 bytes, and a copy source header's bound (key, bucket, version, escapes). */
const MAX_HEADER_BYTES = 4 * 1024;

/**
 * Reads `x-amz-copy-source`: `[/]bucket/key[?versionId=id]`, the bucket and key URL-encoded (S3 API
 * Reference, CopyObject: "The value must be URL-encoded"); the query is split off before decoding, so an
 * encoded `?` (`%3F`) stays in the key. Only the null version exists here; another id is InvalidArgument.
 */
export function readCopySource(req: S3Request): CopySource {
  const raw = header(req, 'x-amz-copy-source') ?? '';
  // ⚠ S3's wording for a copy source without bucket and key, as public issues quote it.
  const invalid = () =>
    s3Error('InvalidArgument', 'Copy Source must mention the source bucket and key: sourcebucket/sourcekey', {
      ArgumentName: 'x-amz-copy-source',
      ArgumentValue: raw.slice(0, 256),
    });
  if (raw.length === 0 || raw.length > MAX_HEADER_BYTES) throw invalid();
  const q = raw.indexOf('?');
  const path = q === -1 ? raw : raw.slice(0, q);
  const query = q === -1 ? '' : raw.slice(q + 1);
  let decoded: string;
  try {
    decoded = decodeURIComponent(path.startsWith('/') ? path.slice(1) : path);
  } catch {
    throw invalid();
  }
  const slash = decoded.indexOf('/');
  if (slash <= 0 || slash === decoded.length - 1) throw invalid();
  const bucket = decoded.slice(0, slash);
  const key = decoded.slice(slash + 1);
  const params = new URLSearchParams(query);
  const versionId = params.get('versionId') ?? undefined;
  if (versionId !== undefined && versionId !== 'null') {
    // ⚠ S3's wording for a version id that names no version of an unversioned bucket.
    throw s3Error('InvalidArgument', 'Invalid version id specified', {
      ArgumentName: 'x-amz-copy-source',
      ArgumentValue: raw.slice(0, 256),
    });
  }
  return { bucket, key, ...(versionId !== undefined ? { versionId } : {}) };
}

/**
 * `x-amz-copy-source-if-*` (S3 API Reference, CopyObject): if-match true lets if-unmodified-since be
 * ignored, if-none-match false lets if-modified-since be ignored; any condition that fails is 412
 * PreconditionFailed (never 304 for a copy). An unparsable date is ignored.
 */
export function checkCopyConditions(req: S3Request, source: S3Object): void {
  const ifMatch = header(req, 'x-amz-copy-source-if-match');
  const ifNoneMatch = header(req, 'x-amz-copy-source-if-none-match');
  const modified = Math.floor(source.lastModified / 1000);
  if (ifMatch !== undefined) {
    if (!etagListMatches(ifMatch, source.etag)) throw preconditionFailed('x-amz-copy-source-If-Match');
  } else {
    const since = parseHttpDate(header(req, 'x-amz-copy-source-if-unmodified-since'));
    if (since !== undefined && modified > since) {
      throw preconditionFailed('x-amz-copy-source-If-Unmodified-Since');
    }
  }
  if (ifNoneMatch !== undefined) {
    if (etagListMatches(ifNoneMatch, source.etag))
      throw preconditionFailed('x-amz-copy-source-If-None-Match');
  } else {
    const since = parseHttpDate(header(req, 'x-amz-copy-source-if-modified-since'));
    if (since !== undefined && modified <= since) {
      throw preconditionFailed('x-amz-copy-source-If-Modified-Since');
    }
  }
}

/**
 * The copy's tags: `x-amz-tagging-directive` COPY (the default) keeps the source's, REPLACE takes
 * `x-amz-tagging` (none when absent) (S3 API Reference, CopyObject).
 */
export function copiedTags(req: S3Request, source: S3Object): readonly ObjectTag[] | undefined {
  const directive = header(req, 'x-amz-tagging-directive') ?? 'COPY';
  if (directive === 'COPY') return source.tags;
  if (directive === 'REPLACE') return taggingHeader(req) ?? [];
  // ⚠ S3's wording for an unknown directive (as for x-amz-metadata-directive).
  throw s3Error('InvalidArgument', 'Unknown tagging directive.', {
    ArgumentName: 'x-amz-tagging-directive',
    ArgumentValue: directive.slice(0, 64),
  });
}
