import { createHash, randomBytes } from 'node:crypto';
import type { Caller } from '../iam/caller.js';
import { element, textElement, type XmlNode } from '../protocol/xml.js';
import type { MultipartUpload } from '../store/uploads.js';
import { s3Error } from './errors.js';
import { requireKey, type S3OperationContext, type S3Request } from './operation.js';
import { canonicalUserId } from './owner.js';

/** S3's multipart limits (S3 User Guide, "Amazon S3 multipart upload limits"). */
export const MIN_PART_NUMBER = 1;
export const MAX_PART_NUMBER = 10000;
/** Every part but the last is at least 5 MiB. */
export const MIN_PART_BYTES = 5 * 1024 ** 2;
/** A part is at most 5 GiB. */
export const MAX_PART_BYTES = 5 * 1024 ** 3;
/** ListParts and ListMultipartUploads answer at most 1000 entries. */
export const MAX_LIST = 1000;

/** An upload id: opaque to clients, 32 random bytes as base64url (no character needs escaping). */
export function newUploadId(): string {
  return randomBytes(32).toString('base64url');
}

/** Upload ids we issue are short; anything longer names no upload (bounded before the store is asked). */
const MAX_UPLOAD_ID_BYTES = 256;

/**
 * NoSuchUpload (S3 API Reference, error codes) with the sentence S3 answers on the wire, as SDK issues
 * quote it, and the upload id S3 adds.
 */
export function noSuchUpload(uploadId: string) {
  return s3Error(
    'NoSuchUpload',
    'The specified upload does not exist. The upload ID may be invalid, or the upload may have been aborted or completed.',
    { UploadId: uploadId.slice(0, MAX_UPLOAD_ID_BYTES) },
  );
}

/** The upload a request's `uploadId` names on its bucket and key, or NoSuchUpload. */
export async function loadUpload(req: S3Request, ctx: S3OperationContext): Promise<MultipartUpload> {
  const { bucket, key } = requireKey(req);
  const uploadId = req.query.get('uploadId') ?? '';
  if (uploadId === '' || Buffer.byteLength(uploadId) > MAX_UPLOAD_ID_BYTES) throw noSuchUpload(uploadId);
  const upload = await ctx.store.uploads.get(bucket, key, uploadId);
  if (upload === undefined) throw noSuchUpload(uploadId);
  return upload;
}

/**
 * `partNumber`: an integer 1..10000. ⚠ S3's wording as public issues quote it ("Part number must be an
 * integer between 1 and 10000, inclusive"), InvalidArgument naming the argument.
 */
export function readPartNumber(req: S3Request): number {
  const raw = req.query.get('partNumber') ?? '';
  const value = /^\d{1,5}$/.test(raw) ? Number(raw) : NaN;
  if (!(value >= MIN_PART_NUMBER && value <= MAX_PART_NUMBER)) {
    throw s3Error('InvalidArgument', 'Part number must be an integer between 1 and 10000, inclusive', {
      ArgumentName: 'partNumber',
      ArgumentValue: raw.slice(0, 64),
    });
  }
  return value;
}

/**
 * The ETag of a completed multipart object: the MD5 of the concatenated binary MD5s of its parts, then
 * `-N` for N parts (a fact of S3's ETags, DESIGN.md "Storage").
 */
export function multipartEtag(partEtags: readonly string[]): string {
  const md5 = createHash('md5');
  for (const etag of partEtags) md5.update(Buffer.from(etag.replace(/"/g, ''), 'hex'));
  return `"${md5.digest('hex')}-${partEtags.length}"`;
}

/**
 * `<Initiator>`: the ARN for IAM identities, the canonical id for a root user, as S3 answers; ⚠ the
 * display name repeats the id (S3's display names are being retired).
 */
export function initiatorXml(upload: MultipartUpload): XmlNode {
  return element('Initiator', [
    textElement('ID', upload.initiator),
    textElement('DisplayName', upload.initiator),
  ]);
}

/** Who CreateMultipartUpload records as the initiator. */
export function initiatorOf(caller: Caller, accountId: string): string {
  if (caller.kind === 'anonymous') return 'anonymous';
  if (caller.kind === 'root') return canonicalUserId(accountId);
  return caller.arn;
}

/** A bounded integer query parameter (max-parts, max-uploads, part-number-marker), else InvalidArgument. */
export function intParam(req: S3Request, name: string, fallback: number, max: number): number {
  const raw = req.query.get(name);
  if (raw === undefined) return fallback;
  if (!/^\d{1,10}$/.test(raw)) {
    // ⚠ S3's wording for a non-integer list argument.
    throw s3Error('InvalidArgument', `Provided ${name} not an integer or within integer range`, {
      ArgumentName: name,
      ArgumentValue: raw.slice(0, 64),
    });
  }
  return Math.min(Number(raw), max);
}
