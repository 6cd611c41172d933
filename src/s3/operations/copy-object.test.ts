import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { checksumOf } from '../checksums.js';
import { B, rootOf, s3Harness, xmlText, type Harness } from '../testdata/harness.js';
import { COPY_TO_ITSELF_MESSAGE } from './copy-object.js';

describe('CopyObject', () => {
  let h: Harness;
  before(async () => {
    h = await s3Harness();
    await h.call({ method: 'PUT', bucket: 'src' });
    await h.call({ method: 'PUT', bucket: 'dst' });
    await h.call({
      method: 'PUT',
      bucket: 'src',
      key: 'dir/a b?.txt',
      body: 'copy me',
      headers: {
        'content-type': 'text/plain',
        'x-amz-meta-color': 'blue',
        'x-amz-checksum-crc32': checksumOf('CRC32', Buffer.from('copy me')),
      },
    });
  });
  after(() => h.close());

  const copy = (
    key: string,
    headers: Record<string, string>,
    bucket = 'dst',
    caller = rootOf('111122223333'),
  ) => h.call({ method: 'PUT', bucket, key, headers, caller });
  const SOURCE = `/src/${encodeURIComponent('dir/a b?.txt')}`;

  test('COPY keeps headers, metadata and checksum; the source is URL-decoded; ?versionId=null is accepted', async () => {
    const r = await copy('copied', { 'x-amz-copy-source': `${SOURCE}?versionId=null` });
    assert.equal(r.status, 200, r.body);
    assert.match(r.body, /<CopyObjectResult xmlns="http:\/\/s3.amazonaws.com\/doc\/2006-03-01\/">/);
    const from = await h.store.objects.get('src', 'dir/a b?.txt');
    const to = await h.store.objects.get('dst', 'copied');
    assert.equal(xmlText(r.body, 'ETag'), from?.etag);
    assert.equal(to?.etag, from?.etag);
    assert.equal(to?.contentType, 'text/plain');
    assert.deepEqual(to?.metadata, [['color', 'blue']]);
    assert.deepEqual(to?.checksums, from?.checksums);
    assert.equal(xmlText(r.body, 'ChecksumCRC32'), from?.checksums.CRC32);
    const get = await h.call({ method: 'GET', bucket: 'dst', key: 'copied' });
    assert.equal(get.body, 'copy me');
    assert.notEqual(to?.blobId, from?.blobId);
    assert.deepEqual(
      r.trail.decision?.authorizations.map((a) => [a.action, a.resource]),
      [
        ['s3:PutObject', 'arn:aws:s3:::dst/copied'],
        ['s3:GetObject', 'arn:aws:s3:::src/dir/a b?.txt'],
      ],
    );
  });

  test('REPLACE takes the request headers; onto itself it needs REPLACE', async () => {
    const r = await copy('replaced', {
      'x-amz-copy-source': SOURCE,
      'x-amz-metadata-directive': 'REPLACE',
      'content-type': 'application/json',
      'x-amz-meta-size': 'L',
    });
    assert.equal(r.status, 200);
    const to = await h.store.objects.get('dst', 'replaced');
    assert.equal(to?.contentType, 'application/json');
    assert.deepEqual(to?.metadata, [['size', 'L']]);
    const self = await copy('dir/a b?.txt', { 'x-amz-copy-source': SOURCE }, 'src');
    assert.equal(self.status, 400);
    assert.equal(xmlText(self.body, 'Code'), 'InvalidRequest');
    assert.equal(xmlText(self.body, 'Message'), COPY_TO_ITSELF_MESSAGE);
    const selfReplace = await copy(
      'dir/a b?.txt',
      { 'x-amz-copy-source': SOURCE, 'x-amz-metadata-directive': 'REPLACE', 'x-amz-meta-new': '1' },
      'src',
    );
    assert.equal(selfReplace.status, 200);
    assert.deepEqual((await h.store.objects.get('src', 'dir/a b?.txt'))?.metadata, [['new', '1']]);
  });

  test('copy-source conditions fail with 412; a missing source is NoSuchKey; bad sources InvalidArgument', async () => {
    const etag = (await h.store.objects.get('src', 'dir/a b?.txt'))?.etag ?? '';
    const ok = await copy('c1', { 'x-amz-copy-source': SOURCE, 'x-amz-copy-source-if-match': etag });
    assert.equal(ok.status, 200);
    const conditions: Record<string, string>[] = [
      { 'x-amz-copy-source-if-match': '"nope"' },
      { 'x-amz-copy-source-if-none-match': etag },
      { 'x-amz-copy-source-if-unmodified-since': 'Thu, 01 Jan 2015 00:00:00 GMT' },
      { 'x-amz-copy-source-if-modified-since': 'Fri, 01 Jan 2100 00:00:00 GMT' },
    ];
    for (const headers of conditions) {
      const r = await copy('c2', { 'x-amz-copy-source': SOURCE, ...headers });
      assert.equal(r.status, 412, JSON.stringify(headers));
      assert.equal(xmlText(r.body, 'Code'), 'PreconditionFailed');
    }
    const missing = await copy('c3', { 'x-amz-copy-source': '/src/none' });
    assert.equal(missing.status, 404);
    assert.equal(xmlText(missing.body, 'Code'), 'NoSuchKey');
    const noBucket = await copy('c3', { 'x-amz-copy-source': '/nobucket/x' });
    assert.equal(xmlText(noBucket.body, 'Code'), 'NoSuchBucket');
    for (const bad of ['src', '/src/', '%zz/k', 'src/k?versionId=abc']) {
      const r = await copy('c4', { 'x-amz-copy-source': bad });
      assert.equal(xmlText(r.body, 'Code'), 'InvalidArgument', bad);
    }
  });

  test('the source is judged with its own bucket policy: PutObject alone is not enough', async () => {
    await h.store.buckets.setPolicy(
      'dst',
      JSON.stringify({
        Version: '2012-10-17',
        Statement: [
          { Effect: 'Allow', Principal: { AWS: B }, Action: 's3:PutObject', Resource: 'arn:aws:s3:::dst/*' },
        ],
      }),
    );
    const denied = await copy('from-b', { 'x-amz-copy-source': SOURCE }, 'dst', rootOf(B));
    assert.equal(denied.status, 403);
    assert.equal(xmlText(denied.body, 'Code'), 'AccessDenied');
    assert.equal(await h.store.objects.get('dst', 'from-b'), undefined);
    await h.store.buckets.setPolicy(
      'src',
      JSON.stringify({
        Version: '2012-10-17',
        Statement: [
          { Effect: 'Allow', Principal: { AWS: B }, Action: 's3:GetObject', Resource: 'arn:aws:s3:::src/*' },
        ],
      }),
    );
    const allowed = await copy('from-b', { 'x-amz-copy-source': SOURCE }, 'dst', rootOf(B));
    assert.equal(allowed.status, 200, allowed.body);
  });

  test('If-None-Match: * copies only to a new destination key; If-Match needs the destination ETag', async () => {
    const copy = (key: string, headers: Record<string, string>) =>
      h.call({
        method: 'PUT',
        bucket: 'dst',
        key,
        headers: { 'x-amz-copy-source': SOURCE, ...headers },
      });
    const fresh = await copy('cond-new', { 'if-none-match': '*' });
    assert.equal(fresh.status, 200, fresh.body);
    const again = await copy('cond-new', { 'if-none-match': '*' });
    assert.equal(again.status, 412);
    assert.equal(xmlText(again.body, 'Condition'), 'If-None-Match');
    const wrong = await copy('cond-new', { 'if-match': '"0123456789abcdef0123456789abcdef"' });
    assert.equal(wrong.status, 412);
    const missing = await copy('cond-missing', { 'if-match': '*' });
    assert.equal(xmlText(missing.body, 'Code'), 'NoSuchKey');
  });
});

