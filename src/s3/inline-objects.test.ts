import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { DEFAULT_BLOB_CACHE_BYTES } from './blob-cache.js';
import { INLINE_MAX, SMALL_READ_BYTES, SMALL_WRITE_BYTES } from './blob-store.js';
import { s3Harness, xmlText, type Harness } from './testdata/harness.js';
import { blobFiles, completeXml, createUpload } from './testdata/multipart.js';

const md5hex = (b: Buffer) => createHash('md5').update(b).digest('hex');
const SMALL = Buffer.from('small bytes, kept in the store');
const LARGE = Buffer.alloc(INLINE_MAX + 1, 0x61);

describe('inline objects (docs/storage.md)', () => {
  let h: Harness;
  before(async () => {
    h = await s3Harness();
    await h.call({ method: 'PUT', bucket: 'inl' });
  });
  after(() => h.close());

  const put = (key: string, body: Buffer, headers: Record<string, string> = {}) =>
    h.call({ method: 'PUT', bucket: 'inl', key, body, headers });
  const get = (key: string, headers: Record<string, string> = {}) =>
    h.call({ method: 'GET', bucket: 'inl', key, headers });

  test('INLINE_MAX is within the bounds a whole read, a whole write and a cache entry take', () => {
    assert.ok(INLINE_MAX <= SMALL_READ_BYTES && INLINE_MAX <= SMALL_WRITE_BYTES);
    assert.ok(INLINE_MAX <= h.blobs.cache.maxEntryBytes && INLINE_MAX < DEFAULT_BLOB_CACHE_BYTES);
  });

  test('a PUT of at most INLINE_MAX bytes makes no file; one byte more is a file', async () => {
    const edge = Buffer.alloc(INLINE_MAX, 0x62);
    assert.equal((await put('edge', edge)).status, 200);
    assert.equal((await put('empty', Buffer.alloc(0))).status, 200);
    assert.deepEqual(blobFiles(h.blobs.root), []);
    assert.equal(existsSync(h.blobs.root), false, 'not even the objects directory was made');
    const edgeObject = await h.store.objects.get('inl', 'edge');
    assert.equal(edgeObject?.inline, true);
    assert.deepEqual(await h.store.objects.getBytes(edgeObject.blobId), edge);
    assert.equal((await get('empty')).body, '');
    assert.equal((await put('large', LARGE)).status, 200);
    const large = await h.store.objects.get('inl', 'large');
    assert.ok(large !== undefined && large.inline === undefined);
    assert.deepEqual(blobFiles(h.blobs.root), [large.blobId]);
  });

  test('GetObject serves inline bytes: whole, ranges, conditions and checksums; a miss reads the store', async () => {
    const put1 = await put('read', SMALL, { 'x-amz-checksum-sha256': sha256b64(SMALL) });
    assert.equal(put1.status, 200, put1.body);
    const object = await h.store.objects.get('inl', 'read');
    assert.ok(object?.inline);
    h.blobs.cache.delete(object.blobId);
    const whole = await get('read', { 'x-amz-checksum-mode': 'ENABLED' });
    assert.equal(whole.body, SMALL.toString());
    assert.equal(whole.headers.ETag, `"${md5hex(SMALL)}"`);
    assert.equal(whole.headers['x-amz-checksum-sha256'], sha256b64(SMALL));
    assert.ok(h.blobs.cache.get(object.blobId), 'the miss filled the cache');
    const ranged = await get('read', { range: 'bytes=6-10' });
    assert.equal(ranged.status, 206);
    assert.equal(ranged.body, 'bytes');
    assert.equal(ranged.headers['Content-Range'], `bytes 6-10/${SMALL.length}`);
    const suffix = await get('read', { range: 'bytes=-5' });
    assert.equal(suffix.body, SMALL.subarray(-5).toString());
    assert.equal((await get('read', { 'if-none-match': `"${md5hex(SMALL)}"` })).status, 304);
    assert.equal((await get('read', { 'if-match': '"other"' })).status, 412);
    const head = await h.call({ method: 'HEAD', bucket: 'inl', key: 'read' });
    assert.equal(head.status, 200);
    assert.equal(head.headers['Content-Length'], String(SMALL.length));
    assert.equal(head.body, '');
  });

  test('overwrites: inline → inline, inline → file and file → inline leave exactly the new bytes', async () => {
    await put('over', Buffer.from('one'));
    const v1 = await h.store.objects.get('inl', 'over');
    await put('over', Buffer.from('two'));
    assert.equal(await h.store.objects.getBytes(v1?.blobId ?? ''), undefined, 'inline → inline');
    assert.equal((await get('over')).body, 'two');
    const v2 = await h.store.objects.get('inl', 'over');
    await put('over', LARGE);
    const v3 = await h.store.objects.get('inl', 'over');
    assert.equal(await h.store.objects.getBytes(v2?.blobId ?? ''), undefined, 'inline → file');
    assert.equal(existsSync(h.blobs.pathOf(v3?.blobId ?? '')), true);
    assert.equal((await get('over')).body.length, LARGE.length);
    await put('over', Buffer.from('three'));
    await h.blobs.settled();
    assert.equal(existsSync(h.blobs.pathOf(v3?.blobId ?? '')), false, 'file → inline removes the file');
    assert.equal((await get('over')).body, 'three');
  });

  test('DeleteObjects removes inline and file objects alike', async () => {
    await put('d/small', SMALL);
    await put('d/large', LARGE);
    const small = await h.store.objects.get('inl', 'd/small');
    const large = await h.store.objects.get('inl', 'd/large');
    const body = '<Delete><Object><Key>d/small</Key></Object><Object><Key>d/large</Key></Object></Delete>';
    const r = await h.call({
      method: 'POST',
      bucket: 'inl',
      query: { delete: '' },
      body,
      headers: { 'content-md5': createHash('md5').update(body).digest('base64') },
    });
    assert.equal(r.status, 200, r.body);
    await h.blobs.settled();
    assert.equal(await h.store.objects.getBytes(small?.blobId ?? ''), undefined);
    assert.equal(existsSync(h.blobs.pathOf(large?.blobId ?? '')), false);
  });

  test('CopyObject: an inline source copies inline; a small file source copies inline; self-copy REPLACE', async () => {
    await put('c/src', SMALL, { 'x-amz-meta-a': '1' });
    await put('c/over-file', LARGE);
    const target = await h.store.objects.get('inl', 'c/over-file');
    const copy = await h.call({
      method: 'PUT',
      bucket: 'inl',
      key: 'c/over-file',
      headers: { 'x-amz-copy-source': '/inl/c/src', 'x-amz-checksum-algorithm': 'CRC32' },
    });
    assert.equal(copy.status, 200, copy.body);
    assert.equal(xmlText(copy.body, 'ETag'), `"${md5hex(SMALL)}"`);
    const copied = await h.store.objects.get('inl', 'c/over-file');
    assert.equal(copied?.inline, true);
    assert.deepEqual(copied.metadata, [['a', '1']]);
    assert.ok(copied.checksums.CRC32);
    await h.blobs.settled();
    assert.equal(existsSync(h.blobs.pathOf(target?.blobId ?? '')), false, 'the replaced file is gone');
    assert.equal((await get('c/over-file')).body, SMALL.toString());
    const self = await h.call({
      method: 'PUT',
      bucket: 'inl',
      key: 'c/src',
      headers: {
        'x-amz-copy-source': '/inl/c/src',
        'x-amz-metadata-directive': 'REPLACE',
        'x-amz-meta-b': '2',
      },
    });
    assert.equal(self.status, 200, self.body);
    const after = await h.store.objects.get('inl', 'c/src');
    assert.deepEqual(after?.metadata, [['b', '2']]);
    assert.equal((await get('c/src')).body, SMALL.toString());
    const large = await h.call({
      method: 'PUT',
      bucket: 'inl',
      key: 'c/large-copy',
      headers: { 'x-amz-copy-source': '/inl/large' },
    });
    assert.equal(large.status, 200, large.body);
    assert.equal((await h.store.objects.get('inl', 'c/large-copy'))?.inline, undefined);
    assert.equal((await get('c/large-copy')).body.length, LARGE.length);
  });

  test('UploadPartCopy from an inline source: a range into a part file, completed into an object', async () => {
    await put('p/src', SMALL);
    const id = await createUpload(h, 'inl', 'p/dst');
    const part = await h.call({
      method: 'PUT',
      bucket: 'inl',
      key: 'p/dst',
      query: { partNumber: '1', uploadId: id },
      headers: { 'x-amz-copy-source': '/inl/p/src', 'x-amz-copy-source-range': 'bytes=0-4' },
    });
    assert.equal(part.status, 200, part.body);
    const etag = xmlText(part.body, 'ETag') ?? '';
    assert.equal(etag, `"${md5hex(SMALL.subarray(0, 5))}"`);
    const done = await h.call({
      method: 'POST',
      bucket: 'inl',
      key: 'p/dst',
      query: { uploadId: id },
      body: completeXml([{ n: 1, etag }]),
    });
    assert.equal(done.status, 200, done.body);
    assert.equal((await get('p/dst')).body, 'small');
  });

  test('tagging an inline object keeps its bytes; hasBlob and the sweep leave inline objects alone', async () => {
    await put('t', SMALL);
    const object = await h.store.objects.get('inl', 't');
    const tagging = '<Tagging><TagSet><Tag><Key>k</Key><Value>v</Value></Tag></TagSet></Tagging>';
    const r = await h.call({
      method: 'PUT',
      bucket: 'inl',
      key: 't',
      query: { tagging: '' },
      body: tagging,
      headers: { 'content-md5': createHash('md5').update(tagging).digest('base64') },
    });
    assert.equal(r.status, 200, r.body);
    assert.deepEqual((await h.store.objects.get('inl', 't'))?.tags, [['k', 'v']]);
    assert.equal((await get('t')).body, SMALL.toString());
    assert.equal(await h.store.objects.hasBlob(object?.blobId ?? ''), true);
    const swept = await h.blobs.sweep((id) => h.store.objects.hasBlob(id), Date.now() + 3600_000, 0);
    assert.equal(swept.orphans, 0);
    assert.equal((await get('t')).body, SMALL.toString());
  });
});

test('inline bytes survive a restart: a new store and blob store on the same data read them back', async () => {
  const data = mkdtempSync(join(tmpdir(), 'openirsa-inline-restart-'));
  try {
    const paths = { storePath: join(data, 'store.sqlite'), blobsRoot: join(data, 'objects') };
    const first = await s3Harness(paths);
    await first.call({ method: 'PUT', bucket: 'restart' });
    assert.equal((await first.call({ method: 'PUT', bucket: 'restart', key: 'k', body: SMALL })).status, 200);
    await first.close();
    const second = await s3Harness(paths);
    try {
      const got = await second.call({ method: 'GET', bucket: 'restart', key: 'k' });
      assert.equal(got.status, 200);
      assert.equal(got.body, SMALL.toString());
      assert.equal(got.headers.ETag, `"${md5hex(SMALL)}"`);
      assert.equal(existsSync(paths.blobsRoot), false, 'no file was ever made for it');
    } finally {
      await second.close();
    }
  } finally {
    rmSync(data, { recursive: true, force: true });
  }
});

function sha256b64(bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('base64');
}
