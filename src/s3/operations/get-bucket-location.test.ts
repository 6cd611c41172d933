import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { s3Harness, type Harness } from '../testdata/harness.js';

describe('GetBucketLocation', () => {
  let h: Harness;
  before(async () => {
    h = await s3Harness();
    await h.call({ method: 'PUT', bucket: 'located' });
  });
  after(() => h.close());

  test('us-east-1 is an empty LocationConstraint', async () => {
    const r = await h.call({ method: 'GET', bucket: 'located', query: { location: '' } });
    assert.equal(r.status, 200);
    assert.match(
      r.body,
      /<LocationConstraint xmlns="http:\/\/s3.amazonaws.com\/doc\/2006-03-01\/"><\/LocationConstraint>/,
    );
    assert.equal(r.trail.operation, 'GetBucketLocation');
    assert.equal(r.trail.decision?.authorizations[0]?.action, 's3:GetBucketLocation');
  });
});
