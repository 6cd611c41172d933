import { notImplemented } from '../shared/aws-error.js';
import type { S3Operation } from './operation.js';
import { abortMultipartUpload } from './operations/abort-multipart-upload.js';
import { completeMultipartUpload } from './operations/complete-multipart-upload.js';
import { copyObject } from './operations/copy-object.js';
import { createMultipartUpload } from './operations/create-multipart-upload.js';
import { createBucket } from './operations/create-bucket.js';
import { deleteBucket } from './operations/delete-bucket.js';
import { deleteBucketPolicy } from './operations/delete-bucket-policy.js';
import { deleteObject } from './operations/delete-object.js';
import { deleteObjectTagging } from './operations/delete-object-tagging.js';
import { deleteObjects } from './operations/delete-objects.js';
import { deletePublicAccessBlock } from './operations/delete-public-access-block.js';
import { getBucketAcl } from './operations/get-bucket-acl.js';
import { getBucketLocation } from './operations/get-bucket-location.js';
import { getBucketOwnershipControls } from './operations/get-bucket-ownership-controls.js';
import { getBucketPolicy } from './operations/get-bucket-policy.js';
import { getObject } from './operations/get-object.js';
import { getObjectAcl } from './operations/get-object-acl.js';
import { getObjectTagging } from './operations/get-object-tagging.js';
import { getPublicAccessBlock } from './operations/get-public-access-block.js';
import { headBucket } from './operations/head-bucket.js';
import { headObject } from './operations/head-object.js';
import { listBuckets } from './operations/list-buckets.js';
import { listMultipartUploads } from './operations/list-multipart-uploads.js';
import { listObjectVersions } from './operations/list-object-versions.js';
import { listObjects } from './operations/list-objects.js';
import { listObjectsV2 } from './operations/list-objects-v2.js';
import { listParts } from './operations/list-parts.js';
import { putBucketAcl } from './operations/put-bucket-acl.js';
import { putBucketOwnershipControls } from './operations/put-bucket-ownership-controls.js';
import { putBucketPolicy } from './operations/put-bucket-policy.js';
import { putObject } from './operations/put-object.js';
import { putObjectAcl } from './operations/put-object-acl.js';
import { putObjectTagging } from './operations/put-object-tagging.js';
import { putPublicAccessBlock } from './operations/put-public-access-block.js';
import { uploadPart } from './operations/upload-part.js';
import { uploadPartCopy } from './operations/upload-part-copy.js';

/** What a request addresses. */
export type S3Level = 'service' | 'bucket' | 'object';

/**
 * The query parameters that select a sub-resource, and so another operation (S3 API Reference; the
 * sub-resources SigV2 signs plus the newer ones). The first one a request carries, in this order, picks
 * the route.
 */
export const SUBRESOURCES: readonly string[] = [
  'uploadId',
  'uploads',
  'acl',
  'policy',
  'policyStatus',
  'location',
  'versioning',
  'versions',
  'tagging',
  'cors',
  'lifecycle',
  'website',
  'logging',
  'notification',
  'replication',
  'encryption',
  'ownershipControls',
  'publicAccessBlock',
  'object-lock',
  'legal-hold',
  'retention',
  'delete',
  'restore',
  'select',
  'torrent',
  'attributes',
  'accelerate',
  'analytics',
  'inventory',
  'metrics',
  'intelligent-tiering',
  'requestPayment',
];

/** One row: method, level, sub-resource (`''` for none) → an operation, or the name of one not built. */
interface Route {
  readonly method: string;
  readonly level: S3Level;
  readonly subresource: string;
  readonly operation: S3Operation | string;
}

/**
 * The explicit routing table. Rows with a string name the S3 operation that answers 501 until it is
 * built, so the message says which operation a client tried.
 */
