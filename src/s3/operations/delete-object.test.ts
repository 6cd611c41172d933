import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import { INLINE_MAX } from '../blob-store.js';
import { s3Harness, type Harness } from '../testdata/harness.js';

describe('DeleteObject', () => {
  let h: Harness;
  before(async () => {
    h = await s3Harness();
    await h.call({ method: 'PUT', bucket: 'dels' });
  });
  after(() => h.close());

  test('removes the row and the blob file, and is idempotent (204 either way)', async () => {
    await h.call({ method: 'PUT', bucket: 'dels', key: 'k', body: Buffer.alloc(INLINE_MAX + 1, 1) });
    const object = await h.store.objects.get('dels', 'k');
    assert.ok(object);
    assert.equal(object.inline, undefined);
    assert.equal(existsSync(h.blobs.pathOf(object.blobId)), true);
    assert.equal((await h.call({ method: 'DELETE', bucket: 'dels', key: 'k' })).status, 204);
    assert.equal(await h.store.objects.get('dels', 'k'), undefined);
    assert.equal(existsSync(h.blobs.pathOf(object.blobId)), false);
    const again = await h.call({ method: 'DELETE', bucket: 'dels', key: 'k' });
    assert.equal(again.status, 204);
    assert.equal(again.trail.decision?.authorizations[0]?.action, 's3:DeleteObject');
  });

  test('removes an inline object with its bytes, and a GET then finds no key', async () => {
    await h.call({ method: 'PUT', bucket: 'dels', key: 'small', body: 'x' });
    const object = await h.store.objects.get('dels', 'small');
    assert.equal(object?.inline, true);
    assert.equal((await h.call({ method: 'GET', bucket: 'dels', key: 'small' })).body, 'x');
    assert.equal((await h.call({ method: 'DELETE', bucket: 'dels', key: 'small' })).status, 204);
    assert.equal(await h.store.objects.getBytes(object.blobId), undefined);
    assert.equal(h.blobs.cache.get(object.blobId), undefined, 'the cached bytes went too');
    assert.equal((await h.call({ method: 'GET', bucket: 'dels', key: 'small' })).status, 404);
  });
});
