import assert from 'node:assert/strict';
import { test } from 'node:test';
import { route } from './routes.js';

const q = (params: Record<string, string> = {}) => new Map(Object.entries(params));

test('method, level and sub-resource pick the operation; list-type=2 is ListObjectsV2', () => {
  assert.equal(route('GET', 'service', q(), {}).name, 'ListBuckets');
  assert.equal(route('GET', 'bucket', q(), {}).name, 'ListObjects');
  assert.equal(route('GET', 'bucket', q({ 'list-type': '2' }), {}).name, 'ListObjectsV2');
  assert.equal(route('GET', 'bucket', q({ location: '' }), {}).name, 'GetBucketLocation');
  assert.equal(route('PUT', 'bucket', q({ policy: '' }), {}).name, 'PutBucketPolicy');
  assert.equal(route('PUT', 'object', q({ 'x-id': 'PutObject' }), {}).name, 'PutObject');
  assert.equal(route('HEAD', 'object', q(), {}).name, 'HeadObject');
  assert.equal(route('PUT', 'object', q(), { 'x-amz-copy-source': '/b/k' }).name, 'CopyObject');
  assert.equal(route('POST', 'bucket', q({ delete: '' }), {}).name, 'DeleteObjects');
  assert.equal(route('GET', 'bucket', q({ versions: '' }), {}).name, 'ListObjectVersions');
  assert.equal(route('POST', 'object', q({ uploads: '' }), {}).name, 'CreateMultipartUpload');
  assert.equal(route('PUT', 'object', q({ partNumber: '2', uploadId: 'u' }), {}).name, 'UploadPart');
  assert.equal(route('GET', 'bucket', q({ uploads: '' }), {}).name, 'ListMultipartUploads');
  assert.equal(
    route('PUT', 'object', q({ partNumber: '1', uploadId: 'u' }), { 'x-amz-copy-source': '/b/k' }).name,
    'UploadPartCopy',
  );
});

test('operations not built yet answer 501 InternalFailure naming the operation', () => {
  const expect = (name: string) => ({
    code: 'InternalFailure',
    status: 501,
    message: `S3.${name} is not implemented`,
  });
  assert.throws(() => route('PUT', 'bucket', q({ versioning: '' }), {}), expect('PutBucketVersioning'));
  assert.throws(
    () => route('DELETE', 'bucket', q({ ownershipControls: '' }), {}),
    expect('DeleteBucketOwnershipControls'),
  );
  assert.throws(() => route('PATCH', 'bucket', q(), {}), expect('PATCH bucket'));
  assert.throws(() => route('GET', 'bucket', q({ cors: '' }), {}), expect('GET bucket?cors'));
});
