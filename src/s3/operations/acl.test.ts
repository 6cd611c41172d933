import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { canonicalUserId } from '../owner.js';
import { A, B, rootOf, s3Harness, xmlText, xmlTexts, type Harness } from '../testdata/harness.js';

const OWNER = canonicalUserId(A);
const ownerOnly = (id: string, permission = 'FULL_CONTROL') =>
  `<AccessControlPolicy xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Owner><ID>${OWNER}</ID></Owner>` +
  `<AccessControlList><Grant><Grantee xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:type="CanonicalUser">` +
  `<ID>${id}</ID></Grantee><Permission>${permission}</Permission></Grant></AccessControlList></AccessControlPolicy>`;

function assertAclsDisabled(r: { status: number; body: string }): void {
  assert.equal(r.status, 400);
  assert.equal(xmlText(r.body, 'Code'), 'AccessControlListNotSupported');
  assert.equal(xmlText(r.body, 'Message'), 'The bucket does not allow ACLs');
}

describe('ACLs disabled (BucketOwnerEnforced)', () => {
  let h: Harness;
  before(async () => {
    h = await s3Harness();
    await h.call({ method: 'PUT', bucket: 'acls' });
    await h.call({ method: 'PUT', bucket: 'acls', key: 'k', body: 'x' });
  });
  after(() => h.close());

  test('GetBucketAcl and GetObjectAcl answer the owner with FULL_CONTROL', async () => {
    for (const key of [undefined, 'k']) {
      const r = await h.call({ method: 'GET', bucket: 'acls', ...(key ? { key } : {}), query: { acl: '' } });
      assert.equal(r.status, 200);
      assert.equal(r.trail.operation, key ? 'GetObjectAcl' : 'GetBucketAcl');
      assert.deepEqual(
        r.trail.decision?.authorizations.map((a) => a.action),
        [key ? 's3:GetObjectAcl' : 's3:GetBucketAcl'],
      );
      assert.deepEqual(xmlTexts(r.body, 'ID'), [OWNER, OWNER]);
      assert.deepEqual(xmlTexts(r.body, 'Permission'), ['FULL_CONTROL']);
      assert.match(r.body, /xsi:type="CanonicalUser"/);
    }
    const missing = await h.call({ method: 'GET', bucket: 'acls', key: 'nope', query: { acl: '' } });
    assert.equal(xmlText(missing.body, 'Code'), 'NoSuchKey');
  });

  test('PutBucketAcl accepts private and an owner-only body; anything else is AccessControlListNotSupported', async () => {
    const ok = await h.call({
      method: 'PUT',
      bucket: 'acls',
      query: { acl: '' },
      headers: { 'x-amz-acl': 'private' },
    });
    assert.equal(ok.status, 200);
    assert.equal(ok.trail.decision?.authorizations[0]?.action, 's3:PutBucketAcl');
    const body = await h.call({ method: 'PUT', bucket: 'acls', query: { acl: '' }, body: ownerOnly(OWNER) });
    assert.equal(body.status, 200);
    assertAclsDisabled(
      await h.call({
        method: 'PUT',
        bucket: 'acls',
        query: { acl: '' },
        headers: { 'x-amz-acl': 'public-read' },
      }),
    );
    assertAclsDisabled(
      await h.call({
        method: 'PUT',
        bucket: 'acls',
        query: { acl: '' },
        body: ownerOnly(canonicalUserId(B)),
      }),
    );
    assertAclsDisabled(
      await h.call({ method: 'PUT', bucket: 'acls', query: { acl: '' }, body: ownerOnly(OWNER, 'READ') }),
    );
    assertAclsDisabled(
      await h.call({
        method: 'PUT',
        bucket: 'acls',
        query: { acl: '' },
        headers: { 'x-amz-grant-read': 'uri="http://acs.amazonaws.com/groups/global/AllUsers"' },
      }),
    );
    const owner = await h.call({
      method: 'PUT',
      bucket: 'acls',
      query: { acl: '' },
      headers: { 'x-amz-grant-full-control': `id="${OWNER}"` },
    });
    assert.equal(owner.status, 200);
  });

  test('PutObjectAcl accepts private and bucket-owner-full-control only', async () => {
    for (const acl of ['private', 'bucket-owner-full-control']) {
      const r = await h.call({
        method: 'PUT',
        bucket: 'acls',
        key: 'k',
        query: { acl: '' },
        headers: { 'x-amz-acl': acl },
      });
      assert.equal(r.status, 200, acl);
      assert.equal(r.trail.operation, 'PutObjectAcl');
    }
    assertAclsDisabled(
      await h.call({
        method: 'PUT',
        bucket: 'acls',
        key: 'k',
        query: { acl: '' },
        headers: { 'x-amz-acl': 'public-read' },
      }),
    );
  });

  test('x-amz-acl on CreateBucket, PutObject, CopyObject and CreateMultipartUpload', async () => {
    const publicBucket = await h.call({
      method: 'PUT',
      bucket: 'acl-public',
      headers: { 'x-amz-acl': 'public-read' },
    });
    assert.equal(publicBucket.status, 400);
    assert.equal(xmlText(publicBucket.body, 'Code'), 'InvalidBucketAclWithObjectOwnership');
    assert.equal(
      xmlText(publicBucket.body, 'Message'),
      "Bucket cannot have ACLs set with ObjectOwnership's BucketOwnerEnforced setting",
    );
    assert.equal(await h.store.buckets.get('acl-public'), undefined);
    assert.equal(
      (await h.call({ method: 'PUT', bucket: 'acl-private', headers: { 'x-amz-acl': 'private' } })).status,
      200,
    );
    assertAclsDisabled(
      await h.call({
        method: 'PUT',
        bucket: 'acls',
        key: 'p',
        body: 'x',
        headers: { 'x-amz-acl': 'public-read-write' },
      }),
    );
    assert.equal(await h.store.objects.get('acls', 'p'), undefined);
    const owned = await h.call({
      method: 'PUT',
      bucket: 'acls',
      key: 'p',
      body: 'x',
      headers: { 'x-amz-acl': 'bucket-owner-full-control' },
    });
    assert.equal(owned.status, 200);
    assert.deepEqual(
      owned.trail.decision?.authorizations.map((a) => a.action),
      ['s3:PutObject', 's3:PutObjectAcl'],
    );
    assertAclsDisabled(
      await h.call({
        method: 'PUT',
        bucket: 'acls',
        key: 'copy',
        headers: { 'x-amz-copy-source': '/acls/k', 'x-amz-acl': 'authenticated-read' },
      }),
    );
    assertAclsDisabled(
      await h.call({
        method: 'POST',
        bucket: 'acls',
        key: 'mp',
        query: { uploads: '' },
        headers: { 'x-amz-acl': 'public-read' },
      }),
    );
  });

  test('a bucket policy condition on s3:x-amz-acl decides PutObject', async () => {
    await h.call({
      method: 'PUT',
      bucket: 'acls',
      query: { policy: '' },
      body: JSON.stringify({
        Version: '2012-10-17',
        Statement: [
          {
            Effect: 'Allow',
            Principal: { AWS: `arn:aws:iam::${B}:root` },
            Action: ['s3:PutObject', 's3:PutObjectAcl'],
            Resource: 'arn:aws:s3:::acls/*',
            Condition: { StringEquals: { 's3:x-amz-acl': 'bucket-owner-full-control' } },
          },
        ],
      }),
    });
    const without = await h.call({
      method: 'PUT',
      bucket: 'acls',
      key: 'from-b',
      body: 'x',
      caller: rootOf(B),
    });
    assert.equal(without.status, 403);
    const withAcl = await h.call({
      method: 'PUT',
      bucket: 'acls',
      key: 'from-b',
      body: 'x',
      caller: rootOf(B),
      headers: { 'x-amz-acl': 'bucket-owner-full-control' },
    });
    assert.equal(withAcl.status, 200);
  });

  test('GetBucketOwnershipControls is BucketOwnerEnforced; Put accepts only that, others are 501', async () => {
    const got = await h.call({ method: 'GET', bucket: 'acls', query: { ownershipControls: '' } });
    assert.equal(got.status, 200);
    assert.equal(xmlText(got.body, 'ObjectOwnership'), 'BucketOwnerEnforced');
    const rule = (v: string) =>
      `<OwnershipControls xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Rule><ObjectOwnership>${v}</ObjectOwnership></Rule></OwnershipControls>`;
    const put = await h.call({
      method: 'PUT',
      bucket: 'acls',
      query: { ownershipControls: '' },
      body: rule('BucketOwnerEnforced'),
    });
    assert.equal(put.status, 200);
    assert.equal(put.trail.decision?.authorizations[0]?.action, 's3:PutBucketOwnershipControls');
    const writer = await h.call({
      method: 'PUT',
      bucket: 'acls',
      query: { ownershipControls: '' },
      body: rule('ObjectWriter'),
    });
    assert.equal(writer.status, 501);
    assert.equal(xmlText(writer.body, 'Code'), 'InternalFailure');
    assert.match(xmlText(writer.body, 'Message') ?? '', /is not implemented$/);
    const bad = await h.call({
      method: 'PUT',
      bucket: 'acls',
      query: { ownershipControls: '' },
      body: rule('Nobody'),
    });
    assert.equal(xmlText(bad.body, 'Code'), 'MalformedXML');
    const del = await h.call({ method: 'DELETE', bucket: 'acls', query: { ownershipControls: '' } });
    assert.equal(del.status, 501);
    assert.equal(xmlText(del.body, 'Message'), 'S3.DeleteBucketOwnershipControls is not implemented');
  });
});
