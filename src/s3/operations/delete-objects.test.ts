import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import { B, rootOf, s3Harness, xmlText, xmlTexts, type Harness } from '../testdata/harness.js';

const md5 = (s: string) => createHash('md5').update(s).digest('base64');

function deleteBody(keys: readonly string[], quiet = false, version?: string): string {
  const objects = keys
    .map(
      (k) =>
        `<Object><Key>${k}</Key>${version === undefined ? '' : `<VersionId>${version}</VersionId>`}</Object>`,
    )
    .join('');
  return `<Delete xmlns="http://s3.amazonaws.com/doc/2006-03-01/">${quiet ? '<Quiet>true</Quiet>' : ''}${objects}</Delete>`;
}

describe('DeleteObjects', () => {
  let h: Harness;
  before(async () => {
    h = await s3Harness();
    await h.call({ method: 'PUT', bucket: 'multi' });
  });
  after(() => h.close());

  const put = (key: string) => h.call({ method: 'PUT', bucket: 'multi', key, body: 'x' });
  const del = (body: string, headers: Record<string, string> = { 'content-md5': md5(body) }) =>
    h.call({ method: 'POST', bucket: 'multi', query: { delete: '' }, body, headers });

  test('deletes every key, lists each as Deleted (missing ones too), removes the blobs', async () => {
    await put('a');
    await put('b');
    const blob = (await h.store.objects.get('multi', 'a'))?.blobId ?? '';
    const r = await del(deleteBody(['a', 'b', 'never']));
    assert.equal(r.status, 200, r.body);
    assert.deepEqual(xmlTexts(r.body, 'Key'), ['a', 'b', 'never']);
    assert.match(
      r.body,
      /^<\?xml[^>]*>\n<DeleteResult xmlns="http:\/\/s3.amazonaws.com\/doc\/2006-03-01\/">/,
    );
    assert.equal(await h.store.objects.get('multi', 'a'), undefined);
    assert.equal(existsSync(h.blobs.pathOf(blob)), false);
    assert.deepEqual(
      r.trail.decision?.authorizations.map((a) => [a.action, a.resource]),
      [
        ['s3:DeleteObject', 'arn:aws:s3:::multi/a'],
        ['s3:DeleteObject', 'arn:aws:s3:::multi/b'],
        ['s3:DeleteObject', 'arn:aws:s3:::multi/never'],
      ],
    );
  });

  test('Quiet leaves out the deleted keys; VersionId null deletes, another id is NoSuchVersion', async () => {
    await put('q');
    const quiet = await del(deleteBody(['q'], true));
    assert.equal(quiet.status, 200);
    assert.deepEqual(xmlTexts(quiet.body, 'Key'), []);
    assert.equal(await h.store.objects.get('multi', 'q'), undefined);
    await put('v');
    const nul = await del(deleteBody(['v'], false, 'null'));
    assert.equal(xmlText(nul.body, 'VersionId'), 'null');
    assert.equal(await h.store.objects.get('multi', 'v'), undefined);
    const other = await del(deleteBody(['v'], false, 'abc'));
    assert.equal(xmlText(other.body, 'Code'), 'NoSuchVersion');
  });

  test('each key is authorized: a denied key is an AccessDenied entry, the allowed ones are deleted', async () => {
    await h.store.buckets.setPolicy(
      'multi',
      JSON.stringify({
        Version: '2012-10-17',
        Statement: [
          {
            Effect: 'Allow',
            Principal: { AWS: `arn:aws:iam::${B}:root` },
            Action: 's3:DeleteObject',
            Resource: 'arn:aws:s3:::multi/ok/*',
          },
        ],
      }),
    );
    await put('ok/1');
    await put('no/1');
    const body = deleteBody(['ok/1', 'no/1']);
    const r = await h.call({
      method: 'POST',
      bucket: 'multi',
      query: { delete: '' },
      body,
      headers: { 'content-md5': md5(body) },
      caller: rootOf(B),
    });
    assert.equal(r.status, 200, r.body);
    const compact = r.body.replace(/>\s+</g, '><');
    assert.match(compact, /<Deleted><Key>ok\/1<\/Key><\/Deleted>/);
    assert.match(
      compact,
      /<Error><Key>no\/1<\/Key><Code>AccessDenied<\/Code><Message>Access Denied<\/Message><\/Error>/,
    );
    assert.equal(await h.store.objects.get('multi', 'ok/1'), undefined);
    assert.ok(await h.store.objects.get('multi', 'no/1'));
    await h.store.buckets.setPolicy('multi', undefined);
  });

  test('Content-MD5 or a checksum is required and checked; bad XML is MalformedXML', async () => {
    const body = deleteBody(['x']);
    const none = await del(body, {});
    assert.equal(none.status, 400);
    assert.equal(xmlText(none.body, 'Code'), 'InvalidRequest');
    assert.equal(xmlText(none.body, 'Message'), 'Missing required header for this request: Content-MD5');
    const wrong = await del(body, { 'content-md5': md5('other') });
    assert.equal(xmlText(wrong.body, 'Code'), 'BadDigest');
    const crc = await del(body, { 'x-amz-checksum-crc32': 'AAAAAA==' });
    assert.equal(xmlText(crc.body, 'Code'), 'BadDigest');
    for (const bad of [
      '<Delete>',
      '<Other/>',
      '<Delete></Delete>',
      deleteBody(Array.from({ length: 1001 }, (_, i) => `k${i}`)),
    ]) {
      const r = await del(bad);
      assert.equal(xmlText(r.body, 'Code'), 'MalformedXML', bad.slice(0, 40));
    }
  });
});
