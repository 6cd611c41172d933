import assert from 'node:assert/strict';
import { test } from 'node:test';
import { noSuchKey } from './errors.js';
import { encodeS3Error } from './wire-error.js';

const REQUEST_ID = '00000000-0000-4000-8000-000000000001';

test("an AwsError becomes S3's <Error> with its fields, RequestId and HostId, and the id headers", () => {
  const r = encodeS3Error(noSuchKey('a<b'), { requestId: REQUEST_ID, method: 'GET' });
  assert.equal(r.status, 404);
  assert.equal(r.headers['x-amz-request-id'], REQUEST_ID);
  assert.equal(typeof r.headers['x-amz-id-2'], 'string');
  assert.equal(
    r.body,
    `<?xml version="1.0" encoding="UTF-8"?>\n<Error>\n  <Code>NoSuchKey</Code>\n  <Message>The specified key does not exist.</Message>\n  <Key>a&lt;b</Key>\n  <RequestId>${REQUEST_ID}</RequestId>\n  <HostId>${r.headers['x-amz-id-2']}</HostId>\n</Error>\n`,
  );
});

test('HEAD answers carry no body; anything else thrown is InternalError without its details', () => {
  assert.equal(encodeS3Error(noSuchKey('k'), { requestId: REQUEST_ID, method: 'HEAD' }).body, undefined);
  const r = encodeS3Error(new Error('secret stack detail'), { requestId: REQUEST_ID, method: 'GET' });
  assert.equal(r.status, 500);
  assert.equal(typeof r.body, 'string');
  const body = typeof r.body === 'string' ? r.body : '';
  assert.match(body, /<Code>InternalError<\/Code>/);
  assert.doesNotMatch(body, /secret stack detail/);
});
