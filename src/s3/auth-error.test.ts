import assert from 'node:assert/strict';
import { test } from 'node:test';
import { s3AuthError } from './auth-error.js';

test('SigV4 failures become S3 codes with S3 wording and members', () => {
  const unknown = s3AuthError({
    code: 'UnknownAccessKey',
    message: 'x',
    accessKeyId: 'AKIAX',
    authType: 'REST-HEADER',
  });
  assert.equal(unknown.code, 'InvalidAccessKeyId');
  assert.equal(unknown.status, 403);
  assert.equal(unknown.message, 'The AWS Access Key Id you provided does not exist in our records.');
  assert.equal(unknown.fields.AWSAccessKeyId, 'AKIAX');
  const mismatch = s3AuthError({ code: 'ContentSha256Mismatch', message: 'x', provided: 'a', computed: 'b' });
  assert.equal(mismatch.code, 'XAmzContentSHA256Mismatch');
  assert.equal(mismatch.status, 400);
  const malformedQuery = s3AuthError({
    code: 'IncompleteSignature',
    message: 'm',
    missing: ['X-Amz-Date'],
    authType: 'REST-QUERY-STRING',
  });
  assert.equal(malformedQuery.code, 'AuthorizationQueryParametersError');
  const malformedHeader = s3AuthError({
    code: 'IncompleteSignature',
    message: 'm',
    missing: ['Signature'],
    authType: 'REST-HEADER',
  });
  assert.equal(malformedHeader.code, 'AuthorizationHeaderMalformed');
  const expired = s3AuthError({
    code: 'RequestExpired',
    message: 'Request has expired',
    requestTime: 0,
    expiresSeconds: 60,
    expiresAt: 60_000,
    serverTime: 120_000,
    authType: 'REST-QUERY-STRING',
  });
  assert.equal(expired.code, 'AccessDenied');
  assert.equal(expired.fields['X-Amz-Expires'], '60');
});
