import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { ANONYMOUS, B, rootOf, s3Harness, xmlTexts, type Harness } from '../testdata/harness.js';

describe('ListBuckets', () => {
  let h: Harness;
  before(async () => {
    h = await s3Harness();
    await h.call({ method: 'PUT', bucket: 'zeta' });
    await h.call({ method: 'PUT', bucket: 'alpha' });
    await h.call({ method: 'PUT', bucket: 'b-owned', caller: rootOf(B) });
  });
  after(() => h.close());

  test("lists the caller account's buckets in name order, with owner and dates", async () => {
    const r = await h.call({ method: 'GET' });
    assert.equal(r.status, 200);
    assert.match(
      r.body,
      /^<\?xml version="1.0" encoding="UTF-8"\?>\n<ListAllMyBucketsResult xmlns="http:\/\/s3.amazonaws.com\/doc\/2006-03-01\/">/,
    );
    assert.deepEqual(xmlTexts(r.body, 'Name'), ['alpha', 'zeta']);
    assert.deepEqual(xmlTexts(r.body, 'CreationDate'), [
      '2026-01-01T00:00:00.000Z',
      '2026-01-01T00:00:00.000Z',
    ]);
    assert.match(xmlTexts(r.body, 'ID')[0] ?? '', /^[0-9a-f]{64}$/);
    assert.equal(r.trail.decision?.authorizations[0]?.resource, '*');
  });

  test('max-buckets pages the buckets; ContinuationToken resumes; prefix filters', async () => {
    const first = await h.call({ method: 'GET', query: { 'max-buckets': '1' } });
    assert.equal(first.status, 200, first.body);
    assert.deepEqual(xmlTexts(first.body, 'Name'), ['alpha']);
    const token = xmlTexts(first.body, 'ContinuationToken')[0];
    assert.ok(token !== undefined);
    const second = await h.call({
      method: 'GET',
      query: { 'max-buckets': '1', 'continuation-token': token },
    });
    assert.deepEqual(xmlTexts(second.body, 'Name'), ['zeta']);
    assert.deepEqual(xmlTexts(second.body, 'ContinuationToken'), []);
    const prefixed = await h.call({ method: 'GET', query: { prefix: 'z' } });
    assert.deepEqual(xmlTexts(prefixed.body, 'Name'), ['zeta']);
    assert.deepEqual(xmlTexts(prefixed.body, 'Prefix'), ['z']);
    for (const bad of ['0', '10001', 'x']) {
      const r = await h.call({ method: 'GET', query: { 'max-buckets': bad } });
      assert.equal(r.status, 400);
      assert.deepEqual(xmlTexts(r.body, 'Code'), ['InvalidArgument']);
    }
    const forged = await h.call({ method: 'GET', query: { 'continuation-token': 'bm9wZQ==' } });
    assert.deepEqual(xmlTexts(forged.body, 'Message'), ['The continuation token provided is incorrect']);
  });

  test('anonymous callers are denied: no policy can grant ListAllMyBuckets to them', async () => {
    const r = await h.call({ method: 'GET', caller: ANONYMOUS, auth: {} });
    assert.equal(r.status, 403);
    assert.deepEqual(xmlTexts(r.body, 'Message'), ['Access Denied']);
  });
});
