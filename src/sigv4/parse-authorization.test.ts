import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { SigV4Failure } from './failures.js';
import { parseAuthorization } from './parse-authorization.js';
import type { HttpHeaders } from './types.js';

const CREDENTIAL = 'AKIDEXAMPLE/20150830/us-east-1/service/aws4_request';
const SIGNATURE = '5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31';
const AUTHORIZATION = `AWS4-HMAC-SHA256 Credential=${CREDENTIAL}, SignedHeaders=host;x-amz-date, Signature=${SIGNATURE}`;
const DATED = { host: 'example.amazonaws.com', 'x-amz-date': '20150830T123600Z' };

function parsed(headers: HttpHeaders, query = '') {
  const result = parseAuthorization(headers, query);
  assert.ok(result.ok, result.ok ? '' : `${result.failure.code}: ${result.failure.message}`);
  return result.auth;
}

function failure(headers: HttpHeaders, query = ''): SigV4Failure {
  const result = parseAuthorization(headers, query);
  assert.ok(!result.ok, 'expected a failure');
  return result.failure;
}

const presigned = (params: Record<string, string>): string =>
  Object.entries(params)
    .map(([k, v]) => `${k}=${encodeURIComponent(v)}`)
    .join('&');

const QUERY = {
  'X-Amz-Algorithm': 'AWS4-HMAC-SHA256',
  'X-Amz-Credential': CREDENTIAL,
  'X-Amz-Date': '20150830T123600Z',
  'X-Amz-Expires': '3600',
  'X-Amz-SignedHeaders': 'host',
  'X-Amz-Signature': SIGNATURE,
};

test('the Authorization header gives the credential scope, the signed headers and the signature', () => {
  assert.deepEqual(parsed({ ...DATED, authorization: AUTHORIZATION }), {
    authType: 'REST-HEADER',
    accessKeyId: 'AKIDEXAMPLE',
    scope: { date: '20150830', region: 'us-east-1', service: 'service' },
    credentialScope: '20150830/us-east-1/service/aws4_request',
    signedHeaders: ['host', 'x-amz-date'],
    signature: SIGNATURE,
    dateTime: '20150830T123600Z',
    requestTime: Date.UTC(2015, 7, 30, 12, 36),
  });
});

test('the spacing variants clients send all parse alike', () => {
  const expected = parsed({ ...DATED, authorization: AUTHORIZATION });
  for (const variant of [
    `AWS4-HMAC-SHA256 Credential=${CREDENTIAL},SignedHeaders=host;x-amz-date,Signature=${SIGNATURE}`,
    `AWS4-HMAC-SHA256   Credential=${CREDENTIAL} ,  SignedHeaders=host;x-amz-date ,Signature=${SIGNATURE}`,
    `AWS4-HMAC-SHA256\tCredential = ${CREDENTIAL}, SignedHeaders = host;x-amz-date, Signature = ${SIGNATURE}`,
    `AWS4-HMAC-SHA256 Signature=${SIGNATURE}, Credential=${CREDENTIAL}, SignedHeaders=host;x-amz-date,`,
    ` ${AUTHORIZATION} `,
  ]) {
    assert.deepEqual(parsed({ ...DATED, authorization: variant }), expected, variant);
  }
});

test('header names in SignedHeaders are compared in lower case', () => {
  const auth = parsed({
    ...DATED,
    authorization: AUTHORIZATION.replace('host;x-amz-date', 'Host;X-Amz-Date'),
  });
  assert.deepEqual(auth.signedHeaders, ['host', 'x-amz-date']);
});

test('missing parts are IncompleteSignature, worded as AWS does, the header quoted back', () => {
  const noSignature = `AWS4-HMAC-SHA256 Credential=${CREDENTIAL}, SignedHeaders=host;x-amz-date`;
  assert.deepEqual(failure({ ...DATED, authorization: noSignature }), {
    code: 'IncompleteSignature',
    message: `Authorization header requires 'Signature' parameter. Authorization=${noSignature}`,
    missing: ['Signature'],
    authType: 'REST-HEADER',
  });
  const bare = failure({ authorization: 'AWS4-HMAC-SHA256' });
  assert.equal(
    bare.message,
    "Authorization header requires 'Credential' parameter. Authorization header requires 'Signature' parameter. Authorization header requires 'SignedHeaders' parameter. Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header. Authorization=AWS4-HMAC-SHA256",
  );
});

