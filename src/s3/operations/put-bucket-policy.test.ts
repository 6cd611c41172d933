import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { B, rootOf, s3Harness, xmlText, type Harness } from '../testdata/harness.js';

const POLICY = JSON.stringify({
  Version: '2012-10-17',
  Statement: [
    {
      Effect: 'Allow',
      Principal: { AWS: `arn:aws:iam::${B}:root` },
      Action: 's3:GetObject',
      Resource: 'arn:aws:s3:::pol/*',
    },
  ],
});

describe('PutBucketPolicy, GetBucketPolicy, DeleteBucketPolicy', () => {
  let h: Harness;
  before(async () => {
    h = await s3Harness();
    await h.call({ method: 'PUT', bucket: 'pol' });
    await h.call({ method: 'PUT', bucket: 'pol', key: 'k', body: 'shared' });
  });
  after(() => h.close());

  test('a policy is stored as sent, read back, applied, and deleted', async () => {
    const get = () => h.call({ method: 'GET', bucket: 'pol', query: { policy: '' } });
    const none = await get();
    assert.equal(none.status, 404);
    assert.equal(xmlText(none.body, 'Code'), 'NoSuchBucketPolicy');
    assert.equal((await h.call({ method: 'GET', bucket: 'pol', key: 'k', caller: rootOf(B) })).status, 403);
    const put = await h.call({ method: 'PUT', bucket: 'pol', query: { policy: '' }, body: POLICY });
    assert.equal(put.status, 204);
    assert.equal(put.trail.operation, 'PutBucketPolicy');
    const got = await get();
    assert.equal(got.body, POLICY);
    assert.equal(got.headers['Content-Type'], 'application/json');
    // Cross-account: the bucket policy grants account B, whose root needs no identity policy.
    const cross = await h.call({ method: 'GET', bucket: 'pol', key: 'k', caller: rootOf(B) });
    assert.equal(cross.status, 200);
    assert.equal(cross.body, 'shared');
    assert.equal((await h.call({ method: 'DELETE', bucket: 'pol', query: { policy: '' } })).status, 204);
    assert.equal((await get()).status, 404);
  });

  test('documents that are not JSON, or not valid policies, are MalformedPolicy', async () => {
    const notJson = await h.call({ method: 'PUT', bucket: 'pol', query: { policy: '' }, body: '[1]' });
    assert.equal(xmlText(notJson.body, 'Code'), 'MalformedPolicy');
    assert.equal(
      xmlText(notJson.body, 'Message'),
      "Policies must be valid JSON and the first byte must be '{'",
    );
    const invalid = await h.call({
      method: 'PUT',
      bucket: 'pol',
      query: { policy: '' },
      body: JSON.stringify({
        Version: '2012-10-17',
        Statement: [{ Effect: 'Maybe', Action: 's3:*', Resource: '*' }],
      }),
    });
    assert.equal(xmlText(invalid.body, 'Code'), 'MalformedPolicy');
    assert.equal((await h.store.buckets.get('pol'))?.policy, undefined);
  });

  test('another account allowed by the bucket policy still gets 405 MethodNotAllowed', async () => {
    await h.store.buckets.setPolicy(
      'pol',
      JSON.stringify({
        Version: '2012-10-17',
        Statement: [
          {
            Effect: 'Allow',
            Principal: { AWS: B },
            Action: 's3:GetBucketPolicy',
            Resource: 'arn:aws:s3:::pol',
          },
        ],
      }),
    );
    const r = await h.call({ method: 'GET', bucket: 'pol', query: { policy: '' }, caller: rootOf(B) });
    assert.equal(r.status, 405);
    assert.equal(xmlText(r.body, 'Code'), 'MethodNotAllowed');
  });
});
