import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  MISSING_AUTHENTICATION_MESSAGE,
  SIGNATURE_DOES_NOT_MATCH_MESSAGE,
  UNKNOWN_ACCESS_KEY_MESSAGE,
  skewMessage,
} from '../sigv4/failures.js';
import { queryAuthError } from './query-auth-error.js';

test('an unknown access key is InvalidClientTokenId 403 "The security token included in the request is invalid."', () => {
  const e = queryAuthError({
    code: 'UnknownAccessKey',
    message: UNKNOWN_ACCESS_KEY_MESSAGE,
    accessKeyId: 'AKIAX',
  });
  assert.deepEqual(
    [e.code, e.status, e.fault, e.message],
    ['InvalidClientTokenId', 403, 'Sender', 'The security token included in the request is invalid.'],
  );
});

test('a missing signature is MissingAuthenticationToken 403', () => {
  const e = queryAuthError({ code: 'MissingAuthentication', message: MISSING_AUTHENTICATION_MESSAGE });
  assert.deepEqual(
    [e.code, e.status, e.message],
    ['MissingAuthenticationToken', 403, 'Request is missing Authentication Token'],
  );
});

test('a bad signature is SignatureDoesNotMatch 403 with the awsQuery wording', () => {
  const e = queryAuthError({
    code: 'SignatureDoesNotMatch',
    message: SIGNATURE_DOES_NOT_MATCH_MESSAGE,
    accessKeyId: 'AKIAX',
    signatureProvided: 'ab',
    canonicalRequest: '',
    stringToSign: '',
  });
  assert.deepEqual(
    [e.code, e.status, e.message],
    ['SignatureDoesNotMatch', 403, SIGNATURE_DOES_NOT_MATCH_MESSAGE],
  );
});

test('clock skew is SignatureDoesNotMatch with "Signature expired: ..."', () => {
  const now = Date.UTC(2022, 0, 27, 1, 59, 28);
  const requestTime = Date.UTC(2022, 0, 27, 0, 14, 27);
  const e = queryAuthError({
    code: 'RequestTimeTooSkewed',
    message: skewMessage('20220127T001427Z', requestTime, now, 900_000),
    requestTime,
    serverTime: now,
    maxSkewMs: 900_000,
  });
  assert.equal(e.code, 'SignatureDoesNotMatch');
  assert.equal(e.status, 403);
  assert.equal(
    e.message,
    'Signature expired: 20220127T001427Z is now earlier than 20220127T014428Z (20220127T015928Z - 15 min.)',
  );
});

test('a body that differs from its declared digest is SignatureDoesNotMatch, not an S3 code', () => {
  const e = queryAuthError({ code: 'ContentSha256Mismatch', message: 'x', provided: 'a', computed: 'b' });
  assert.deepEqual([e.code, e.message], ['SignatureDoesNotMatch', SIGNATURE_DOES_NOT_MATCH_MESSAGE]);
});

test('a malformed Authorization header is IncompleteSignature 400; a wrong terminator SignatureDoesNotMatch', () => {
  assert.equal(queryAuthError({ code: 'MalformedAuthorization', message: 'm' }).code, 'IncompleteSignature');
  assert.equal(queryAuthError({ code: 'MalformedAuthorization', message: 'm' }).status, 400);
  const t = queryAuthError({
    code: 'MalformedCredential',
    message: 'm',
    credential: 'c',
    reason: 'terminator',
  });
  assert.deepEqual([t.code, t.status], ['SignatureDoesNotMatch', 403]);
});
