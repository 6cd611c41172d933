import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { ANONYMOUS, s3Harness, T0, xmlText, type Harness } from '../testdata/harness.js';
import { parseRange } from '../object-read.js';

describe('GetObject', () => {
  let h: Harness;
  let etag = '';
  before(async () => {
    h = await s3Harness();
    await h.call({ method: 'PUT', bucket: 'gets' });
    const put = await h.call({
      method: 'PUT',
      bucket: 'gets',
      key: 'doc.txt',
      body: '0123456789',
      headers: { 'content-type': 'text/plain', 'x-amz-meta-a': '1' },
    });
    etag = put.headers.ETag ?? '';
  });
  after(() => h.close());

  test('partNumber=1 of a single-PUT object is the whole object; other parts answer 501', async () => {
    const one = await h.call({ method: 'GET', bucket: 'gets', key: 'doc.txt', query: { partNumber: '1' } });
    assert.equal(one.status, 200);
    assert.equal(one.body, '0123456789');
    const two = await h.call({ method: 'GET', bucket: 'gets', key: 'doc.txt', query: { partNumber: '2' } });
    assert.equal(two.status, 501);
    assert.equal(xmlText(two.body, 'Message'), 'S3.GetObject with partNumber is not implemented');
  });

  test('returns the bytes with the stored headers and metadata', async () => {
    const r = await h.call({ method: 'GET', bucket: 'gets', key: 'doc.txt' });
    assert.equal(r.status, 200);
    assert.equal(r.body, '0123456789');
    assert.equal(r.headers['Content-Length'], '10');
    assert.equal(r.headers['Content-Type'], 'text/plain');
    assert.equal(r.headers['x-amz-meta-a'], '1');
    assert.equal(r.headers['Last-Modified'], new Date(T0).toUTCString());
    assert.equal(r.headers.ETag, etag);
  });

  test('one Range is 206 with Content-Range; past the end is InvalidRange 416', async () => {
    const r = await h.call({
      method: 'GET',
      bucket: 'gets',
      key: 'doc.txt',
      headers: { range: 'bytes=2-4' },
    });
    assert.equal(r.status, 206);
    assert.equal(r.body, '234');
    assert.equal(r.headers['Content-Range'], 'bytes 2-4/10');
    const suffix = await h.call({
      method: 'GET',
      bucket: 'gets',
      key: 'doc.txt',
      headers: { range: 'bytes=-3' },
    });
    assert.equal(suffix.body, '789');
    const bad = await h.call({
      method: 'GET',
      bucket: 'gets',
      key: 'doc.txt',
      headers: { range: 'bytes=10-' },
    });
    assert.equal(bad.status, 416);
    assert.equal(xmlText(bad.body, 'Code'), 'InvalidRange');
    assert.equal(xmlText(bad.body, 'ActualObjectSize'), '10');
  });

  test('parseRange: ranges clamp to the object; what is not one byte range is ignored', () => {
    assert.deepEqual(parseRange('bytes=5-100', 10), { start: 5, end: 9 });
    assert.deepEqual(parseRange('bytes=-100', 10), { start: 0, end: 9 });
    assert.equal(parseRange('bytes=1-2,4-5', 10), undefined);
    assert.equal(parseRange('items=1-2', 10), undefined);
    assert.equal(parseRange('bytes=5-2', 10), undefined);
    assert.throws(() => parseRange('bytes=0-', 0), { code: 'InvalidRange' });
  });

  test('conditional headers: If-Match 412, If-None-Match 304, dates both ways', async () => {
    const get = (headers: Record<string, string>) =>
      h.call({ method: 'GET', bucket: 'gets', key: 'doc.txt', headers });
    assert.equal((await get({ 'if-match': etag })).status, 200);
    const failed = await get({ 'if-match': '"other"' });
    assert.equal(failed.status, 412);
    assert.equal(xmlText(failed.body, 'Condition'), 'If-Match');
    const notModified = await get({ 'if-none-match': etag });
    assert.equal(notModified.status, 304);
    assert.equal(notModified.body, '');
    assert.equal(notModified.headers.ETag, etag);
    assert.equal((await get({ 'if-modified-since': new Date(T0 + 1000).toUTCString() })).status, 304);
    assert.equal((await get({ 'if-modified-since': new Date(T0 - 1000).toUTCString() })).status, 200);
    assert.equal((await get({ 'if-unmodified-since': new Date(T0 - 1000).toUTCString() })).status, 412);
    // If-Match true wins over If-Unmodified-Since false (RFC 9110 §13.2.2; S3 API Reference, GetObject).
    assert.equal(
      (await get({ 'if-match': etag, 'if-unmodified-since': new Date(T0 - 1000).toUTCString() })).status,
      200,
    );
  });

  test('response-* parameters override headers for signed requests only', async () => {
    const r = await h.call({
      method: 'GET',
      bucket: 'gets',
      key: 'doc.txt',
      query: { 'response-content-type': 'application/json', 'response-cache-control': 'no-store' },
    });
    assert.equal(r.headers['Content-Type'], 'application/json');
    assert.equal(r.headers['Cache-Control'], 'no-store');
  });

  test('versionId: the null version is the object; another id is InvalidArgument; both need GetObjectVersion', async () => {
    const r = await h.call({ method: 'GET', bucket: 'gets', key: 'doc.txt', query: { versionId: 'null' } });
    assert.equal(r.status, 200);
    assert.equal(r.trail.decision?.authorizations[0]?.action, 's3:GetObjectVersion');
    const other = await h.call({
      method: 'GET',
      bucket: 'gets',
      key: 'doc.txt',
      query: { versionId: 'abc' },
    });
    assert.equal(other.status, 400);
    assert.equal(xmlText(other.body, 'Message'), 'Invalid version id specified');
  });

  test('a missing key is NoSuchKey with s3:ListBucket, AccessDenied without it', async () => {
    const root = await h.call({ method: 'GET', bucket: 'gets', key: 'none' });
    assert.equal(root.status, 404);
    assert.equal(xmlText(root.body, 'Code'), 'NoSuchKey');
    assert.equal(xmlText(root.body, 'Key'), 'none');
    assert.deepEqual(
      root.trail.decision?.authorizations.map((a) => a.action),
      ['s3:GetObject', 's3:ListBucket'],
    );
    await h.store.buckets.setPolicy(
      'gets',
      JSON.stringify({
        Version: '2012-10-17',
        Statement: [
          { Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: 'arn:aws:s3:::gets/*' },
        ],
      }),
    );
    const anonymous = await h.call({
      method: 'GET',
      bucket: 'gets',
      key: 'none',
      caller: ANONYMOUS,
      auth: {},
    });
    assert.equal(anonymous.status, 403);
    assert.equal(xmlText(anonymous.body, 'Code'), 'AccessDenied');
    const present = await h.call({
      method: 'GET',
      bucket: 'gets',
      key: 'doc.txt',
      caller: ANONYMOUS,
      auth: {},
    });
    assert.equal(present.status, 200);
    const overridden = await h.call({
      method: 'GET',
      bucket: 'gets',
      key: 'doc.txt',
      caller: ANONYMOUS,
      auth: {},
      query: { 'response-content-type': 'x/y' },
    });
    assert.equal(xmlText(overridden.body, 'Code'), 'InvalidRequest');
    await h.store.buckets.setPolicy('gets', undefined);
  });
});

