import assert from 'node:assert/strict';
import { test } from 'node:test';
import { openChunkedBody } from './open-chunked-body.js';
import { AWS_EXAMPLE, awsExampleBody } from './testdata/aws-chunked.js';
import { EMPTY_SHA256 } from './types.js';
import { verifyRequest, type VerifiedRequest } from './verify-request.js';

function verifiedExample(): VerifiedRequest {
  const verified = verifyRequest(
    { method: 'PUT', path: AWS_EXAMPLE.path, query: '', headers: AWS_EXAMPLE.headers },
    { secretFor: () => AWS_EXAMPLE.secret, now: AWS_EXAMPLE.now },
  );
  assert.equal(verified.ok, true);
  return verified;
}

test("AWS's example request opens a decoder chained on its own signature, which decodes its body", () => {
  const opened = openChunkedBody(verifiedExample(), AWS_EXAMPLE.headers);
  assert.ok(opened?.ok);
  assert.deepEqual(opened.framing, {
    ok: true,
    mode: 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD',
    decodedLength: 66560,
    trailerNames: [],
  });
  const pushed = opened.decoder.push(awsExampleBody());
  assert.equal(pushed.ok, true);
  assert.equal(opened.decoder.end().ok, true);
});

test('a plain body opens nothing; bad framing headers fail before any byte is read', () => {
  const plain = { ...verifiedExample(), payloadHash: EMPTY_SHA256 };
  assert.equal(openChunkedBody(plain, AWS_EXAMPLE.headers), undefined);
  const headers = Object.fromEntries(
    Object.entries(AWS_EXAMPLE.headers).filter(([name]) => name !== 'x-amz-decoded-content-length'),
  );
  const opened = openChunkedBody(verifiedExample(), headers);
  assert.equal(opened?.ok, false);
  if (opened !== undefined && !opened.ok) assert.equal(opened.failure.code, 'MissingContentLength');
});