test('a request with neither X-Amz-Date nor Date is MissingDate', () => {
  assert.deepEqual(failure({ host: 'h', authorization: AUTHORIZATION }), {
    code: 'MissingDate',
    message: `Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header. Authorization=${AUTHORIZATION}`,
    authType: 'REST-HEADER',
  });
});

test('a part without an equal sign is refused with AWS wording', () => {
  const bad = `AWS4-HMAC-SHA256 Credential ${CREDENTIAL}, SignedHeaders=host, Signature=${SIGNATURE}`;
  const f = failure({ ...DATED, authorization: bad });
  assert.equal(f.code, 'MalformedAuthorization');
  assert.equal(
    f.message,
    `'Credential ${CREDENTIAL}' not a valid key=value pair (missing equal-sign) in Authorization header: '${bad}'.`,
  );
});

test('a part given twice is refused', () => {
  const f = failure({ ...DATED, authorization: `${AUTHORIZATION}, Signature=${SIGNATURE}` });
  assert.deepEqual(
    [f.code, f.message],
    ['MalformedAuthorization', 'the Authorization header gives `Signature` twice'],
  );
});

test('SignedHeaders with an empty or a repeated name is refused', () => {
  const empty = failure({
    ...DATED,
    authorization: AUTHORIZATION.replace('host;x-amz-date', 'host;;x-amz-date'),
  });
  assert.deepEqual(
    [empty.code, empty.message],
    ['MalformedAuthorization', 'SignedHeaders has an empty header name: `host;;x-amz-date`'],
  );
  const twice = failure({ ...DATED, authorization: AUTHORIZATION.replace('host;x-amz-date', 'host;Host') });
  assert.deepEqual(
    [twice.code, twice.message],
    ['MalformedAuthorization', 'SignedHeaders names a header twice: `host;Host`'],
  );
  // Unsorted lists too, where the repeat is not next to its twin.
  for (const list of ['x-amz-date;host;x-amz-date', 'host;a;b;a;x-amz-date', 'b;a;host;b']) {
    const f = failure({ ...DATED, authorization: AUTHORIZATION.replace('host;x-amz-date', list) });
    assert.equal(f.code, 'MalformedAuthorization', list);
  }
  // A list out of order but without repeats is the client's order, and signs as such.
  const unsorted = parsed({
    ...DATED,
    authorization: AUTHORIZATION.replace('host;x-amz-date', 'x-amz-date;host'),
  });
  assert.deepEqual(unsorted.signedHeaders, ['x-amz-date', 'host']);
});

test('a credential that is not AKID/DATE/REGION/SERVICE/aws4_request is MalformedCredential', () => {
  const shape = failure({
    ...DATED,
    authorization: AUTHORIZATION.replace(CREDENTIAL, 'AKIDEXAMPLE/20150830/us-east-1/service'),
  });
  assert.deepEqual(shape, {
    code: 'MalformedCredential',
    message:
      'The authorization header is malformed; the Credential is mal-formed; expecting "<YOUR-AKID>/YYYYMMDD/REGION/SERVICE/aws4_request".',
    credential: 'AKIDEXAMPLE/20150830/us-east-1/service',
    reason: 'shape',
    authType: 'REST-HEADER',
  });
  const date = failure({ ...DATED, authorization: AUTHORIZATION.replace('/20150830/', '/2015-08-30/') });
  assert.deepEqual(
    [date.code, date.code === 'MalformedCredential' && date.reason],
    ['MalformedCredential', 'date'],
  );
  const terminator = failure({
    ...DATED,
    authorization: AUTHORIZATION.replace('aws4_request', 'aws4_requests'),
  });
  assert.equal(
    terminator.message,
    "Credential should be scoped with a valid terminator: 'aws4_request', not 'aws4_requests'. ",
  );
});

test('an empty region is a valid scope (s3-tests signs STS and IAM with region_name="")', () => {
  const auth = parsed({ ...DATED, authorization: AUTHORIZATION.replace('/us-east-1/', '//') });
  assert.deepEqual(auth.scope, { date: '20150830', region: '', service: 'service' });
  assert.equal(auth.credentialScope, '20150830//service/aws4_request');
});

test('the credential date must be the day of X-Amz-Date, to the second', () => {
  const f = failure({ ...DATED, authorization: AUTHORIZATION.replace('/20150830/', '/20150829/') });
  assert.deepEqual(f, {
    code: 'CredentialDateMismatch',
    message:
      "Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '20150829' != '20150830', from '20150830T123600Z'.",
    credentialDate: '20150829',
    dateTime: '20150830T123600Z',
    authType: 'REST-HEADER',
  });
});

