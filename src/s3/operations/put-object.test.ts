import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { s3Harness, xmlText, type Harness } from '../testdata/harness.js';

const md5 = (s: string) => createHash('md5').update(s).digest();
const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

describe('PutObject', () => {
  let h: Harness;
  before(async () => {
    h = await s3Harness();
    await h.call({ method: 'PUT', bucket: 'puts' });
  });
  after(() => h.close());

  test('stores the bytes, their MD5 as ETag, the stored headers and user metadata', async () => {
    const r = await h.call({
      method: 'PUT',
      bucket: 'puts',
      key: 'a.txt',
      body: 'hello',
      headers: {
        'content-type': 'text/plain',
        'content-disposition': 'attachment',
        'cache-control': 'max-age=60',
        'x-amz-meta-Owner': 'me',
        'content-md5': md5('hello').toString('base64'),
      },
    });
    assert.equal(r.status, 200);
    assert.equal(r.headers.ETag, `"${md5('hello').toString('hex')}"`);
    const object = await h.store.objects.get('puts', 'a.txt');
    assert.equal(object?.size, 5);
    assert.equal(object?.contentType, 'text/plain');
    assert.equal(object?.contentDisposition, 'attachment');
    assert.equal(object?.cacheControl, 'max-age=60');
    assert.deepEqual(object?.metadata, [['owner', 'me']]);
  });

  test('replacing an object deletes the replaced blob after the commit', async () => {
    const before = await h.store.objects.get('puts', 'a.txt');
    assert.ok(before);
    await h.call({ method: 'PUT', bucket: 'puts', key: 'a.txt', body: 'bye' });
    const after = await h.store.objects.get('puts', 'a.txt');
    assert.notEqual(after?.blobId, before.blobId);
    await assert.rejects(
      import('node:fs/promises').then((fs) => fs.stat(h.blobs.pathOf(before.blobId))),
      {
        code: 'ENOENT',
      },
    );
  });

  test('a Content-MD5 that does not match is BadDigest and nothing is stored', async () => {
    const r = await h.call({
      method: 'PUT',
      bucket: 'puts',
      key: 'b.txt',
      body: 'hello',
      headers: { 'content-md5': md5('other').toString('base64') },
    });
    assert.equal(r.status, 400);
    assert.equal(xmlText(r.body, 'Code'), 'BadDigest');
    assert.equal(xmlText(r.body, 'Message'), 'The Content-MD5 you specified did not match what we received.');
    assert.equal(await h.store.objects.get('puts', 'b.txt'), undefined);
    const invalid = await h.call({
      method: 'PUT',
      bucket: 'puts',
      key: 'b.txt',
      body: 'x',
      headers: { 'content-md5': 'abc' },
    });
    assert.equal(xmlText(invalid.body, 'Code'), 'InvalidDigest');
  });

  test('a signed SHA-256 is checked while streaming: a mismatch stores nothing', async () => {
    const ok = await h.call({
      method: 'PUT',
      bucket: 'puts',
      key: 'c.txt',
      body: 'hello',
      auth: { authType: 'REST-HEADER', payloadHash: sha256('hello') },
    });
    assert.equal(ok.status, 200);
    const bad = await h.call({
      method: 'PUT',
      bucket: 'puts',
      key: 'd.txt',
      body: 'hello',
      auth: { authType: 'REST-HEADER', payloadHash: sha256('other') },
    });
    assert.equal(bad.status, 400);
    assert.equal(xmlText(bad.body, 'Code'), 'XAmzContentSHA256Mismatch');
    assert.equal(xmlText(bad.body, 'ClientComputedContentSHA256'), sha256('other'));
    assert.equal(xmlText(bad.body, 'S3ComputedContentSHA256'), sha256('hello'));
    assert.equal(await h.store.objects.get('puts', 'd.txt'), undefined);
  });

  test('aws-chunked bodies answer 501 until the decoder is merged', async () => {
    const r = await h.call({
      method: 'PUT',
      bucket: 'puts',
      key: 'e.txt',
      body: '5\r\nhello\r\n0\r\n\r\n',
      headers: { 'content-encoding': 'aws-chunked' },
      auth: { authType: 'REST-HEADER', payloadHash: 'STREAMING-UNSIGNED-PAYLOAD-TRAILER' },
    });
    assert.equal(r.status, 501);
    assert.equal(xmlText(r.body, 'Code'), 'InternalFailure');
    assert.equal(xmlText(r.body, 'Message'), 'aws-chunked payloads are not implemented');
  });

  test('metadata over 2 KB is MetadataTooLarge; ACL and tagging headers need their own actions', async () => {
    const big = await h.call({
      method: 'PUT',
      bucket: 'puts',
      key: 'f',
      body: 'x',
      headers: { 'x-amz-meta-big': 'v'.repeat(2048) },
    });
    assert.equal(xmlText(big.body, 'Code'), 'MetadataTooLarge');
    const r = await h.call({
      method: 'PUT',
      bucket: 'puts',
      key: 'g',
      body: 'x',
      headers: { 'x-amz-acl': 'private', 'x-amz-tagging': 'a=b' },
    });
    assert.deepEqual(
      r.trail.decision?.authorizations.map((a) => [a.action, a.resource]),
      [
        ['s3:PutObject', 'arn:aws:s3:::puts/g'],
        ['s3:PutObjectAcl', 'arn:aws:s3:::puts/g'],
        ['s3:PutObjectTagging', 'arn:aws:s3:::puts/g'],
      ],
    );
  });

  test('a missing Content-Length is MissingContentLength 411; a missing bucket NoSuchBucket', async () => {
    const r = await h.call({ method: 'PUT', bucket: 'puts', key: 'h', headers: { 'content-length': '' } });
    assert.equal(r.status, 411);
    assert.equal(xmlText(r.body, 'Code'), 'MissingContentLength');
    const nb = await h.call({ method: 'PUT', bucket: 'no-such', key: 'h', body: 'x' });
    assert.equal(nb.status, 404);
    assert.equal(xmlText(nb.body, 'Code'), 'NoSuchBucket');
  });
});
