import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { ANONYMOUS, s3Harness, xmlText, type Harness } from '../testdata/harness.js';

describe('CreateMultipartUpload', () => {
  let h: Harness;
  before(async () => {
    h = await s3Harness();
    await h.call({ method: 'PUT', bucket: 'mpc' });
  });
  after(() => h.close());

  test('records the upload with the object headers, metadata and checksum algorithm', async () => {
    const r = await h.call({
      method: 'POST',
      bucket: 'mpc',
      key: 'dir/a.bin',
      query: { uploads: '' },
      headers: {
        'content-type': 'text/plain',
        'cache-control': 'no-cache',
        'x-amz-meta-owner': 'me',
        'x-amz-checksum-algorithm': 'crc32',
      },
    });
    assert.equal(r.status, 200);
    assert.equal(r.trail.operation, 'CreateMultipartUpload');
    assert.equal(xmlText(r.body, 'Key'), 'dir/a.bin');
    assert.equal(r.headers['x-amz-checksum-algorithm'], 'CRC32');
    const id = xmlText(r.body, 'UploadId') ?? '';
    assert.match(id, /^[A-Za-z0-9_-]{43}$/);
    const upload = await h.store.uploads.get('mpc', 'dir/a.bin', id);
    assert.equal(upload?.contentType, 'text/plain');
    assert.equal(upload?.cacheControl, 'no-cache');
    assert.deepEqual(upload?.metadata, [['owner', 'me']]);
    assert.equal(upload?.checksumAlgorithm, 'CRC32');
    assert.equal(upload?.initiator.length, 64, 'a root initiator is the canonical id');
  });

  test('is authorized as s3:PutObject: anonymous is denied', async () => {
    const r = await h.call({
      method: 'POST',
      bucket: 'mpc',
      key: 'k',
      query: { uploads: '' },
      caller: ANONYMOUS,
      auth: {},
    });
    assert.equal(r.status, 403);
    assert.deepEqual(
      r.trail.decision?.authorizations.map((a) => a.action),
      ['s3:PutObject'],
    );
  });

  test('an unknown checksum algorithm is InvalidRequest; a missing bucket NoSuchBucket', async () => {
    const bad = await h.call({
      method: 'POST',
      bucket: 'mpc',
      key: 'k',
      query: { uploads: '' },
      headers: { 'x-amz-checksum-algorithm': 'MD4' },
    });
    assert.equal(bad.status, 400);
    assert.equal(xmlText(bad.body, 'Code'), 'InvalidRequest');
    const none = await h.call({ method: 'POST', bucket: 'nope', key: 'k', query: { uploads: '' } });
    assert.equal(xmlText(none.body, 'Code'), 'NoSuchBucket');
  });

  test('what is not built fails closed with 501: FULL_OBJECT checksums', async () => {
    const r = await h.call({
      method: 'POST',
      bucket: 'mpc',
      key: 'k',
      query: { uploads: '' },
      headers: { 'x-amz-checksum-type': 'FULL_OBJECT' },
    });
    assert.equal(r.status, 501);
    assert.match(xmlText(r.body, 'Message') ?? '', /is not implemented$/);
  });

  test('x-amz-tagging needs s3:PutObjectTagging too and is kept with the upload', async () => {
    const r = await h.call({
      method: 'POST',
      bucket: 'mpc',
      key: 'tagged',
      query: { uploads: '' },
      headers: { 'x-amz-tagging': 'a=1' },
    });
    assert.equal(r.status, 200);
    assert.deepEqual(
      r.trail.decision?.authorizations.map((a) => a.action),
      ['s3:PutObject', 's3:PutObjectTagging'],
    );
    const upload = await h.store.uploads.get('mpc', 'tagged', xmlText(r.body, 'UploadId') ?? '');
    assert.deepEqual(upload?.tags, [['a', '1']]);
  });
});
