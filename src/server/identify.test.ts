import assert from 'node:assert/strict';
import { test } from 'node:test';
import { identifyService, isS3Request } from './identify.js';

const owner = (action: string) => (action === 'AssumeRoleWithWebIdentity' ? 'sts' : undefined);

test('a signed request goes to the service of its credential scope, whatever its host or Action', () => {
  assert.equal(
    identifyService({ scopeService: 'iam', action: 'AssumeRoleWithWebIdentity', host: 'sts.x' }, owner),
    'iam',
  );
});

test('an unsigned request goes to the service that implements its Action', () => {
  assert.equal(
    identifyService({ action: 'AssumeRoleWithWebIdentity', host: '127.0.0.1:4566' }, owner),
    'sts',
  );
});

test('then the host: sts.* and iam.*; anything else is S3', () => {
  assert.equal(identifyService({ host: 'sts.us-west-2.amazonaws.com' }, owner), 'sts');
  assert.equal(identifyService({ host: 'IAM.amazonaws.com' }, owner), 'iam');
  assert.equal(identifyService({ action: 'Nope', host: '127.0.0.1' }, owner), 's3');
  assert.equal(identifyService({ scopeService: '' }, owner), 's3');
});

test('S3 is decided before the body is read: scope s3, else not awsQuery-shaped', () => {
  const base = { method: 'GET', path: '/', query: '' };
  assert.equal(isS3Request({ ...base, scopeService: 's3', host: 'sts.amazonaws.com' }), true);
  assert.equal(isS3Request({ ...base, scopeService: 'sts' }), false);
  assert.equal(isS3Request({ ...base, host: 'bucket.localhost:4566' }), true);
  assert.equal(isS3Request({ ...base, host: 'bucket.s3.amazonaws.com', path: '/key' }), true);
  assert.equal(isS3Request({ ...base, host: 'iam.amazonaws.com' }), false);
  assert.equal(isS3Request({ ...base, query: 'Action=GetCallerIdentity' }), false);
  // AssumeRoleWithWebIdentity: an unsigned form POST to `/`.
  assert.equal(
    isS3Request({ method: 'POST', path: '/', query: '', contentType: 'application/x-www-form-urlencoded' }),
    false,
  );
  assert.equal(
    isS3Request({ method: 'POST', path: '/bucket', query: 'delete', contentType: 'application/xml' }),
    true,
  );
});