test('X-Amz-Date is used first; the Date header only without it', () => {
  const both = parsed({ ...DATED, date: 'Mon, 31 Aug 2015 00:00:00 GMT', authorization: AUTHORIZATION });
  assert.equal(both.dateTime, '20150830T123600Z');
  const onlyDate = parsed({ host: 'h', date: 'Sun, 30 Aug 2015 12:36:00 GMT', authorization: AUTHORIZATION });
  assert.equal(onlyDate.dateTime, '20150830T123600Z');
});

test('an unreadable X-Amz-Date is MalformedDate', () => {
  const f = failure({ host: 'h', 'x-amz-date': '2015-08-30T12:36:00Z', authorization: AUTHORIZATION });
  assert.deepEqual(f, {
    code: 'MalformedDate',
    message: 'AWS authentication requires a valid Date or x-amz-date header',
    value: '2015-08-30T12:36:00Z',
    authType: 'REST-HEADER',
  });
  assert.equal(
    failure({
      host: 'h',
      'x-amz-date': ['20150830T123600Z', '20150830T123600Z'],
      authorization: AUTHORIZATION,
    }).code,
    'MalformedDate',
  );
});

test('algorithms other than AWS4-HMAC-SHA256 are UnsupportedAlgorithm: SigV4a, SigV2, anything else', () => {
  const v4a = failure({
    ...DATED,
    authorization: AUTHORIZATION.replace('AWS4-HMAC-SHA256', 'AWS4-ECDSA-P256-SHA256'),
  });
  assert.deepEqual(v4a, {
    code: 'UnsupportedAlgorithm',
    message:
      'unsupported signing algorithm `AWS4-ECDSA-P256-SHA256` (SigV4a): only AWS4-HMAC-SHA256 is supported',
    algorithm: 'AWS4-ECDSA-P256-SHA256',
    authType: 'REST-HEADER',
  });
  const v2 = failure({ ...DATED, authorization: 'AWS AKIDEXAMPLE:frJIUN8DYpKDtOLCwo//yllqDzg=' });
  assert.deepEqual(
    [v2.code, v2.code === 'UnsupportedAlgorithm' && v2.algorithm],
    ['UnsupportedAlgorithm', 'AWS'],
  );
  assert.equal(failure({ authorization: 'Bearer eyJhbGciOi' }).code, 'UnsupportedAlgorithm');
  const v2Query = failure(
    { host: 'h' },
    'AWSAccessKeyId=AKIDEXAMPLE&Expires=1141889120&Signature=vjbyPxybdZaNmGa%2ByT272YEAiv4%3D',
  );
  assert.deepEqual([v2Query.code, v2Query.authType], ['UnsupportedAlgorithm', 'REST-QUERY-STRING']);
});

test('a request both with an Authorization header and presigned is refused as ambiguous', () => {
  const f = failure({ ...DATED, authorization: AUTHORIZATION }, presigned(QUERY));
  assert.deepEqual(f, {
    code: 'AmbiguousAuthentication',
    message:
      'Only one auth mechanism allowed; only the X-Amz-Algorithm query parameter, Signature query string parameter or the Authorization header should be specified',
  });
});

test('a request with no authentication at all is MissingAuthentication', () => {
  assert.deepEqual(failure({ host: 'h' }, 'Action=AssumeRoleWithWebIdentity'), {
    code: 'MissingAuthentication',
    message: 'Request is missing Authentication Token',
  });
});

test('more than one Authorization header is refused; a one-element list is the header', () => {
  assert.equal(
    failure({ ...DATED, authorization: [AUTHORIZATION, AUTHORIZATION] }).code,
    'MalformedAuthorization',
  );
  assert.equal(parsed({ ...DATED, authorization: [AUTHORIZATION] }).signature, SIGNATURE);
});

test('the session token comes from x-amz-security-token; an empty one is none', () => {
  assert.equal(
    parsed({ ...DATED, 'x-amz-security-token': ' TOKEN ', authorization: AUTHORIZATION }).sessionToken,
    'TOKEN',
  );
  assert.equal(
    parsed({ ...DATED, 'x-amz-security-token': '', authorization: AUTHORIZATION }).sessionToken,
    undefined,
  );
  assert.equal(
    failure({ ...DATED, 'x-amz-security-token': ['a', 'b'], authorization: AUTHORIZATION }).code,
    'MalformedAuthorization',
  );
});

