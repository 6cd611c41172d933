import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { ANONYMOUS, B, rootOf, s3Harness, xmlText, type Harness } from '../testdata/harness.js';

const md5 = (s: string) => createHash('md5').update(s).digest('base64');
const PAB = (policy: boolean, restrict: boolean) =>
  `<PublicAccessBlockConfiguration xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><BlockPublicAcls>true</BlockPublicAcls><BlockPublicPolicy>${policy}</BlockPublicPolicy><RestrictPublicBuckets>${restrict}</RestrictPublicBuckets></PublicAccessBlockConfiguration>`;
const PUBLIC_POLICY = JSON.stringify({
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: 'arn:aws:s3:::pab/*' }],
});

describe('Get/Put/DeletePublicAccessBlock', () => {
  let h: Harness;
  before(async () => {
    h = await s3Harness();
    await h.call({ method: 'PUT', bucket: 'pab' });
    await h.call({ method: 'PUT', bucket: 'pab', key: 'o', body: 'public?' });
  });
  after(() => h.close());

  const q = { publicAccessBlock: '' };
  const putPab = (body: string) =>
    h.call({ method: 'PUT', bucket: 'pab', query: q, body, headers: { 'content-md5': md5(body) } });
  const putPolicy = () =>
    h.call({ method: 'PUT', bucket: 'pab', query: { policy: '' }, body: PUBLIC_POLICY });

  test('settings are stored, read back (absent ones false) and deleted; none is NoSuchPublicAccessBlockConfiguration', async () => {
    const none = await h.call({ method: 'GET', bucket: 'pab', query: q });
    assert.equal(none.status, 404);
    assert.equal(xmlText(none.body, 'Code'), 'NoSuchPublicAccessBlockConfiguration');
    assert.equal((await putPab(PAB(false, false))).status, 200);
    const got = await h.call({ method: 'GET', bucket: 'pab', query: q });
    assert.equal(xmlText(got.body, 'BlockPublicAcls'), 'true');
    assert.equal(xmlText(got.body, 'IgnorePublicAcls'), 'false');
    assert.equal(got.trail.decision?.authorizations[0]?.action, 's3:GetBucketPublicAccessBlock');
    const del = await h.call({ method: 'DELETE', bucket: 'pab', query: q });
    assert.equal(del.status, 204);
    assert.equal(del.trail.decision?.authorizations[0]?.action, 's3:PutBucketPublicAccessBlock');
    assert.equal((await h.store.buckets.get('pab'))?.publicAccessBlock, undefined);
    const bad = await putPab(
      '<PublicAccessBlockConfiguration><BlockPublicAcls>yes</BlockPublicAcls></PublicAccessBlockConfiguration>',
    );
    assert.equal(xmlText(bad.body, 'Code'), 'MalformedXML');
    const unsummed = await h.call({ method: 'PUT', bucket: 'pab', query: q, body: PAB(true, true) });
    assert.equal(xmlText(unsummed.body, 'Code'), 'InvalidRequest');
  });

  test('BlockPublicPolicy refuses a public bucket policy with AccessDenied; a non-public one is accepted', async () => {
    await putPab(PAB(true, false));
    const r = await putPolicy();
    assert.equal(r.status, 403);
    assert.equal(xmlText(r.body, 'Code'), 'AccessDenied');
    assert.match(
      xmlText(r.body, 'Message') ?? '',
      /because public policies are blocked by the BlockPublicPolicy block public access setting/,
    );
    assert.equal((await h.store.buckets.get('pab'))?.policy, undefined);
    const fixed = JSON.stringify({
      Version: '2012-10-17',
      Statement: [
        { Effect: 'Allow', Principal: { AWS: B }, Action: 's3:GetObject', Resource: 'arn:aws:s3:::pab/*' },
      ],
    });
    const ok = await h.call({ method: 'PUT', bucket: 'pab', query: { policy: '' }, body: fixed });
    assert.equal(ok.status, 204, ok.body);
    await h.call({ method: 'DELETE', bucket: 'pab', query: q });
  });

  test('RestrictPublicBuckets: a public policy grants nothing to anonymous or other accounts', async () => {
    assert.equal((await putPolicy()).status, 204);
    const get = (caller = ANONYMOUS) => h.call({ method: 'GET', bucket: 'pab', key: 'o', caller, auth: {} });
    assert.equal((await get()).status, 200);
    assert.equal((await get(rootOf(B))).status, 200);
    await putPab(PAB(false, true));
    assert.equal((await get()).status, 403);
    assert.equal((await get(rootOf(B))).status, 403);
    // The owner's own account is not restricted.
    assert.equal((await get(rootOf('111122223333'))).status, 200);
  });
});
