import type { S3Object } from '../store/objects.js';
import type { StoreScope } from '../store/types.js';
import { noSuchKey, s3Error } from './errors.js';
import { etagListMatches, preconditionFailed } from './object-read.js';
import { header, type S3Request } from './operation.js';

/**
 * S3's conditional writes on PutObject and CompleteMultipartUpload (S3 User Guide, "How to prevent object
 * overwrites with conditional writes"; S3 API Reference, PutObject `If-Match` / `If-None-Match`):
 * - `If-None-Match: *`: write only when no object has the key, else 412 PreconditionFailed. Any other
 *   If-None-Match value is 501 NotImplemented "A header you provided implies functionality that is not
 *   implemented" (answered by AWS for an ETag value: aws/aws-sdk-ruby#3144).
 * - `If-Match: <etag>`: write only over the object with that ETag: 412 when it differs, 404 NoSuchKey when
 *   there is no object. `*` (RFC 9110) matches any object (⚠ S3 documents an ETag value only; ceph/s3-tests
 *   expects `*` to match).
 * - Checked twice: before the body is read (fail fast), and again, atomically with the commit, in a
 *   store transaction. An If-Match object that was deleted in between is 409 ConditionalRequestConflict
 *   ("a concurrent delete succeeds before the conditional write completes"); one replaced in between, or
 *   an If-None-Match key written in between, is 412 (the first write to finish wins).
 * ⚠ Both headers on one request: each must hold (S3's answer to the pair is unconfirmed).
 */
export interface WriteConditions {
  /** The If-Match value as sent. */
  readonly ifMatch?: string;
  readonly ifNoneMatch?: '*';
}

/** The conditions a request carries; `undefined` for an unconditional write. */
export function writeConditions(req: S3Request): WriteConditions | undefined {
  const ifMatch = header(req, 'if-match')?.trim();
  const ifNoneMatch = header(req, 'if-none-match')?.trim();
  if (ifNoneMatch !== undefined && ifNoneMatch !== '*') {
    throw s3Error('NotImplemented', 'A header you provided implies functionality that is not implemented', {
      Header: 'If-None-Match',
    });
  }
  if (ifMatch === undefined && ifNoneMatch === undefined) return undefined;
  return { ...(ifMatch !== undefined ? { ifMatch } : {}), ...(ifNoneMatch === '*' ? { ifNoneMatch } : {}) };
}

/** The condition keys the headers set (`s3:if-match`, `s3:if-none-match`: SAR's PutObject keys). */
export function writeConditionContext(req: S3Request): Map<string, string> {
  const context = new Map<string, string>();
  const ifMatch = header(req, 'if-match');
  const ifNoneMatch = header(req, 'if-none-match');
  if (ifMatch !== undefined) context.set('s3:if-match', ifMatch);
  if (ifNoneMatch !== undefined) context.set('s3:if-none-match', ifNoneMatch);
  return context;
}

/** The first check, against the object as it is now; throws S3's error when a condition fails. */
export function checkWriteConditions(c: WriteConditions, current: S3Object | undefined, key: string): void {
  if (c.ifMatch !== undefined) {
    if (current === undefined) throw noSuchKey(key);
    if (!etagListMatches(c.ifMatch, current.etag)) throw preconditionFailed('If-Match');
  }
  if (c.ifNoneMatch !== undefined && current !== undefined) throw preconditionFailed('If-None-Match');
}

/**
 * Commits `object` only while the conditions still hold, in one store transaction: the object it
 * replaced (as `objects.put` returns it). `checkedBefore` says whether the first check ran on this
 * request (PutObject), so that an object deleted since is a conflict rather than a missing key. `bytes`:
 * an inline object's, committed with its row (ObjectStore.put).
 */
export function putIfConditions(
  store: StoreScope,
  object: S3Object,
  c: WriteConditions | undefined,
  checkedBefore: boolean,
  bytes?: Uint8Array,
): Promise<S3Object | undefined> {
  if (c === undefined) return store.objects.put(object, bytes);
  return store.transaction(async (tx) => {
    const current = await tx.objects.get(object.bucket, object.key);
    if (checkedBefore && c.ifMatch !== undefined && current === undefined) throw conditionalRequestConflict();
    checkWriteConditions(c, current, object.key);
    return tx.objects.put(object, bytes);
  });
}

/**
 * (S3 API Reference, PutObject: "If a conflicting operation occurs during the upload S3 returns a 409
 * ConditionalRequestConflict response.") ⚠ The message is the one localstack's AWS snapshots record;
 * unconfirmed by us.
 */
export function conditionalRequestConflict() {
  return s3Error(
    'ConditionalRequestConflict',
    'A conflicting operation occurred. If using PutObject you can retry the request. If using multipart upload you should initiate another CreateMultipartUpload request and re-upload each part.',
  );
}
