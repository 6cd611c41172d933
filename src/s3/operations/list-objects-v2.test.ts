import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { s3Harness, xmlText, xmlTexts, type Harness } from '../testdata/harness.js';

const KEYS = [
  'a/1',
  'a/2',
  'a/b/3',
  'b/1',
  'c',
  'd e+f',
  'photos/2026/jan.jpg',
  'photos/2026/feb.jpg',
  'photos/x.jpg',
];

describe('ListObjectsV2', () => {
  let h: Harness;
  before(async () => {
    h = await s3Harness();
    await h.call({ method: 'PUT', bucket: 'lists' });
    for (const key of KEYS) await h.call({ method: 'PUT', bucket: 'lists', key, body: key });
  });
  after(() => h.close());
  const list = (query: Record<string, string>) =>
    h.call({ method: 'GET', bucket: 'lists', query: { 'list-type': '2', ...query } });

  test('every key in order, with KeyCount and the S3 fields', async () => {
    const r = await list({});
    assert.equal(r.status, 200);
    assert.equal(r.trail.operation, 'ListObjectsV2');
    assert.deepEqual(xmlTexts(r.body, 'Key'), [...KEYS].sort());
    assert.equal(xmlText(r.body, 'KeyCount'), String(KEYS.length));
    assert.equal(xmlText(r.body, 'IsTruncated'), 'false');
    assert.equal(xmlText(r.body, 'MaxKeys'), '1000');
    assert.equal(xmlText(r.body, 'StorageClass'), 'STANDARD');
    assert.doesNotMatch(r.body, /<Owner>/);
  });

  test('prefix and delimiter roll keys up into CommonPrefixes', async () => {
    const r = await list({ prefix: 'photos/', delimiter: '/' });
    assert.deepEqual(xmlTexts(r.body, 'Key'), ['photos/x.jpg']);
    assert.deepEqual(xmlTexts(r.body, 'Prefix').slice(1), ['photos/2026/']);
    const top = await list({ delimiter: '/' });
    assert.deepEqual(xmlTexts(top.body, 'Key'), ['c', 'd e+f']);
    assert.deepEqual(xmlTexts(top.body, 'Prefix').slice(1), ['a/', 'b/', 'photos/']);
  });

  test('pages of max-keys follow each other through continuation tokens, prefixes counted', async () => {
    const seen: string[] = [];
    let token: string | undefined;
    let pages = 0;
    do {
      const r = await list({
        delimiter: '/',
        'max-keys': '2',
        ...(token !== undefined ? { 'continuation-token': token } : {}),
      });
      seen.push(...xmlTexts(r.body, 'Key'), ...xmlTexts(r.body, 'Prefix').slice(1));
      token = xmlText(r.body, 'NextContinuationToken');
      assert.equal(xmlText(r.body, 'IsTruncated'), token === undefined ? 'false' : 'true');
      pages++;
    } while (token !== undefined);
    assert.equal(pages, 3);
    assert.deepEqual(seen.sort(), ['a/', 'b/', 'c', 'd e+f', 'photos/']);
    // A token after the longest key S3 allows is accepted back.
    const long = 'k'.repeat(1024);
    await h.call({ method: 'PUT', bucket: 'lists', key: long, body: 'x' });
    const upTo = await list({ 'max-keys': '1', 'start-after': 'd e+f', prefix: 'k' });
    const longToken = xmlText(upTo.body, 'NextContinuationToken');
    assert.equal(xmlTexts(upTo.body, 'Key')[0], long);
    assert.equal(longToken, undefined);
    const resumed = await list({ 'continuation-token': Buffer.from(`v1:${long}`).toString('base64') });
    assert.equal(resumed.status, 200);
    assert.deepEqual(xmlTexts(resumed.body, 'Key'), [
      'photos/2026/feb.jpg',
      'photos/2026/jan.jpg',
      'photos/x.jpg',
    ]);
    await h.call({ method: 'DELETE', bucket: 'lists', key: long });
    const bad = await list({ 'continuation-token': 'bm9wZQ==' });
    assert.equal(xmlText(bad.body, 'Code'), 'InvalidArgument');
  });

  test('an empty continuation-token lists from the start and is echoed', async () => {
    const r = await list({ 'continuation-token': '', 'max-keys': '1' });
    assert.equal(r.status, 200, r.body);
    assert.match(r.body, /<ContinuationToken(\/>|><\/ContinuationToken>)/);
    assert.deepEqual(xmlTexts(r.body, 'Key'), ['a/1']);
  });

  test('start-after, fetch-owner and encoding-type=url', async () => {
    const r = await list({ 'start-after': 'c', 'fetch-owner': 'true', 'encoding-type': 'url', prefix: 'd' });
    assert.deepEqual(xmlTexts(r.body, 'Key'), ['d%20e%2Bf']);
    assert.equal(xmlText(r.body, 'StartAfter'), 'c');
    assert.equal(xmlText(r.body, 'EncodingType'), 'url');
    assert.match(r.body, /<Owner>/);
    const wrong = await list({ 'encoding-type': 'base64' });
    assert.equal(xmlText(wrong.body, 'Code'), 'InvalidArgument');
    const badMax = await list({ 'max-keys': '-1' });
    assert.equal(xmlText(badMax.body, 'Code'), 'InvalidArgument');
  });

  test('the listing keys go to the authorization as s3:prefix, s3:delimiter and s3:max-keys', async () => {
    await h.store.buckets.setPolicy(
      'lists',
      JSON.stringify({
        Version: '2012-10-17',
        Statement: [
          {
            Effect: 'Deny',
            Principal: '*',
            Action: 's3:ListBucket',
            Resource: 'arn:aws:s3:::lists',
            Condition: { StringNotLike: { 's3:prefix': 'a/*' } },
          },
        ],
      }),
    );
    assert.equal((await list({ prefix: 'a/' })).status, 200);
    const denied = await list({ prefix: 'b/' });
    assert.equal(denied.status, 403);
    assert.equal(denied.trail.decision?.decision, 'explicitDeny');
    await h.store.buckets.setPolicy('lists', undefined);
  });
});