describe('GetObject racing a DeleteObject or an overwrite of its key', () => {
  let h: Harness;
  before(async () => {
    h = await s3Harness();
    await h.call({ method: 'PUT', bucket: 'race' });
  });
  after(() => h.close());

  // Inline (in the store), a file read whole (a range of a file object) and a streamed file.
  const FILE = Buffer.alloc(100 * 1024, 'f');
  const cases = [
    { name: 'an inline object', body: 'small bytes', range: undefined },
    { name: 'a range of a file object', body: FILE, range: 'bytes=0-9' },
    { name: 'a streamed file object', body: FILE, range: undefined },
  ];
  const get = (key: string, range: string | undefined, afterObjectRead: () => Promise<void>) =>
    h.call({
      method: 'GET',
      bucket: 'race',
      key,
      ...(range !== undefined ? { headers: { range } } : {}),
      afterObjectRead,
    });

  for (const { name, body, range } of cases) {
    test(`${name} deleted after its row was read answers NoSuchKey, not 500`, async () => {
      const key = `deleted/${name}`;
      assert.equal((await h.call({ method: 'PUT', bucket: 'race', key, body })).status, 200);
      const r = await get(key, range, async () => {
        assert.equal((await h.call({ method: 'DELETE', bucket: 'race', key })).status, 204);
        await h.blobs.settled();
      });
      assert.equal(r.status, 404);
      assert.equal(xmlText(r.body, 'Code'), 'NoSuchKey');
      assert.equal(xmlText(r.body, 'Key'), key);
    });

    test(`${name} overwritten after its row was read answers the new version`, async () => {
      const key = `overwritten/${name}`;
      const first = await h.call({ method: 'PUT', bucket: 'race', key, body });
      let put = { status: 0, headers: {} as Readonly<Record<string, string>> };
      const newest = 'the newest version';
      const r = await get(key, range, async () => {
        put = await h.call({ method: 'PUT', bucket: 'race', key, body: newest });
        await h.blobs.settled();
      });
      assert.equal(put.status, 200);
      assert.notEqual(put.headers.ETag, first.headers.ETag);
      // The range is applied to the version answered, with its own headers.
      assert.equal(r.status, range === undefined ? 200 : 206);
      assert.equal(r.body, range === undefined ? newest : newest.slice(0, 10));
      assert.equal(r.headers.ETag, put.headers.ETag);
      if (range !== undefined) assert.equal(r.headers['Content-Range'], `bytes 0-9/${newest.length}`);
    });
  }

  test('without s3:ListBucket the deleted object is AccessDenied, as any missing key is', async () => {
    const key = 'deleted/denied';
    await h.call({ method: 'PUT', bucket: 'race', key, body: 'x' });
    await h.store.buckets.setPolicy(
      'race',
      JSON.stringify({
        Version: '2012-10-17',
        Statement: [
          { Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: 'arn:aws:s3:::race/*' },
        ],
      }),
    );
    try {
      const r = await h.call({
        method: 'GET',
        bucket: 'race',
        key,
        caller: ANONYMOUS,
        auth: {},
        afterObjectRead: async () => {
          await h.call({ method: 'DELETE', bucket: 'race', key });
        },
      });
      assert.equal(r.status, 403);
      assert.equal(xmlText(r.body, 'Code'), 'AccessDenied');
    } finally {
      await h.store.buckets.setPolicy('race', undefined);
    }
  });
});