describe('CopyObject racing a DeleteObject or an overwrite of its source', () => {
  let h: Harness;
  before(async () => {
    h = await s3Harness();
    await h.call({ method: 'PUT', bucket: 'race' });
  });
  after(() => h.close());

  for (const [name, body] of [
    ['an inline source', Buffer.from('inline source')],
    ['a file source', Buffer.alloc(100 * 1024, 's')],
  ] as const) {
    test(`${name} deleted after its row was read is NoSuchKey, not 500`, async () => {
      const key = `gone/${name}`;
      await h.call({ method: 'PUT', bucket: 'race', key, body });
      const r = await h.call({
        method: 'PUT',
        bucket: 'race',
        key: `copy/${name}`,
        headers: { 'x-amz-copy-source': `/race/${encodeURIComponent(key)}` },
        afterObjectRead: async () => {
          await h.call({ method: 'DELETE', bucket: 'race', key });
          await h.blobs.settled();
        },
      });
      assert.equal(r.status, 404);
      assert.equal(xmlText(r.body, 'Code'), 'NoSuchKey');
      assert.equal((await h.call({ method: 'GET', bucket: 'race', key: `copy/${name}` })).status, 404);
    });

    test(`${name} overwritten after its row was read copies the new version`, async () => {
      const key = `new/${name}`;
      await h.call({ method: 'PUT', bucket: 'race', key, body });
      const r = await h.call({
        method: 'PUT',
        bucket: 'race',
        key: `copy-new/${name}`,
        headers: { 'x-amz-copy-source': `/race/${encodeURIComponent(key)}` },
        afterObjectRead: async () => {
          await h.call({ method: 'PUT', bucket: 'race', key, body: 'replaced source' });
          await h.blobs.settled();
        },
      });
      assert.equal(r.status, 200);
      const copied = await h.call({ method: 'GET', bucket: 'race', key: `copy-new/${name}` });
      assert.equal(copied.body, 'replaced source');
    });
  }
});
