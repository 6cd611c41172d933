import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { s3Harness, xmlText, xmlTexts, type Harness } from '../testdata/harness.js';

describe('ListObjects (version 1)', () => {
  let h: Harness;
  before(async () => {
    h = await s3Harness();
    await h.call({ method: 'PUT', bucket: 'ver1' });
    for (const key of ['a/1', 'a/2', 'b', 'c/1', 'd'])
      await h.call({ method: 'PUT', bucket: 'ver1', key, body: 'x' });
  });
  after(() => h.close());
  const list = (query: Record<string, string>) => h.call({ method: 'GET', bucket: 'ver1', query });

  test('marker pages; NextMarker only with a delimiter, and a prefix marker skips its keys', async () => {
    const first = await list({ 'max-keys': '2' });
    assert.equal(first.trail.operation, 'ListObjects');
    assert.deepEqual(xmlTexts(first.body, 'Key'), ['a/1', 'a/2']);
    assert.equal(xmlText(first.body, 'IsTruncated'), 'true');
    assert.equal(xmlText(first.body, 'NextMarker'), undefined);
    assert.match(first.body, /<Owner>/);
    const next = await list({ 'max-keys': '2', marker: 'a/2' });
    assert.deepEqual(xmlTexts(next.body, 'Key'), ['b', 'c/1']);
    const rolled = await list({ delimiter: '/', 'max-keys': '1' });
    assert.deepEqual(xmlTexts(rolled.body, 'Prefix').slice(1), ['a/']);
    assert.equal(xmlText(rolled.body, 'NextMarker'), 'a/');
    const after = await list({ delimiter: '/', marker: 'a/' });
    assert.deepEqual(xmlTexts(after.body, 'Key'), ['b', 'd']);
    assert.deepEqual(xmlTexts(after.body, 'Prefix').slice(1), ['c/']);
    assert.equal(xmlText(after.body, 'IsTruncated'), 'false');
  });

  test('max-keys 0 lists nothing', async () => {
    const r = await list({ 'max-keys': '0' });
    assert.deepEqual(xmlTexts(r.body, 'Key'), []);
    assert.equal(xmlText(r.body, 'MaxKeys'), '0');
  });
});