test('a presigned URL gives the same facts from its X-Amz-* parameters, and its lifetime', () => {
  const auth = parsed({ host: 'h' }, presigned({ ...QUERY, 'X-Amz-Security-Token': 'a/b+c=' }));
  assert.deepEqual(
    {
      authType: auth.authType,
      accessKeyId: auth.accessKeyId,
      expiresSeconds: auth.expiresSeconds,
      sessionToken: auth.sessionToken,
    },
    {
      authType: 'REST-QUERY-STRING',
      accessKeyId: 'AKIDEXAMPLE',
      expiresSeconds: 3600,
      sessionToken: 'a/b+c=',
    },
  );
  assert.deepEqual(auth.signedHeaders, ['host']);
});

test('a presigned URL missing a parameter is IncompleteSignature, with S3 wording', () => {
  const rest: Record<string, string> = { ...QUERY };
  delete rest['X-Amz-Expires'];
  delete rest['X-Amz-Date'];
  assert.deepEqual(failure({ host: 'h' }, presigned(rest)), {
    code: 'IncompleteSignature',
    message:
      'Query-string authentication version 4 requires the X-Amz-Algorithm, X-Amz-Credential, X-Amz-Signature, X-Amz-Date, X-Amz-SignedHeaders, and X-Amz-Expires parameters.',
    missing: ['X-Amz-Date', 'X-Amz-Expires'],
    authType: 'REST-QUERY-STRING',
  });
  const noAlgorithm: Record<string, string> = { ...QUERY };
  delete noAlgorithm['X-Amz-Algorithm'];
  assert.equal(failure({ host: 'h' }, presigned(noAlgorithm)).code, 'IncompleteSignature');
});

test('X-Amz-Expires is a whole number of seconds from 0 to 604800', () => {
  assert.equal(parsed({ host: 'h' }, presigned({ ...QUERY, 'X-Amz-Expires': '0' })).expiresSeconds, 0);
  assert.equal(parsed({ host: 'h' }, presigned({ ...QUERY, 'X-Amz-Expires': '1' })).expiresSeconds, 1);
  assert.equal(
    parsed({ host: 'h' }, presigned({ ...QUERY, 'X-Amz-Expires': '604800' })).expiresSeconds,
    604800,
  );
  const cases: [string, string][] = [
    [
      '604801',
      'X-Amz-Expires must be less than a week (in seconds); that is, the given X-Amz-Expires must be less than 604800 seconds',
    ],
    [
      '99999999',
      'X-Amz-Expires must be less than a week (in seconds); that is, the given X-Amz-Expires must be less than 604800 seconds',
    ],
    ['-5', 'X-Amz-Expires must be non-negative'],
    ['1.5', 'X-Amz-Expires should be a number'],
    ['soon', 'X-Amz-Expires should be a number'],
  ];
  for (const [value, message] of cases) {
    assert.deepEqual(failure({ host: 'h' }, presigned({ ...QUERY, 'X-Amz-Expires': value })), {
      code: 'InvalidExpires',
      message,
      value,
      authType: 'REST-QUERY-STRING',
    });
  }
});

test('presigned parameters are case-sensitive, and one given twice is refused', () => {
  assert.equal(
    failure({ host: 'h' }, presigned(QUERY).replace('X-Amz-Date', 'x-amz-date')).code,
    'IncompleteSignature',
  );
  const twice = failure({ host: 'h' }, `${presigned(QUERY)}&X-Amz-Date=20150830T123600Z`);
  assert.deepEqual(
    [twice.code, twice.message],
    ['MalformedAuthorization', 'the query gives `X-Amz-Date` 2 times'],
  );
});

test('an unreadable X-Amz-Date of a presigned URL is MalformedDate, with S3 wording', () => {
  const f = failure({ host: 'h' }, presigned({ ...QUERY, 'X-Amz-Date': '20150830' }));
  assert.deepEqual(
    [f.code, f.message],
    ['MalformedDate', "X-Amz-Date must be in the ISO8601 Long Format \"yyyyMMdd'T'HHmmss'Z'\""],
  );
});

test('a malformed X-Amz-Credential is worded for the query', () => {
  const f = failure({ host: 'h' }, presigned({ ...QUERY, 'X-Amz-Credential': 'AKIDEXAMPLE' }));
  assert.equal(
    f.message,
    'Error parsing the X-Amz-Credential parameter; the Credential is mal-formed; expecting "<YOUR-AKID>/YYYYMMDD/REGION/SERVICE/aws4_request".',
  );
});
