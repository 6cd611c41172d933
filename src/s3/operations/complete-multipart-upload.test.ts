import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { checksumOf } from '../checksums.js';
import { s3Harness, xmlText, type Harness } from '../testdata/harness.js';
import { blobFiles, completeXml, createUpload, putPart } from '../testdata/multipart.js';

const MiB = 1024 * 1024;
const md5 = (b: Buffer) => createHash('md5').update(b).digest();
const P1 = Buffer.alloc(5 * MiB, 'a');
const P2 = Buffer.from('the tail part');

describe('CompleteMultipartUpload', () => {
  let h: Harness;
  before(async () => {
    h = await s3Harness();
    await h.call({ method: 'PUT', bucket: 'mpd' });
  });
  after(() => h.close());

  const complete = (key: string, uploadId: string, body: string) =>
    h.call({ method: 'POST', bucket: 'mpd', key, query: { uploadId }, body });

  test('assembles the parts into one object: S3 ETag, headers, Range across the boundary, no part files left', async () => {
    const id = await createUpload(h, 'mpd', 'big', { 'content-type': 'text/plain', 'x-amz-meta-a': '1' });
    const e1 = await putPart(h, 'mpd', 'big', id, 1, P1);
    const e2 = await putPart(h, 'mpd', 'big', id, 2, P2);
    await putPart(h, 'mpd', 'big', id, 3, Buffer.from('never named'));
    const r = await complete(
      'big',
      id,
      completeXml([
        { n: 1, etag: e1 },
        { n: 2, etag: e2.replace(/"/g, '') },
      ]),
    );
    assert.equal(r.status, 200, r.body);
    const expected = `"${createHash('md5')
      .update(Buffer.concat([md5(P1), md5(P2)]))
      .digest('hex')}-2"`;
    assert.equal(xmlText(r.body, 'ETag'), expected);
    const object = await h.store.objects.get('mpd', 'big');
    assert.equal(object?.etag, expected);
    assert.equal(object?.size, P1.length + P2.length);
    assert.equal(object?.contentType, 'text/plain');
    assert.deepEqual(object?.metadata, [['a', '1']]);
    assert.deepEqual(blobFiles(h.blobs.root), [object?.blobId], 'only the object blob is left');
    assert.equal(await h.store.uploads.get('mpd', 'big', id), undefined);
    const start = P1.length - 3;
    const range = await h.call({
      method: 'GET',
      bucket: 'mpd',
      key: 'big',
      headers: { range: `bytes=${start}-${start + 6}` },
    });
    assert.equal(range.status, 206);
    assert.equal(range.body, 'aaathe ');
    const again = await complete('big', id, completeXml([{ n: 1, etag: e1 }]));
    assert.equal(xmlText(again.body, 'Code'), 'NoSuchUpload');
  });

  test('overwriting and deleting the object leave no files behind', async () => {
    await h.call({ method: 'PUT', bucket: 'mpd', key: 'big', body: 'small now' });
    // The replaced file is unlinked after the answer (put-object.ts): wait for it.
    await h.blobs.settled();
    // The small object that replaced it is inline: its bytes are in the store, not in a file.
    assert.deepEqual(blobFiles(h.blobs.root), []);
    assert.equal((await h.store.objects.get('mpd', 'big'))?.inline, true);
    await h.call({ method: 'DELETE', bucket: 'mpd', key: 'big' });
    assert.deepEqual(blobFiles(h.blobs.root), []);
  });

  test('parts out of order are InvalidPartOrder; an unknown part or ETag InvalidPart; a small part EntityTooSmall', async () => {
    const id = await createUpload(h, 'mpd', 'bad');
    const e1 = await putPart(h, 'mpd', 'bad', id, 1, Buffer.from('small'));
    const e2 = await putPart(h, 'mpd', 'bad', id, 2, Buffer.from('tail'));
    const cases: [string, string, number][] = [
      [
        completeXml([
          { n: 2, etag: e2 },
          { n: 1, etag: e1 },
        ]),
        'InvalidPartOrder',
        400,
      ],
      [
        completeXml([
          { n: 1, etag: e1 },
          { n: 1, etag: e1 },
        ]),
        'InvalidPartOrder',
        400,
      ],
      [
        completeXml([
          { n: 1, etag: e1 },
          { n: 5, etag: e2 },
        ]),
        'InvalidPart',
        400,
      ],
      [completeXml([{ n: 1, etag: e2 }]), 'InvalidPart', 400],
      [
        completeXml([
          { n: 1, etag: e1 },
          { n: 2, etag: e2 },
        ]),
        'EntityTooSmall',
        400,
      ],
      ['<CompleteMultipartUpload/>', 'MalformedXML', 400],
      ['<Other/>', 'MalformedXML', 400],
      [completeXml([{ n: 1, etag: e1, extra: '<PartNumber>2</PartNumber>' }]), 'MalformedXML', 400],
    ];
    for (const [body, code, status] of cases) {
      const r = await complete('bad', id, body);
      assert.equal(r.status, status, body);
      assert.equal(xmlText(r.body, 'Code'), code, body);
    }
    assert.notEqual(
      await h.store.uploads.get('mpd', 'bad', id),
      undefined,
      'a failed completion keeps the upload',
    );
    const one = await complete('bad', id, completeXml([{ n: 2, etag: e2 }]));
    assert.equal(one.status, 200, 'a single part may be small');
    assert.equal((await h.store.objects.get('mpd', 'bad'))?.size, 4);
  });

  test('with a checksum algorithm the object gets the composite checksum; a wrong part checksum is InvalidPart', async () => {
    const id = await createUpload(h, 'mpd', 'sum', { 'x-amz-checksum-algorithm': 'SHA256' });
    const c1 = checksumOf('SHA256', P1);
    const c2 = checksumOf('SHA256', P2);
    const e1 = await putPart(h, 'mpd', 'sum', id, 1, P1, { 'x-amz-checksum-sha256': c1 });
    const e2 = await putPart(h, 'mpd', 'sum', id, 2, P2, { 'x-amz-checksum-sha256': c2 });
    const wrong = await complete(
      'sum',
      id,
      completeXml([
        { n: 1, etag: e1, extra: `<ChecksumSHA256>${c2}</ChecksumSHA256>` },
        { n: 2, etag: e2 },
      ]),
    );
    assert.equal(xmlText(wrong.body, 'Code'), 'InvalidPart');
    const r = await complete(
      'sum',
      id,
      completeXml([
        { n: 1, etag: e1, extra: `<ChecksumSHA256>${c1}</ChecksumSHA256>` },
        { n: 2, etag: e2 },
      ]),
    );
    assert.equal(r.status, 200, r.body);
    const composite = `${createHash('sha256')
      .update(Buffer.concat([Buffer.from(c1, 'base64'), Buffer.from(c2, 'base64')]))
      .digest('base64')}-2`;
    assert.equal(xmlText(r.body, 'ChecksumSHA256'), composite);
    assert.equal(xmlText(r.body, 'ChecksumType'), 'COMPOSITE');
    const head = await h.call({
      method: 'HEAD',
      bucket: 'mpd',
      key: 'sum',
      headers: { 'x-amz-checksum-mode': 'ENABLED' },
    });
    assert.equal(head.headers['x-amz-checksum-sha256'], composite);
    assert.equal(head.headers['x-amz-checksum-type'], 'COMPOSITE');
  });

  test('completing the same upload again answers 200 with the same ETag; other parts stay NoSuchUpload', async () => {
    const id = await createUpload(h, 'mpd', 'twice');
    const e1 = await putPart(h, 'mpd', 'twice', id, 1, P2);
    const body = completeXml([{ n: 1, etag: e1 }]);
    const first = await complete('twice', id, body);
    assert.equal(first.status, 200, first.body);
    const again = await complete('twice', id, body);
    assert.equal(again.status, 200, again.body);
    assert.equal(xmlText(again.body, 'ETag'), xmlText(first.body, 'ETag'));
    const other = await complete(
      'twice',
      id,
      completeXml([{ n: 1, etag: '"0123456789abcdef0123456789abcdef"' }]),
    );
    assert.equal(other.status, 404);
    assert.equal(xmlText(other.body, 'Code'), 'NoSuchUpload');
  });

  test('If-None-Match: * completes only a new key (412 otherwise); If-Match a missing key is NoSuchKey', async () => {
    await h.call({ method: 'PUT', bucket: 'mpd', key: 'taken', body: 'x' });
    const id = await createUpload(h, 'mpd', 'taken');
    const e1 = await putPart(h, 'mpd', 'taken', id, 1, P2);
    const refused = await h.call({
      method: 'POST',
      bucket: 'mpd',
      key: 'taken',
      query: { uploadId: id },
      headers: { 'if-none-match': '*' },
      body: completeXml([{ n: 1, etag: e1 }]),
    });
    assert.equal(refused.status, 412);
    assert.equal(xmlText(refused.body, 'Code'), 'PreconditionFailed');
    assert.ok(await h.store.uploads.get('mpd', 'taken', id), 'the upload stays');
    const id2 = await createUpload(h, 'mpd', 'absent');
    const e2 = await putPart(h, 'mpd', 'absent', id2, 1, P2);
    const missing = await h.call({
      method: 'POST',
      bucket: 'mpd',
      key: 'absent',
      query: { uploadId: id2 },
      headers: { 'if-match': '*' },
      body: completeXml([{ n: 1, etag: e2 }]),
    });
    assert.equal(missing.status, 404);
    assert.equal(xmlText(missing.body, 'Code'), 'NoSuchKey');
    const created = await h.call({
      method: 'POST',
      bucket: 'mpd',
      key: 'absent',
      query: { uploadId: id2 },
      headers: { 'if-none-match': '*' },
      body: completeXml([{ n: 1, etag: e2 }]),
    });
    assert.equal(created.status, 200, created.body);
  });
});
