import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { A, B, rootOf, s3Harness, xmlText, type Harness } from '../testdata/harness.js';
import { completeXml, createUpload } from '../testdata/multipart.js';

const md5hex = (b: Buffer) => createHash('md5').update(b).digest('hex');

describe('UploadPartCopy', () => {
  let h: Harness;
  let id: string;
  const SOURCE_BYTES = Buffer.from('0123456789abcdefghij');
  before(async () => {
    h = await s3Harness();
    await h.call({ method: 'PUT', bucket: 'src' });
    await h.call({ method: 'PUT', bucket: 'dst' });
    const put = await h.call({ method: 'PUT', bucket: 'src', key: 'obj', body: SOURCE_BYTES });
    assert.equal(put.status, 200, put.body);
    id = await createUpload(h, 'dst', 'k');
  });
  after(() => h.close());

  const copyPart = (n: string, headers: Record<string, string>, caller = rootOf(A), uploadId = id) =>
    h.call({
      method: 'PUT',
      bucket: 'dst',
      key: 'k',
      query: { partNumber: n, uploadId },
      headers: { 'x-amz-copy-source': '/src/obj', ...headers },
      caller,
    });

  test('copies a byte range into a part: CopyPartResult with the MD5 of the bytes', async () => {
    const r = await copyPart('1', { 'x-amz-copy-source-range': 'bytes=2-5' });
    assert.equal(r.status, 200, r.body);
    assert.equal(r.trail.operation, 'UploadPartCopy');
    assert.match(
      r.body,
      /^<\?xml[^>]*>\s*<CopyPartResult xmlns="http:\/\/s3.amazonaws.com\/doc\/2006-03-01\/">/,
    );
    const etag = `"${md5hex(SOURCE_BYTES.subarray(2, 6))}"`;
    assert.equal(xmlText(r.body, 'ETag'), etag);
    assert.equal(xmlText(r.body, 'LastModified'), '2026-01-01T00:00:00.000Z');
    const [part] = await h.store.uploads.listParts(id, 0, 10);
    assert.equal(part?.size, 4);
    assert.equal(part?.etag, etag);
  });

  test('without a range the whole source is copied, and completing yields the bytes', async () => {
    const upload = await createUpload(h, 'dst', 'whole');
    const r = await h.call({
      method: 'PUT',
      bucket: 'dst',
      key: 'whole',
      query: { partNumber: '1', uploadId: upload },
      headers: { 'x-amz-copy-source': 'src/obj' },
    });
    assert.equal(r.status, 200, r.body);
    const etag = `"${md5hex(SOURCE_BYTES)}"`;
    const done = await h.call({
      method: 'POST',
      bucket: 'dst',
      key: 'whole',
      query: { uploadId: upload },
      body: completeXml([{ n: 1, etag }]),
    });
    assert.equal(done.status, 200, done.body);
    const get = await h.call({ method: 'GET', bucket: 'dst', key: 'whole' });
    assert.equal(get.body, SOURCE_BYTES.toString());
  });

  test('a malformed range is InvalidArgument; one outside the source is InvalidRange 416', async () => {
    for (const bad of [
      'bytes=2-',
      'bytes=-3',
      '2-5',
      'bytes=1-2,4-5',
      'bytes= 1-2',
      `bytes=0-${'9'.repeat(80)}`,
    ]) {
      const r = await copyPart('2', { 'x-amz-copy-source-range': bad });
      assert.equal(r.status, 400, bad);
      assert.equal(xmlText(r.body, 'Code'), 'InvalidArgument', bad);
      assert.equal(xmlText(r.body, 'ArgumentName'), 'x-amz-copy-source-range');
    }
    for (const out of ['bytes=0-20', 'bytes=25-30', 'bytes=5-4']) {
      const r = await copyPart('2', { 'x-amz-copy-source-range': out });
      assert.equal(r.status, 416, out);
      assert.equal(xmlText(r.body, 'Code'), 'InvalidRange', out);
      assert.equal(xmlText(r.body, 'ActualObjectSize'), '20');
    }
    assert.equal((await h.store.uploads.listParts(id, 1, 10)).length, 0, 'no part 2 was recorded');
  });

  test('x-amz-copy-source-if-* conditions that fail are 412 PreconditionFailed', async () => {
    const etag = `"${md5hex(SOURCE_BYTES)}"`;
    const cases: Record<string, string>[] = [
      { 'x-amz-copy-source-if-match': '"nope"' },
      { 'x-amz-copy-source-if-none-match': etag },
      { 'x-amz-copy-source-if-modified-since': 'Fri, 01 Jan 2027 00:00:00 GMT' },
      { 'x-amz-copy-source-if-unmodified-since': 'Wed, 31 Dec 2025 00:00:00 GMT' },
    ];
    for (const headers of cases) {
      const r = await copyPart('3', headers);
      assert.equal(r.status, 412, JSON.stringify(headers));
      assert.equal(xmlText(r.body, 'Code'), 'PreconditionFailed');
    }
    const ok = await copyPart('3', { 'x-amz-copy-source-if-match': etag });
    assert.equal(ok.status, 200, ok.body);
  });

  test('a missing source, source bucket or upload; a bad part number', async () => {
    const noKey = await copyPart('4', { 'x-amz-copy-source': '/src/missing' });
    assert.equal(xmlText(noKey.body, 'Code'), 'NoSuchKey');
    const noBucket = await copyPart('4', { 'x-amz-copy-source': '/nobucket/x' });
    assert.equal(xmlText(noBucket.body, 'Code'), 'NoSuchBucket');
    const noUpload = await copyPart('4', {}, rootOf(A), 'not-an-upload');
    assert.equal(xmlText(noUpload.body, 'Code'), 'NoSuchUpload');
    const badNumber = await copyPart('0', {});
    assert.equal(xmlText(badNumber.body, 'ArgumentName'), 'partNumber');
    const badSource = await copyPart('4', { 'x-amz-copy-source': 'src' });
    assert.equal(xmlText(badSource.body, 'Code'), 'InvalidArgument');
  });

  test('the source is judged with its own bucket policy: PutObject on the target alone is denied', async () => {
    const allow = (bucket: string, action: string) =>
      h.store.buckets.setPolicy(
        bucket,
        JSON.stringify({
          Version: '2012-10-17',
          Statement: [
            { Effect: 'Allow', Principal: { AWS: B }, Action: action, Resource: `arn:aws:s3:::${bucket}/*` },
          ],
        }),
      );
    await allow('dst', 's3:PutObject');
    const denied = await copyPart('5', {}, rootOf(B));
    assert.equal(denied.status, 403);
    assert.equal(xmlText(denied.body, 'Code'), 'AccessDenied');
    assert.equal((await h.store.uploads.listParts(id, 4, 10)).length, 0);
    await allow('src', 's3:GetObject');
    const allowed = await copyPart('5', {}, rootOf(B));
    assert.equal(allowed.status, 200, allowed.body);
  });
});

