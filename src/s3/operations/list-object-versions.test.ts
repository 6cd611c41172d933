import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { s3Harness, xmlText, xmlTexts, type Harness } from '../testdata/harness.js';

describe('ListObjectVersions', () => {
  let h: Harness;
  before(async () => {
    h = await s3Harness();
    await h.call({ method: 'PUT', bucket: 'vers' });
    for (const key of ['a', 'b', 'd/1', 'd/2', 'e']) {
      await h.call({ method: 'PUT', bucket: 'vers', key, body: key });
    }
  });
  after(() => h.close());

  const list = (query: Record<string, string>) =>
    h.call({ method: 'GET', bucket: 'vers', query: { versions: '', ...query } });

  test('every object is its null version, latest; needs s3:ListBucketVersions', async () => {
    const r = await list({});
    assert.equal(r.status, 200, r.body);
    assert.match(r.body, /<ListVersionsResult xmlns="http:\/\/s3.amazonaws.com\/doc\/2006-03-01\/">/);
    assert.deepEqual(xmlTexts(r.body, 'Key'), ['a', 'b', 'd/1', 'd/2', 'e']);
    assert.deepEqual(new Set(xmlTexts(r.body, 'VersionId')), new Set(['null']));
    assert.deepEqual(new Set(xmlTexts(r.body, 'IsLatest')), new Set(['true']));
    assert.equal(xmlText(r.body, 'IsTruncated'), 'false');
    assert.equal(r.trail.decision?.authorizations[0]?.action, 's3:ListBucketVersions');
  });

  test('pages with key-marker, NextKeyMarker and NextVersionIdMarker null; delimiter rolls up', async () => {
    const first = await list({ 'max-keys': '2' });
    assert.deepEqual(xmlTexts(first.body, 'Key'), ['a', 'b']);
    assert.equal(xmlText(first.body, 'IsTruncated'), 'true');
    assert.equal(xmlText(first.body, 'NextKeyMarker'), 'b');
    assert.equal(xmlText(first.body, 'NextVersionIdMarker'), 'null');
    const second = await list({ 'key-marker': 'b', 'version-id-marker': 'null', delimiter: '/' });
    assert.deepEqual(xmlTexts(second.body, 'Key'), ['e']);
    assert.deepEqual(xmlTexts(second.body, 'Prefix'), ['', 'd/']);
    assert.equal(xmlText(second.body, 'NextKeyMarker'), undefined);
  });
});
