import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { s3Harness, type Harness } from '../testdata/harness.js';

describe('HeadObject', () => {
  let h: Harness;
  before(async () => {
    h = await s3Harness();
    await h.call({ method: 'PUT', bucket: 'heads' });
    await h.call({ method: 'PUT', bucket: 'heads', key: 'k', body: 'abc', headers: { 'x-amz-meta-m': 'v' } });
  });
  after(() => h.close());

  test("GetObject's headers without the body; a missing key is 404 without a body", async () => {
    const r = await h.call({ method: 'HEAD', bucket: 'heads', key: 'k' });
    assert.equal(r.status, 200);
    assert.equal(r.body, '');
    assert.equal(r.headers['Content-Length'], '3');
    assert.equal(r.headers['x-amz-meta-m'], 'v');
    assert.equal(r.headers['Content-Type'], 'binary/octet-stream');
    const missing = await h.call({ method: 'HEAD', bucket: 'heads', key: 'none' });
    assert.equal(missing.status, 404);
    assert.equal(missing.body, '');
    assert.equal(missing.trail.operation, 'HeadObject');
  });
});
