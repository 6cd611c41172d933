import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { s3Harness, xmlText, xmlTexts, type Harness } from '../testdata/harness.js';
import { createUpload } from '../testdata/multipart.js';

describe('ListMultipartUploads', () => {
  let h: Harness;
  const ids = new Map<string, string>();
  before(async () => {
    h = await s3Harness();
    await h.call({ method: 'PUT', bucket: 'mpm' });
    for (const key of ['a/1', 'a/2', 'b', 'c']) ids.set(key, await createUpload(h, 'mpm', key));
    ids.set('b#2', await createUpload(h, 'mpm', 'b'));
  });
  after(() => h.close());

  const list = (query: Record<string, string>) =>
    h.call({ method: 'GET', bucket: 'mpm', query: { uploads: '', ...query } });

  test('lists uploads by key, with prefix and delimiter, as s3:ListBucketMultipartUploads', async () => {
    const all = await list({});
    assert.equal(all.status, 200);
    assert.equal(all.trail.operation, 'ListMultipartUploads');
    assert.deepEqual(
      all.trail.decision?.authorizations.map((a) => a.action),
      ['s3:ListBucketMultipartUploads'],
    );
    assert.deepEqual(xmlTexts(all.body, 'Key'), ['a/1', 'a/2', 'b', 'b', 'c']);
    const rolled = await list({ delimiter: '/' });
    assert.deepEqual(xmlTexts(rolled.body, 'Key'), ['b', 'b', 'c']);
    assert.deepEqual(xmlTexts(rolled.body, 'Prefix'), ['', 'a/']);
    const prefixed = await list({ prefix: 'a/' });
    assert.deepEqual(xmlTexts(prefixed.body, 'Key'), ['a/1', 'a/2']);
  });

  test('pages with max-uploads, key-marker and upload-id-marker', async () => {
    const first = await list({ 'max-uploads': '3' });
    assert.deepEqual(xmlTexts(first.body, 'Key'), ['a/1', 'a/2', 'b']);
    assert.equal(xmlText(first.body, 'IsTruncated'), 'true');
    const nextKey = xmlText(first.body, 'NextKeyMarker') ?? '';
    const nextId = xmlText(first.body, 'NextUploadIdMarker') ?? '';
    assert.equal(nextKey, 'b');
    const rest = await list({ 'max-uploads': '3', 'key-marker': nextKey, 'upload-id-marker': nextId });
    assert.deepEqual(xmlTexts(rest.body, 'Key'), ['b', 'c']);
    assert.equal(xmlText(rest.body, 'IsTruncated'), 'false');
    const seen = [...xmlTexts(first.body, 'UploadId'), ...xmlTexts(rest.body, 'UploadId')];
    assert.deepEqual(seen.sort(), [...ids.values()].sort());
    const afterKey = await list({ 'key-marker': 'b' });
    assert.deepEqual(xmlTexts(afterKey.body, 'Key'), ['c']);
  });
});
