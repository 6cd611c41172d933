import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import type { Caller } from '../../iam/caller.js';
import { A, s3Harness, xmlText, xmlTexts, type Harness } from '../testdata/harness.js';
import { createUpload, putPart, completeXml } from '../testdata/multipart.js';

const md5 = (s: string) => createHash('md5').update(s).digest('base64');
const tagging = (tags: [string, string][]) =>
  `<Tagging><TagSet>${tags.map(([k, v]) => `<Tag><Key>${k}</Key><Value>${v}</Value></Tag>`).join('')}</TagSet></Tagging>`;

describe('object tagging', () => {
  let h: Harness;
  before(async () => {
    h = await s3Harness();
    await h.call({ method: 'PUT', bucket: 'tags' });
  });
  after(() => h.close());

  const putTags = (key: string, tags: [string, string][], caller?: Caller) => {
    const body = tagging(tags);
    return h.call({
      method: 'PUT',
      bucket: 'tags',
      key,
      query: { tagging: '' },
      body,
      headers: { 'content-md5': md5(body) },
      ...(caller !== undefined ? { caller } : {}),
    });
  };

  test('PutObject with x-amz-tagging stores tags; GetObject/HeadObject count them; GetObjectTagging lists them', async () => {
    const put = await h.call({
      method: 'PUT',
      bucket: 'tags',
      key: 'a',
      body: 'x',
      headers: { 'x-amz-tagging': 'team=blue&env=prod%20eu' },
    });
    assert.equal(put.status, 200);
    assert.deepEqual(
      put.trail.decision?.authorizations.map((a) => a.action),
      ['s3:PutObject', 's3:PutObjectTagging'],
    );
    const head = await h.call({ method: 'HEAD', bucket: 'tags', key: 'a' });
    assert.equal(head.headers['x-amz-tagging-count'], '2');
    const get = await h.call({ method: 'GET', bucket: 'tags', key: 'a', query: { tagging: '' } });
    assert.equal(get.status, 200);
    assert.equal(get.trail.operation, 'GetObjectTagging');
    assert.deepEqual(xmlTexts(get.body, 'Key'), ['team', 'env']);
    assert.deepEqual(xmlTexts(get.body, 'Value'), ['blue', 'prod eu']);
  });

  test('PutObjectTagging replaces the set; DeleteObjectTagging empties it; the bytes stay', async () => {
    const r = await putTags('a', [['only', '1']]);
    assert.equal(r.status, 200, r.body);
    const get = await h.call({ method: 'GET', bucket: 'tags', key: 'a', query: { tagging: '' } });
    assert.deepEqual(xmlTexts(get.body, 'Key'), ['only']);
    const del = await h.call({ method: 'DELETE', bucket: 'tags', key: 'a', query: { tagging: '' } });
    assert.equal(del.status, 204);
    assert.equal((await h.store.objects.get('tags', 'a'))?.tags?.length ?? 0, 0);
    const head = await h.call({ method: 'HEAD', bucket: 'tags', key: 'a' });
    assert.equal(head.headers['x-amz-tagging-count'], undefined);
    assert.equal((await h.call({ method: 'GET', bucket: 'tags', key: 'a' })).body, 'x');
  });

  test('InvalidTag: more than 10 tags, a long key or value, a repeated key; MalformedXML; NoSuchKey', async () => {
    const eleven = Array.from({ length: 11 }, (_, i): [string, string] => [`k${i}`, 'v']);
    for (const tags of [
      eleven,
      [['k'.repeat(129), 'v']],
      [['k', 'v'.repeat(257)]],
      [
        ['k', '1'],
        ['k', '2'],
      ],
    ] as [string, string][][]) {
      const r = await putTags('a', tags);
      assert.equal(r.status, 400);
      assert.equal(xmlText(r.body, 'Code'), 'InvalidTag');
    }
    const ok = await putTags('a', [['k'.repeat(128), 'v'.repeat(256)]]);
    assert.equal(ok.status, 200);
    const header = await h.call({
      method: 'PUT',
      bucket: 'tags',
      key: 'b',
      body: 'x',
      headers: { 'x-amz-tagging': eleven.map(([k, v]) => `${k}=${v}`).join('&') },
    });
    assert.equal(xmlText(header.body, 'Code'), 'InvalidTag');
    const missing = await putTags('nope', [['k', 'v']]);
    assert.equal(xmlText(missing.body, 'Code'), 'NoSuchKey');
    const body = '<Tagging><Tag/></Tagging>';
    const bad = await h.call({
      method: 'PUT',
      bucket: 'tags',
      key: 'a',
      query: { tagging: '' },
      body,
      headers: { 'content-md5': md5(body) },
    });
    assert.equal(xmlText(bad.body, 'Code'), 'MalformedXML');
    const noDigest = await h.call({
      method: 'PUT',
      bucket: 'tags',
      key: 'a',
      query: { tagging: '' },
      body: tagging([]),
    });
    assert.equal(xmlText(noDigest.body, 'Code'), 'InvalidRequest');
  });

  test('s3:ExistingObjectTag and s3:RequestObjectTag decide in an IAM user policy', async () => {
    await h.store.users.create({
      accountId: A,
      name: 'tagger',
      id: 'AIDAEXAMPLETAGGER0001',
      path: '/',
      arn: `arn:aws:iam::${A}:user/tagger`,
      createdAt: 0,
    });
    await h.store.users.putPolicy(A, 'tagger', {
      name: 'tags',
      document: JSON.stringify({
        Version: '2012-10-17',
        Statement: [
          {
            Effect: 'Allow',
            Action: ['s3:GetObjectTagging', 's3:PutObjectTagging'],
            Resource: 'arn:aws:s3:::tags/*',
            Condition: { StringEquals: { 's3:ExistingObjectTag/team': 'blue' } },
          },
          {
            Effect: 'Deny',
            Action: 's3:PutObjectTagging',
            Resource: 'arn:aws:s3:::tags/*',
            Condition: { 'ForAnyValue:StringEquals': { 's3:RequestObjectTagKeys': 'secret' } },
          },
        ],
      }),
    });
    const user: Caller = {
      kind: 'user',
      accountId: A,
      partition: 'aws',
      arn: `arn:aws:iam::${A}:user/tagger`,
      userId: 'AIDAEXAMPLETAGGER0001',
      userName: 'tagger',
      accessKeyId: 'AKIAEXAMPLETAGGER',
    };
    await h.call({
      method: 'PUT',
      bucket: 'tags',
      key: 'blue',
      body: 'x',
      headers: { 'x-amz-tagging': 'team=blue' },
    });
    await h.call({
      method: 'PUT',
      bucket: 'tags',
      key: 'red',
      body: 'x',
      headers: { 'x-amz-tagging': 'team=red' },
    });
    const get = (key: string) =>
      h.call({ method: 'GET', bucket: 'tags', key, query: { tagging: '' }, caller: user });
    assert.equal((await get('blue')).status, 200);
    assert.equal((await get('red')).status, 403);
    assert.equal(
      (
        await putTags(
          'blue',
          [
            ['team', 'blue'],
            ['x', '1'],
          ],
          user,
        )
      ).status,
      200,
    );
    assert.equal(
      (
        await putTags(
          'blue',
          [
            ['team', 'blue'],
            ['secret', '1'],
          ],
          user,
        )
      ).status,
      403,
    );
    const retag = await putTags('blue', [['team', 'green']], user);
    assert.equal(retag.status, 200, 'the existing tags decide, not the new ones');
    assert.equal((await get('blue')).status, 403, 'now it is green');
  });

  test('CreateMultipartUpload with x-amz-tagging gives the completed object its tags', async () => {
    const id = await createUpload(h, 'tags', 'mp', { 'x-amz-tagging': 'a=1&b=2' });
    const etag = await putPart(h, 'tags', 'mp', id, 1, Buffer.from('only part'));
    const r = await h.call({
      method: 'POST',
      bucket: 'tags',
      key: 'mp',
      query: { uploadId: id },
      body: completeXml([{ n: 1, etag }]),
    });
    assert.equal(r.status, 200, r.body);
    assert.deepEqual((await h.store.objects.get('tags', 'mp'))?.tags, [
      ['a', '1'],
      ['b', '2'],
    ]);
  });
});
