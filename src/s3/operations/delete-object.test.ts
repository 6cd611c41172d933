import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import { s3Harness, type Harness } from '../testdata/harness.js';

describe('DeleteObject', () => {
  let h: Harness;
  before(async () => {
    h = await s3Harness();
    await h.call({ method: 'PUT', bucket: 'dels' });
  });
  after(() => h.close());

  test('removes the row and the blob, and is idempotent (204 either way)', async () => {
    await h.call({ method: 'PUT', bucket: 'dels', key: 'k', body: 'x' });
    const object = await h.store.objects.get('dels', 'k');
    assert.ok(object);
    assert.equal(existsSync(h.blobs.pathOf(object.blobId)), true);
    assert.equal((await h.call({ method: 'DELETE', bucket: 'dels', key: 'k' })).status, 204);
    assert.equal(await h.store.objects.get('dels', 'k'), undefined);
    assert.equal(existsSync(h.blobs.pathOf(object.blobId)), false);
    const again = await h.call({ method: 'DELETE', bucket: 'dels', key: 'k' });
    assert.equal(again.status, 204);
    assert.equal(again.trail.decision?.authorizations[0]?.action, 's3:DeleteObject');
  });
});
