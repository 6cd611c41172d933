import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { s3Harness, xmlText, type Harness } from '../testdata/harness.js';
import { blobFiles, createUpload, putPart } from '../testdata/multipart.js';

describe('AbortMultipartUpload', () => {
  let h: Harness;
  before(async () => {
    h = await s3Harness();
    await h.call({ method: 'PUT', bucket: 'mpa' });
  });
  after(() => h.close());

  test('removes the upload and its part files; again it is NoSuchUpload', async () => {
    const id = await createUpload(h, 'mpa', 'k');
    await putPart(h, 'mpa', 'k', id, 1, Buffer.from('one'));
    await putPart(h, 'mpa', 'k', id, 2, Buffer.from('two'));
    assert.equal(blobFiles(h.blobs.root).length, 2);
    const r = await h.call({ method: 'DELETE', bucket: 'mpa', key: 'k', query: { uploadId: id } });
    assert.equal(r.status, 204);
    assert.equal(r.trail.operation, 'AbortMultipartUpload');
    assert.deepEqual(
      r.trail.decision?.authorizations.map((a) => a.action),
      ['s3:AbortMultipartUpload'],
    );
    assert.deepEqual(blobFiles(h.blobs.root), []);
    const again = await h.call({ method: 'DELETE', bucket: 'mpa', key: 'k', query: { uploadId: id } });
    assert.equal(again.status, 404);
    assert.equal(xmlText(again.body, 'Code'), 'NoSuchUpload');
    const bucketGone = await h.call({ method: 'DELETE', bucket: 'mpa' });
    assert.equal(bucketGone.status, 204, 'an aborted upload no longer holds the bucket');
  });
});
