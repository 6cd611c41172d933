import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { locationConstraint } from './create-bucket.js';
import { A, B, rootOf, s3Harness, xmlText, type Harness } from '../testdata/harness.js';

describe('CreateBucket', () => {
  let h: Harness;
  before(async () => {
    h = await s3Harness();
  });
  after(() => h.close());

  test('creates the bucket in the caller account and region, answering Location', async () => {
    const r = await h.call({ method: 'PUT', bucket: 'new-bucket' });
    assert.equal(r.status, 200);
    assert.equal(r.headers.Location, '/new-bucket');
    const stored = await h.store.buckets.get('new-bucket');
    assert.equal(stored?.accountId, A);
    assert.equal(stored?.region, 'us-east-1');
    assert.equal(r.trail.decision?.authorizations[0]?.action, 's3:CreateBucket');
  });

  test('us-east-1 answers 200 to the owner again; another account gets BucketAlreadyExists', async () => {
    assert.equal((await h.call({ method: 'PUT', bucket: 'new-bucket' })).status, 200);
    const other = await h.call({ method: 'PUT', bucket: 'new-bucket', caller: rootOf(B) });
    assert.equal(other.status, 409);
    assert.equal(xmlText(other.body, 'Code'), 'BucketAlreadyExists');
    assert.equal(xmlText(other.body, 'BucketName'), 'new-bucket');
  });

  test('names that break S3 rules are InvalidBucketName', async () => {
    for (const name of [
      'ab',
      'Upper',
      'a..b',
      '192.168.1.1',
      'xn--abc',
      'x-s3alias'.padStart(12, 'a'),
      '-start',
    ]) {
      const r = await h.call({ method: 'PUT', bucket: name });
      assert.equal(xmlText(r.body, 'Code'), 'InvalidBucketName', name);
      assert.equal(xmlText(r.body, 'Message'), 'The specified bucket is not valid.');
    }
  });

  test('ACL headers need s3:PutBucketAcl too', async () => {
    const r = await h.call({ method: 'PUT', bucket: 'with-acl', headers: { 'x-amz-acl': 'private' } });
    assert.deepEqual(
      r.trail.decision?.authorizations.map((a) => a.action),
      ['s3:CreateBucket', 's3:PutBucketAcl'],
    );
  });

  test('a LocationConstraint for another region is refused; malformed XML is MalformedXML', async () => {
    const body = (lc: string) =>
      `<CreateBucketConfiguration xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><LocationConstraint>${lc}</LocationConstraint></CreateBucketConfiguration>`;
    const wrong = await h.call({ method: 'PUT', bucket: 'lc-bucket', body: body('eu-west-1') });
    assert.equal(xmlText(wrong.body, 'Code'), 'IllegalLocationConstraintException');
    const east = await h.call({ method: 'PUT', bucket: 'lc-bucket', body: body('us-east-1') });
    assert.equal(xmlText(east.body, 'Code'), 'InvalidLocationConstraint');
    const bad = await h.call({ method: 'PUT', bucket: 'lc-bucket', body: '<nope>' });
    assert.equal(xmlText(bad.body, 'Code'), 'MalformedXML');
    assert.equal(await h.store.buckets.get('lc-bucket'), undefined);
  });

  test('locationConstraint reads exactly the CreateBucketConfiguration document', () => {
    assert.equal(locationConstraint(Buffer.from('')), '');
    assert.equal(locationConstraint(Buffer.from('<CreateBucketConfiguration/>')), '');
    assert.equal(
      locationConstraint(
        Buffer.from(
          '<?xml version="1.0" encoding="UTF-8"?>\n<CreateBucketConfiguration><LocationConstraint>eu-west-1</LocationConstraint></CreateBucketConfiguration>',
        ),
      ),
      'eu-west-1',
    );
    assert.throws(
      () => locationConstraint(Buffer.from('<CreateBucketConfiguration><X/></CreateBucketConfiguration>')),
      {
        code: 'MalformedXML',
      },
    );
  });
});
