import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { deriveSigningKey } from '../../sigv4/signing-key.js';
import type { StreamingMode } from '../../sigv4/streaming.js';
import { encodeAwsChunked } from '../../sigv4/testdata/aws-chunked.js';
import type { SeedSignature } from '../../sigv4/verify-request.js';
import { INLINE_MAX } from '../blob-store.js';
import { checksumOf } from '../checksums.js';
import { s3Harness, xmlText, type Harness } from '../testdata/harness.js';

const MODES: readonly StreamingMode[] = [
  'STREAMING-AWS4-HMAC-SHA256-PAYLOAD',
  'STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER',
  'STREAMING-UNSIGNED-PAYLOAD-TRAILER',
];
const SEED: SeedSignature = {
  signature: 'f'.repeat(64),
  dateTime: '20261204T052108Z',
  credentialScope: '20261204/us-east-1/s3/aws4_request',
  signingKey: deriveSigningKey('wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY', '20261204', 'us-east-1', 's3'),
};
const DATA = [Buffer.alloc(8192, 'x'), Buffer.alloc(9000, 'y'), Buffer.from('tail')];
const DECODED = Buffer.concat(DATA);

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
    // A file-sized object, replaced: its file goes once the new row has committed.
    await h.call({ method: 'PUT', bucket: 'puts', key: 'a.txt', body: Buffer.alloc(INLINE_MAX + 1) });
    const before = await h.store.objects.get('puts', 'a.txt');
    assert.ok(before);
    assert.equal(existsSync(h.blobs.pathOf(before.blobId)), true);
    await h.call({ method: 'PUT', bucket: 'puts', key: 'a.txt', body: 'bye' });
    const after = await h.store.objects.get('puts', 'a.txt');
    assert.notEqual(after?.blobId, before.blobId);
    await h.blobs.settled();
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

  for (const mode of MODES) {
    test(`an aws-chunked body (${mode}) is decoded, its checksum checked and stored, aws-chunked not kept`, async () => {
      const trailered = mode !== 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD';
      const crc = checksumOf('CRC32', DECODED);
      const r = await h.call({
        method: 'PUT',
        bucket: 'puts',
        key: `chunked-${mode}`,
        body: encodeAwsChunked({
          mode,
          seed: SEED,
          chunks: DATA,
          trailers: trailered ? [['x-amz-checksum-crc32', crc]] : [],
        }),
        headers: {
          'content-encoding': 'aws-chunked,gzip',
          'x-amz-decoded-content-length': String(DECODED.length),
          ...(trailered ? { 'x-amz-trailer': 'x-amz-checksum-crc32' } : { 'x-amz-checksum-crc32': crc }),
        },
        auth: { authType: 'REST-HEADER', payloadHash: mode },
        seed: SEED,
      });
      assert.equal(r.status, 200, r.body);
      assert.equal(r.headers['x-amz-checksum-crc32'], crc);
      const object = await h.store.objects.get('puts', `chunked-${mode}`);
      assert.equal(object?.size, DECODED.length);
      assert.equal(object?.etag, `"${createHash('md5').update(DECODED).digest('hex')}"`);
      assert.equal(object?.contentEncoding, 'gzip');
      assert.deepEqual(object?.checksums, { CRC32: crc });
      const get = await h.call({
        method: 'GET',
        bucket: 'puts',
        key: `chunked-${mode}`,
        headers: { 'x-amz-checksum-mode': 'ENABLED' },
      });
      assert.equal(get.body, DECODED.toString());
      assert.equal(get.headers['x-amz-checksum-crc32'], crc);
      assert.equal(get.headers['x-amz-checksum-type'], 'FULL_OBJECT');
      const plain = await h.call({ method: 'HEAD', bucket: 'puts', key: `chunked-${mode}` });
      assert.equal(plain.headers['x-amz-checksum-crc32'], undefined);
    });
  }

  test('a trailer checksum that does not match is BadDigest and nothing is stored', async () => {
    const r = await h.call({
      method: 'PUT',
      bucket: 'puts',
      key: 'bad-trailer',
      body: encodeAwsChunked({
        mode: 'STREAMING-UNSIGNED-PAYLOAD-TRAILER',
        chunks: DATA,
        trailers: [['x-amz-checksum-crc32', checksumOf('CRC32', Buffer.from('other'))]],
      }),
      headers: {
        'content-encoding': 'aws-chunked',
        'x-amz-decoded-content-length': String(DECODED.length),
        'x-amz-trailer': 'x-amz-checksum-crc32',
      },
      auth: { authType: 'REST-HEADER', payloadHash: 'STREAMING-UNSIGNED-PAYLOAD-TRAILER' },
    });
    assert.equal(r.status, 400);
    assert.equal(xmlText(r.body, 'Code'), 'BadDigest');
    assert.equal(
      xmlText(r.body, 'Message'),
      'The CRC32 you specified did not match the calculated checksum.',
    );
    assert.equal(await h.store.objects.get('puts', 'bad-trailer'), undefined);
    // A small body is inline: no temporary file was ever made, and none is left.
    const tmp = join(h.blobs.root, 'tmp');
    assert.deepEqual(existsSync(tmp) ? readdirSync(tmp) : [], []);
  });

  test('a header checksum is checked: SHA256 mismatch is BadDigest, a match is stored', async () => {
    const bad = await h.call({
      method: 'PUT',
      bucket: 'puts',
      key: 'sum',
      body: 'hello',
      headers: { 'x-amz-checksum-sha256': checksumOf('SHA256', Buffer.from('other')) },
    });
    assert.equal(xmlText(bad.body, 'Code'), 'BadDigest');
    assert.equal(
      xmlText(bad.body, 'Message'),
      'The SHA256 you specified did not match the calculated checksum.',
    );
    assert.equal(await h.store.objects.get('puts', 'sum'), undefined);
    const ok = await h.call({
      method: 'PUT',
      bucket: 'puts',
      key: 'sum',
      body: 'hello',
      headers: { 'x-amz-checksum-sha256': checksumOf('SHA256', Buffer.from('hello')) },
    });
    assert.equal(ok.status, 200);
    assert.deepEqual((await h.store.objects.get('puts', 'sum'))?.checksums, {
      SHA256: checksumOf('SHA256', Buffer.from('hello')),
    });
  });

  test('a bad chunk signature fails the upload with SignatureDoesNotMatch and stores nothing', async () => {
    const other: SeedSignature = { ...SEED, signature: 'e'.repeat(64) };
    const r = await h.call({
      method: 'PUT',
      bucket: 'puts',
      key: 'bad-sig',
      body: encodeAwsChunked({ mode: 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD', seed: other, chunks: DATA }),
      headers: {
        'content-encoding': 'aws-chunked',
        'x-amz-decoded-content-length': String(DECODED.length),
      },
      auth: { authType: 'REST-HEADER', payloadHash: 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD' },
      seed: SEED,
    });
    assert.equal(r.status, 403);
    assert.equal(xmlText(r.body, 'Code'), 'SignatureDoesNotMatch');
    assert.equal(await h.store.objects.get('puts', 'bad-sig'), undefined);
  });

  test('aws-chunked in Content-Encoding without a streaming payload hash is a plain body, stored without it', async () => {
    // ceph/s3-tests test_object_content_encoding_aws_chunked (run against AWS): `gzip, aws-chunked` reads back `gzip`.
    const r = await h.call({
      method: 'PUT',
      bucket: 'puts',
      key: 'e.txt',
      body: 'plain bytes',
      headers: { 'content-encoding': 'gzip, aws-chunked' },
    });
    assert.equal(r.status, 200);
    const object = await h.store.objects.get('puts', 'e.txt');
    assert.equal(object?.size, 'plain bytes'.length);
    assert.equal(object?.contentEncoding, 'gzip');
    const missing = await h.call({
      method: 'PUT',
      bucket: 'puts',
      key: 'e.txt',
      body: '5\r\nhello\r\n0\r\n\r\n',
      headers: { 'content-encoding': 'aws-chunked', 'x-amz-trailer': 'x-amz-checksum-crc32' },
      auth: { authType: 'REST-HEADER', payloadHash: 'STREAMING-UNSIGNED-PAYLOAD-TRAILER' },
    });
    assert.equal(xmlText(missing.body, 'Code'), 'MissingContentLength');
  });

  test('Transfer-Encoding: chunked without Content-Length on a plain body is 501 NotImplemented (Header)', async () => {
    const r = await h.call({
      method: 'PUT',
      bucket: 'puts',
      key: 'te',
      body: 'bar',
      headers: { 'transfer-encoding': 'chunked' },
      noContentLength: true,
    });
    assert.equal(r.status, 501);
    assert.equal(xmlText(r.body, 'Code'), 'NotImplemented');
    assert.equal(
      xmlText(r.body, 'Message'),
      'A header you provided implies functionality that is not implemented',
    );
    assert.equal(xmlText(r.body, 'Header'), 'Transfer-Encoding');
    assert.equal(await h.store.objects.get('puts', 'te'), undefined);
  });

  test('a UTF-8 metadata value is stored as its text and answered RFC 2047 encoded', async () => {
    const value = Buffer.from('Hello World\u00e9', 'utf8').toString('latin1');
    await h.call({
      method: 'PUT',
      bucket: 'puts',
      key: 'uni',
      body: 'bar',
      headers: { 'x-amz-meta-meta1': value },
    });
    assert.deepEqual((await h.store.objects.get('puts', 'uni'))?.metadata, [['meta1', 'Hello World\u00e9']]);
    const got = await h.call({ method: 'GET', bucket: 'puts', key: 'uni' });
    assert.equal(got.headers['x-amz-meta-meta1'], '=?UTF-8?Q?Hello_World=C3=A9?=');
  });

  test('If-None-Match: * writes only a new key; another value is 501 NotImplemented', async () => {
    const first = await h.call({
      method: 'PUT',
      bucket: 'puts',
      key: 'cw',
      body: 'one',
      headers: { 'if-none-match': '*' },
    });
    assert.equal(first.status, 200);
    const again = await h.call({
      method: 'PUT',
      bucket: 'puts',
      key: 'cw',
      body: 'two',
      headers: { 'if-none-match': '*' },
    });
    assert.equal(again.status, 412);
    assert.equal(xmlText(again.body, 'Code'), 'PreconditionFailed');
    assert.equal(
      xmlText(again.body, 'Message'),
      'At least one of the pre-conditions you specified did not hold',
    );
    assert.equal(xmlText(again.body, 'Condition'), 'If-None-Match');
    const etag = await h.call({
      method: 'PUT',
      bucket: 'puts',
      key: 'cw',
      body: 'two',
      headers: { 'if-none-match': first.headers.ETag ?? '' },
    });
    assert.equal(etag.status, 501);
    assert.equal(xmlText(etag.body, 'Code'), 'NotImplemented');
    assert.equal(xmlText(etag.body, 'Header'), 'If-None-Match');
    assert.equal((await h.store.objects.get('puts', 'cw'))?.size, 3, 'the first object stays');
  });

  test('If-Match writes over the object with that ETag only: 412 otherwise, 404 NoSuchKey without one', async () => {
    const first = await h.call({ method: 'PUT', bucket: 'puts', key: 'cm', body: 'one' });
    const etag = first.headers.ETag ?? '';
    const bad = await h.call({
      method: 'PUT',
      bucket: 'puts',
      key: 'cm',
      body: 'two',
      headers: { 'if-match': '"ABCORZ"' },
    });
    assert.equal(bad.status, 412);
    assert.equal(xmlText(bad.body, 'Condition'), 'If-Match');
    assert.equal((await h.store.objects.get('puts', 'cm'))?.etag, etag);
    const good = await h.call({
      method: 'PUT',
      bucket: 'puts',
      key: 'cm',
      body: 'three',
      headers: { 'if-match': etag.replace(/"/g, '') },
    });
    assert.equal(good.status, 200);
    assert.deepEqual(
      good.trail.decision?.authorizations.map((a) => a.action),
      ['s3:PutObject', 's3:GetObject'],
      'If-Match needs s3:GetObject too',
    );
    const missing = await h.call({
      method: 'PUT',
      bucket: 'puts',
      key: 'nothing-here',
      body: 'x',
      headers: { 'if-match': '*' },
    });
    assert.equal(missing.status, 404);
    assert.equal(xmlText(missing.body, 'Code'), 'NoSuchKey');
  });

  test('an If-Match object deleted while the body streams is 409 ConditionalRequestConflict', async () => {
    const first = await h.call({ method: 'PUT', bucket: 'puts', key: 'race', body: 'one' });
    const etag = first.headers.ETag ?? '';
    // The first check sees the object; the delete lands before the commit.
    let deleted = false;
    const racing = h.call({
      method: 'PUT',
      bucket: 'puts',
      key: 'race',
      body: 'two',
      headers: { 'if-match': etag },
      beforeBody: async () => {
        await h.store.objects.delete('puts', 'race');
        deleted = true;
      },
    });
    const r = await racing;
    assert.equal(deleted, true);
    assert.equal(r.status, 409);
    assert.equal(xmlText(r.body, 'Code'), 'ConditionalRequestConflict');
    assert.equal(await h.store.objects.get('puts', 'race'), undefined);
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
