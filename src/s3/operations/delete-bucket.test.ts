import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { s3Harness, xmlText, type Harness } from '../testdata/harness.js';

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
});
