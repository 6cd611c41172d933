import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { checksumOf } from '../checksums.js';
import { s3Harness, xmlText, type Harness } from '../testdata/harness.js';
import { blobFiles, createUpload } from '../testdata/multipart.js';

const md5 = (b: Buffer) => createHash('md5').update(b).digest();

describe('UploadPart', () => {
  let h: Harness;
  let id: string;
  before(async () => {
    h = await s3Harness();
    await h.call({ method: 'PUT', bucket: 'mpu' });
    id = await createUpload(h, 'mpu', 'k');
  });
  after(() => h.close());

  const part = (n: string, body: Buffer, headers: Record<string, string> = {}, uploadId = id) =>
    h.call({ method: 'PUT', bucket: 'mpu', key: 'k', query: { partNumber: n, uploadId }, body, headers });

  test('stores the part in a blob file with its MD5 as ETag and the declared checksum', async () => {
    const body = Buffer.from('part one');
    const r = await part('1', body, { 'x-amz-checksum-crc32': checksumOf('CRC32', body) });
    assert.equal(r.status, 200);
    assert.equal(r.trail.operation, 'UploadPart');
    assert.equal(r.headers.ETag, `"${md5(body).toString('hex')}"`);
    assert.equal(r.headers['x-amz-checksum-crc32'], checksumOf('CRC32', body));
    assert.equal(r.headers['x-amz-checksum-type'], undefined);
    const [stored] = await h.store.uploads.listParts(id, 0, 10);
    assert.equal(stored?.size, body.length);
    assert.deepEqual(stored?.checksums, { CRC32: checksumOf('CRC32', body) });
    assert.equal(await h.store.objects.hasBlob(stored?.blobId ?? ''), true, 'the sweep keeps it');
  });

  test('a part uploaded again replaces the earlier one and its blob file', async () => {
    const before = blobFiles(h.blobs.root).length;
    await part('1', Buffer.from('part one, again'));
    assert.equal(blobFiles(h.blobs.root).length, before);
    const [stored] = await h.store.uploads.listParts(id, 0, 10);
    assert.equal(stored?.size, 15);
  });

  test('a Content-MD5 that does not match is BadDigest and no part is recorded', async () => {
    const before = blobFiles(h.blobs.root).length;
    const r = await part('2', Buffer.from('x'), { 'content-md5': md5(Buffer.from('y')).toString('base64') });
    assert.equal(xmlText(r.body, 'Code'), 'BadDigest');
    assert.equal((await h.store.uploads.listParts(id, 1, 10)).length, 0);
    assert.equal(blobFiles(h.blobs.root).length, before);
  });

  test('part numbers are 1..10000 (InvalidArgument); an unknown upload is NoSuchUpload', async () => {
    for (const n of ['0', '10001', 'x', '']) {
      const r = await part(n, Buffer.from('x'));
      assert.equal(r.status, 400, n);
      assert.equal(xmlText(r.body, 'Code'), 'InvalidArgument');
      assert.equal(xmlText(r.body, 'ArgumentName'), 'partNumber');
    }
    const r = await part('1', Buffer.from('x'), {}, 'not-an-upload');
    assert.equal(r.status, 404);
    assert.equal(xmlText(r.body, 'Code'), 'NoSuchUpload');
    assert.equal(xmlText(r.body, 'UploadId'), 'not-an-upload');
    const other = await h.call({
      method: 'PUT',
      bucket: 'mpu',
      key: 'other-key',
      query: { partNumber: '1', uploadId: id },
      body: 'x',
    });
    assert.equal(xmlText(other.body, 'Code'), 'NoSuchUpload', 'an upload id belongs to its key');
  });
});
