import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { s3Harness, xmlText, xmlTexts, type Harness } from '../testdata/harness.js';
import { createUpload, putPart } from '../testdata/multipart.js';

describe('ListParts', () => {
  let h: Harness;
  let id: string;
  before(async () => {
    h = await s3Harness();
    await h.call({ method: 'PUT', bucket: 'mpl' });
    id = await createUpload(h, 'mpl', 'k');
    for (const n of [3, 1, 2]) await putPart(h, 'mpl', 'k', id, n, Buffer.from(`part ${n}`));
  });
  after(() => h.close());

  const list = (query: Record<string, string>) =>
    h.call({ method: 'GET', bucket: 'mpl', key: 'k', query: { uploadId: id, ...query } });

  test('lists parts in order, paged by max-parts and part-number-marker', async () => {
    const all = await list({});
    assert.equal(all.status, 200);
    assert.equal(all.trail.operation, 'ListParts');
    assert.deepEqual(
      all.trail.decision?.authorizations.map((a) => a.action),
      ['s3:ListMultipartUploadParts'],
    );
    assert.deepEqual(xmlTexts(all.body, 'PartNumber'), ['1', '2', '3']);
    assert.deepEqual(xmlTexts(all.body, 'Size'), ['6', '6', '6']);
    assert.equal(xmlText(all.body, 'IsTruncated'), 'false');
    const first = await list({ 'max-parts': '2' });
    assert.deepEqual(xmlTexts(first.body, 'PartNumber'), ['1', '2']);
    assert.equal(xmlText(first.body, 'IsTruncated'), 'true');
    assert.equal(xmlText(first.body, 'NextPartNumberMarker'), '2');
    const rest = await list({ 'max-parts': '2', 'part-number-marker': '2' });
    assert.deepEqual(xmlTexts(rest.body, 'PartNumber'), ['3']);
    assert.equal(xmlText(rest.body, 'IsTruncated'), 'false');
  });

  test('a non-integer max-parts is InvalidArgument; an unknown upload NoSuchUpload', async () => {
    const bad = await list({ 'max-parts': 'many' });
    assert.equal(xmlText(bad.body, 'Code'), 'InvalidArgument');
    const none = await h.call({ method: 'GET', bucket: 'mpl', key: 'k', query: { uploadId: 'nope' } });
    assert.equal(xmlText(none.body, 'Code'), 'NoSuchUpload');
  });
});