export const S3_ROUTES: readonly Route[] = [
  { method: 'GET', level: 'service', subresource: '', operation: listBuckets },
  { method: 'PUT', level: 'bucket', subresource: '', operation: createBucket },
  { method: 'HEAD', level: 'bucket', subresource: '', operation: headBucket },
  { method: 'DELETE', level: 'bucket', subresource: '', operation: deleteBucket },
  { method: 'GET', level: 'bucket', subresource: 'location', operation: getBucketLocation },
  // GET on a bucket: ListObjectsV2 when `list-type=2`, else ListObjects (resolved in `route`).
  { method: 'GET', level: 'bucket', subresource: '', operation: listObjects },
  { method: 'GET', level: 'bucket', subresource: 'policy', operation: getBucketPolicy },
  { method: 'PUT', level: 'bucket', subresource: 'policy', operation: putBucketPolicy },
  { method: 'DELETE', level: 'bucket', subresource: 'policy', operation: deleteBucketPolicy },
  { method: 'PUT', level: 'object', subresource: '', operation: putObject },
  { method: 'GET', level: 'object', subresource: '', operation: getObject },
  { method: 'HEAD', level: 'object', subresource: '', operation: headObject },
  { method: 'DELETE', level: 'object', subresource: '', operation: deleteObject },
  { method: 'POST', level: 'bucket', subresource: 'delete', operation: deleteObjects },
  { method: 'GET', level: 'bucket', subresource: 'versions', operation: listObjectVersions },
  { method: 'GET', level: 'bucket', subresource: 'publicAccessBlock', operation: getPublicAccessBlock },
  { method: 'PUT', level: 'bucket', subresource: 'publicAccessBlock', operation: putPublicAccessBlock },
  { method: 'DELETE', level: 'bucket', subresource: 'publicAccessBlock', operation: deletePublicAccessBlock },
  { method: 'GET', level: 'bucket', subresource: 'uploads', operation: listMultipartUploads },
  { method: 'POST', level: 'object', subresource: 'uploads', operation: createMultipartUpload },
  { method: 'PUT', level: 'object', subresource: 'uploadId', operation: uploadPart },
  { method: 'POST', level: 'object', subresource: 'uploadId', operation: completeMultipartUpload },
  { method: 'DELETE', level: 'object', subresource: 'uploadId', operation: abortMultipartUpload },
  { method: 'GET', level: 'object', subresource: 'uploadId', operation: listParts },
  { method: 'GET', level: 'object', subresource: 'tagging', operation: getObjectTagging },
  { method: 'PUT', level: 'object', subresource: 'tagging', operation: putObjectTagging },
  { method: 'DELETE', level: 'object', subresource: 'tagging', operation: deleteObjectTagging },
  // Not built yet: named so the 501 says which.
  { method: 'GET', level: 'bucket', subresource: 'acl', operation: getBucketAcl },
  { method: 'PUT', level: 'bucket', subresource: 'acl', operation: putBucketAcl },
  { method: 'GET', level: 'bucket', subresource: 'versioning', operation: 'GetBucketVersioning' },
  { method: 'PUT', level: 'bucket', subresource: 'versioning', operation: 'PutBucketVersioning' },
  { method: 'GET', level: 'bucket', subresource: 'tagging', operation: 'GetBucketTagging' },
  { method: 'PUT', level: 'bucket', subresource: 'tagging', operation: 'PutBucketTagging' },
  { method: 'GET', level: 'bucket', subresource: 'encryption', operation: 'GetBucketEncryption' },
  { method: 'GET', level: 'bucket', subresource: 'policyStatus', operation: 'GetBucketPolicyStatus' },
  { method: 'GET', level: 'object', subresource: 'acl', operation: getObjectAcl },
  { method: 'PUT', level: 'object', subresource: 'acl', operation: putObjectAcl },
  { method: 'GET', level: 'object', subresource: 'attributes', operation: 'GetObjectAttributes' },
  // ACLs disabled, Object Ownership BucketOwnerEnforced (s3/acl.ts).
  { method: 'GET', level: 'bucket', subresource: 'ownershipControls', operation: getBucketOwnershipControls },
  { method: 'PUT', level: 'bucket', subresource: 'ownershipControls', operation: putBucketOwnershipControls },
  // On S3 it turns ACLs back on (ObjectWriter), which openirsa does not implement.
  {
    method: 'DELETE',
    level: 'bucket',
    subresource: 'ownershipControls',
    operation: 'DeleteBucketOwnershipControls',
  },
];

/**
 * The operation of a request, or a thrown 501 `S3.<Operation> is not implemented` (InternalFailure,
 * in S3's `<Error>` shape). CopyObject is a PUT with `x-amz-copy-source`; POST object (browser form
 * uploads) is a POST on a bucket without a sub-resource.
 */
export function route(
  method: string,
  level: S3Level,
  query: ReadonlyMap<string, string>,
  headers: Readonly<Record<string, unknown>>,
): S3Operation {
  const subresource = SUBRESOURCES.find((s) => query.has(s)) ?? '';
  if (
    method === 'PUT' &&
    level === 'object' &&
    subresource === '' &&
    headers['x-amz-copy-source'] !== undefined
  ) {
    return copyObject;
  }
  const row = S3_ROUTES.find(
    (r) => r.method === method && r.level === level && r.subresource === subresource,
  );
  if (row === undefined) {
    throw notImplemented('S3', `${method} ${level}${subresource === '' ? '' : `?${subresource}`}`);
  }
  if (typeof row.operation === 'string') throw notImplemented('S3', row.operation);
  if (row.operation === uploadPart && headers['x-amz-copy-source'] !== undefined) return uploadPartCopy;
  if (row.operation === listObjects && query.get('list-type') === '2') return listObjectsV2;
  return row.operation;
}
