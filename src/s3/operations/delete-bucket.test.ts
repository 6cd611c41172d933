import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { s3Harness, xmlText, type Harness } from '../testdata/harness.js';
import { blobFiles, createUpload, putPart } from '../testdata/multipart.js';

describe('DeleteBucket', () => {
  let h: Harness;
  before(async () => {
    h = await s3Harness();
  });
  after(() => h.close());

  test('a bucket with an object is BucketNotEmpty; empty, it is deleted with 204', async () => {
    await h.call({ method: 'PUT', bucket: 'to-delete' });
    await h.call({ method: 'PUT', bucket: 'to-delete', key: 'k', body: 'x' });
    const full = await h.call({ method: 'DELETE', bucket: 'to-delete' });
    assert.equal(full.status, 409);
    assert.equal(xmlText(full.body, 'Code'), 'BucketNotEmpty');
    assert.equal(xmlText(full.body, 'Message'), 'The bucket you tried to delete is not empty');
    await h.call({ method: 'DELETE', bucket: 'to-delete', key: 'k' });
    assert.equal((await h.call({ method: 'DELETE', bucket: 'to-delete' })).status, 204);
    const again = await h.call({ method: 'DELETE', bucket: 'to-delete' });
    assert.equal(again.status, 404);
    assert.equal(xmlText(again.body, 'Code'), 'NoSuchBucket');
  });

  test('uploads in progress go with the bucket (S3 deletes it); BucketNotEmpty leaves them', async () => {
    await h.call({ method: 'PUT', bucket: 'with-upload' });
    const id = await createUpload(h, 'with-upload', 'big');
    await putPart(h, 'with-upload', 'big', id, 1, Buffer.from('part'));
    await h.call({ method: 'PUT', bucket: 'with-upload', key: 'k', body: 'x' });
    assert.equal((await h.call({ method: 'DELETE', bucket: 'with-upload' })).status, 409);
    const listed = await h.call({ method: 'GET', bucket: 'with-upload', query: { uploads: '' } });
    assert.equal(xmlText(listed.body, 'UploadId'), id, 'a refused delete keeps the upload');
    await h.call({ method: 'DELETE', bucket: 'with-upload', key: 'k' });
    assert.equal((await h.call({ method: 'DELETE', bucket: 'with-upload' })).status, 204);
    assert.deepEqual(blobFiles(h.blobs.root), [], 'the part file is deleted');
    await h.call({ method: 'PUT', bucket: 'with-upload' });
    const relisted = await h.call({ method: 'GET', bucket: 'with-upload', query: { uploads: '' } });
    assert.equal(xmlText(relisted.body, 'UploadId'), undefined);
  });
});
