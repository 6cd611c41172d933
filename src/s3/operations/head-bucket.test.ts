import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { B, rootOf, s3Harness, type Harness } from '../testdata/harness.js';

describe('HeadBucket', () => {
  let h: Harness;
  before(async () => {
    h = await s3Harness();
    await h.call({ method: 'PUT', bucket: 'here' });
  });
  after(() => h.close());

  test('200 with the bucket region; 404 without a body for a missing bucket', async () => {
    const ok = await h.call({ method: 'HEAD', bucket: 'here' });
    assert.equal(ok.status, 200);
    assert.equal(ok.headers['x-amz-bucket-region'], 'us-east-1');
    const missing = await h.call({ method: 'HEAD', bucket: 'not-here' });
    assert.equal(missing.status, 404);
    assert.equal(missing.body, '');
  });

  test('another account without a bucket policy is denied (cross-account needs both sides)', async () => {
    const r = await h.call({ method: 'HEAD', bucket: 'here', caller: rootOf(B) });
    assert.equal(r.status, 403);
    assert.equal(r.trail.decision?.decision, 'implicitDeny');
  });
});