describe('UploadPartCopy racing a DeleteObject or an overwrite of its source', () => {
  let h: Harness;
  let id: string;
  before(async () => {
    h = await s3Harness();
    await h.call({ method: 'PUT', bucket: 'race' });
    id = await createUpload(h, 'race', 'target');
  });
  after(() => h.close());

  const copyPart = (n: string, source: string, afterObjectRead: () => Promise<void>) =>
    h.call({
      method: 'PUT',
      bucket: 'race',
      key: 'target',
      query: { partNumber: n, uploadId: id },
      headers: { 'x-amz-copy-source': `/race/${encodeURIComponent(source)}` },
      afterObjectRead,
    });

  for (const [n, name, body] of [
    ['1', 'an inline source', Buffer.from('inline source')],
    ['2', 'a file source', Buffer.alloc(100 * 1024, 's')],
  ] as const) {
    test(`${name} deleted after its row was read is NoSuchKey, not 500`, async () => {
      const key = `gone/${name}`;
      await h.call({ method: 'PUT', bucket: 'race', key, body });
      const r = await copyPart(n, key, async () => {
        await h.call({ method: 'DELETE', bucket: 'race', key });
        await h.blobs.settled();
      });
      assert.equal(r.status, 404);
      assert.equal(xmlText(r.body, 'Code'), 'NoSuchKey');
    });

    test(`${name} overwritten after its row was read copies the new version`, async () => {
      const key = `new/${name}`;
      await h.call({ method: 'PUT', bucket: 'race', key, body });
      const newer = Buffer.from('replaced source');
      const r = await copyPart(n, key, async () => {
        await h.call({ method: 'PUT', bucket: 'race', key, body: newer });
        await h.blobs.settled();
      });
      assert.equal(r.status, 200, r.body);
      assert.equal(xmlText(r.body, 'ETag'), `"${md5hex(newer)}"`);
    });
  }
});
