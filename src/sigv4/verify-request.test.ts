import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { test } from 'node:test';
import { buildCanonicalRequest } from './canonical-request.js';
import { pathRulesFor } from './canonical-uri.js';
import type { SigV4Failure, SigV4FailureCode } from './failures.js';
import { parseAuthorization } from './parse-authorization.js';
import { buildStringToSign, computeSignature } from './signature.js';
import { deriveSigningKey } from './signing-key.js';
import { SigningKeyCache } from './signing-key-cache.js';
import { EMPTY_SHA256, type SigV4Request } from './types.js';
import { verifyRequest, type VerifyOptions, type VerifyResult } from './verify-request.js';

// Signatures computed by others: the AWS SigV4 test suite (aws-c-auth) and requests captured from the AWS
// SDK for JavaScript v3 and aws-cli (docs/raw-requests.md §1.6, §1.11, §1.13, §3.4).
const EXAMPLE_KEY = 'AKIDEXAMPLE';
const EXAMPLE_SECRET = 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY';
const SUITE_TIME = Date.UTC(2015, 7, 30, 12, 36, 0);
const CAPTURE_TIME = Date.UTC(2026, 11, 4, 5, 20, 55);
const SESSION_KEY = 'ASIACAPTURE000000001';
const SESSION_SECRET = 'capturesecretcapturesecretcapturesecret0';
const SESSION_TOKEN = 'CAPTURESESSIONTOKEN';

/** Suite case get-vanilla, header form. */
const GET_VANILLA: SigV4Request = {
  method: 'GET',
  path: '/',
  query: '',
  headers: {
    host: 'example.amazonaws.com',
    'x-amz-date': '20150830T123600Z',
    authorization:
      'AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=host;x-amz-date, Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31',
  },
  payloadHash: EMPTY_SHA256,
};
const GET_VANILLA_CREQ =
  'GET\n/\n\nhost:example.amazonaws.com\nx-amz-date:20150830T123600Z\n\nhost;x-amz-date\ne3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';

/** Suite case get-vanilla, presigned form (X-Amz-Expires=3600). */
const GET_VANILLA_PRESIGNED: SigV4Request = {
  method: 'GET',
  path: '/',
  query:
    'X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIDEXAMPLE%2F20150830%2Fus-east-1%2Fservice%2Faws4_request&X-Amz-Date=20150830T123600Z&X-Amz-SignedHeaders=host&X-Amz-Expires=3600&X-Amz-Signature=e93c787ed7f371d5c6b165c1b38ede9550f4dce4144713e844b25b7192d3865d',
  headers: { host: 'example.amazonaws.com' },
  payloadHash: EMPTY_SHA256,
};

const POST_STS_TOKEN =
  'AQoDYXdzEPT//////////wEXAMPLEtc764bNrC9SAPBSM22wDOk4x4HIZ8j4FZTwdQWLWsKWHGBuFqwAeMicRXmxfpSPfIeoIYRqTflfKD8YUuwthAx7mSEI/qkPpKPi/kMcGdQrmGdeehM4IC1NtBmUpp2wUE8phUZampKsburEDy0KPkyQDYwT7WZ0wq5VSXDvp75YU9HFvlRd8Tx6q6fE8YQcHNVXAkiY9q6d+xo0rKwT38xVqr7ZD0u0iPPkUL64lIZbqBAz+scqKmlzm8FDrypNC9Yjc8fPOLn9FX9KSYvKTr4rvx3iSIlTJabIQwj2ICCR/oLxBA==';

/** Suite case post-sts-header-after: the token was added after signing, in the header form. */
const TOKEN_AFTER_HEADER: SigV4Request = {
  method: 'POST',
  path: '/',
  query: '',
  headers: {
    host: 'example.amazonaws.com',
    'x-amz-security-token': POST_STS_TOKEN,
    'x-amz-date': '20150830T123600Z',
    authorization:
      'AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=host;x-amz-date, Signature=5da7c1a2acd57cee7505fc6676e4e544621c30862966e37dddb68e92efbe5d6b',
  },
  payloadHash: EMPTY_SHA256,
};

/** Same case, presigned form: X-Amz-Security-Token appended to the URL after signing. */
const TOKEN_AFTER_QUERY: SigV4Request = {
  method: 'POST',
  path: '/',
  query: `X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIDEXAMPLE%2F20150830%2Fus-east-1%2Fservice%2Faws4_request&X-Amz-Date=20150830T123600Z&X-Amz-SignedHeaders=host&X-Amz-Expires=3600&X-Amz-Security-Token=${encodeURIComponent(POST_STS_TOKEN)}&X-Amz-Signature=2ce6e6d2e0cf2f9d1b55fafec88cd20574c31dc2e7631979f71ba2310083e95b`,
  headers: { host: 'example.amazonaws.com' },
  payloadHash: EMPTY_SHA256,
};

/** JS v3 S3 PutObject of `hello` (§1.6). */
const S3_PUT: SigV4Request = {
  method: 'PUT',
  path: '/demo-bucket/dir/hello%20world.txt',
  query: 'x-id=PutObject',
  headers: {
    'content-type': 'text/plain',
    'content-length': '5',
    'x-amz-sdk-checksum-algorithm': 'CRC32',
    'x-amz-checksum-crc32': 'NhCmhg==',
    'x-amz-user-agent': 'aws-sdk-js/3.1177.0',
    'user-agent':
      'aws-sdk-js/3.1177.0 ua/2.1 os/linux#6.18.44-fc-v1147 lang/js md/nodejs#20.20.2 api/s3#3.1177.0 m/N,Z,b,U,E,e',
    host: '127.0.0.1:4599',
    'amz-sdk-invocation-id': '46b7e084-bfdb-44bc-afd6-14b1acca3821',
    'amz-sdk-request': 'attempt=1; max=3',
    'x-amz-date': '20261204T052055Z',
    'x-amz-content-sha256': '2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824',
    authorization:
      'AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20261204/us-east-1/s3/aws4_request, SignedHeaders=amz-sdk-invocation-id;amz-sdk-request;content-length;content-type;host;x-amz-checksum-crc32;x-amz-content-sha256;x-amz-date;x-amz-sdk-checksum-algorithm;x-amz-user-agent, Signature=d61b77dfa9744b3b872398ba310791fc2ff0421a668838fec18aae25f39b1384',
    connection: 'keep-alive',
  },
};

/** JS v3 S3 ListBuckets with temporary credentials (§1.13). */
const S3_WITH_TOKEN: SigV4Request = {
  method: 'GET',
  path: '/',
  query: 'x-id=ListBuckets',
  headers: {
    'x-amz-user-agent': 'aws-sdk-js/3.1177.0',
    'user-agent':
      'aws-sdk-js/3.1177.0 ua/2.1 os/linux#6.18.44-fc-v1147 lang/js md/nodejs#20.20.2 api/s3#3.1177.0 m/N,E,T,k',
    host: '127.0.0.1:4599',
    'amz-sdk-invocation-id': 'e965cf7b-f381-48c2-baab-6928577825b9',
    'amz-sdk-request': 'attempt=1; max=3',
    'x-amz-date': '20261204T052055Z',
    'x-amz-security-token': SESSION_TOKEN,
    'x-amz-content-sha256': 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
    authorization:
      'AWS4-HMAC-SHA256 Credential=ASIACAPTURE000000001/20261204/us-east-1/s3/aws4_request, SignedHeaders=amz-sdk-invocation-id;amz-sdk-request;host;x-amz-content-sha256;x-amz-date;x-amz-security-token;x-amz-user-agent, Signature=5734aa9625746ce5d060c533c315bb5693aa1ae1104ee25844cee8b5a54e9064',
    connection: 'keep-alive',
  },
};

/** JS v3 presigned GetObject, expiresIn 900, fetched with Node fetch (§1.11). */
const S3_PRESIGNED: SigV4Request = {
  method: 'GET',
  path: '/demo-bucket/dir/hello%20world.txt',
  query:
    'X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Content-Sha256=UNSIGNED-PAYLOAD&X-Amz-Credential=AKIDEXAMPLE%2F20261204%2Fus-east-1%2Fs3%2Faws4_request&X-Amz-Date=20261204T052055Z&X-Amz-Expires=900&X-Amz-Signature=4585b83659eedc1a5adb487f93c889e32c33fce8096e6b56db14782942ab8771&X-Amz-SignedHeaders=host&x-amz-checksum-mode=ENABLED&x-id=GetObject',
  headers: {
    host: '127.0.0.1:4599',
    connection: 'keep-alive',
    accept: '*/*',
    'accept-language': '*',
    'sec-fetch-mode': 'cors',
    'user-agent': 'node',
    'accept-encoding': 'gzip, deflate',
  },
};

/** `aws s3 presign`, expires-in 600: no X-Amz-Content-Sha256, so S3 signs UNSIGNED-PAYLOAD (§3.4). */
const CLI_PRESIGNED: SigV4Request = {
  method: 'GET',
  path: '/demo-bucket/cli/hello.txt',
  query:
    'X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIDEXAMPLE%2F20261204%2Fus-east-1%2Fs3%2Faws4_request&X-Amz-Date=20261204T052237Z&X-Amz-Expires=600&X-Amz-SignedHeaders=host&X-Amz-Signature=4d5966b380bd5f0e07e244b3461955032337998271b4cad82eab4963a132f0ed',
  headers: { host: '127.0.0.1:4599' },
};

const secrets = new Map([
  [EXAMPLE_KEY, EXAMPLE_SECRET],
  [SESSION_KEY, SESSION_SECRET],
]);
const at = (now: number, extra: Partial<VerifyOptions> = {}): VerifyOptions => ({
  secretFor: (id) => secrets.get(id),
  now,
  ...extra,
});

function verified(result: VerifyResult) {
  assert.ok(result.ok, result.ok ? '' : `${result.failure.code}: ${result.failure.message}`);
  return result;
}

function failedWith<C extends SigV4FailureCode>(
  result: VerifyResult,
  code: C,
): Extract<SigV4Failure, { code: C }> {
  assert.equal(result.ok ? 'verified' : result.failure.code, code, result.ok ? '' : result.failure.message);
  assert.ok(!result.ok);
  return result.failure as Extract<SigV4Failure, { code: C }>;
}

const MINUTE = 60_000;

function withoutPayload(request: SigV4Request): SigV4Request {
  const copy = { ...request };
  delete copy.payloadHash;
  delete copy.body;
  return copy;
}

test('a header-signed request verifies and yields its caller, scope and payload hash', () => {
  const r = verified(verifyRequest(GET_VANILLA, at(SUITE_TIME)));
  assert.deepEqual(
    {
      accessKeyId: r.accessKeyId,
      region: r.region,
      service: r.service,
      signedHeaders: r.signedHeaders,
      payloadHash: r.payloadHash,
      authType: r.authType,
      signatureAge: r.signatureAge,
      requestTime: r.requestTime,
      expiresAt: r.expiresAt,
      sessionToken: r.sessionToken,
      sessionTokenSigned: r.sessionTokenSigned,
    },
    {
      accessKeyId: 'AKIDEXAMPLE',
      region: 'us-east-1',
      service: 'service',
      signedHeaders: ['host', 'x-amz-date'],
      payloadHash: EMPTY_SHA256,
      authType: 'REST-HEADER',
      signatureAge: 0,
      requestTime: SUITE_TIME,
      expiresAt: undefined,
      sessionToken: undefined,
      sessionTokenSigned: false,
    },
  );
});

test('a request signed 15 minutes ago verifies; 15 minutes and 1 second ago it is RequestTimeTooSkewed', () => {
  verified(verifyRequest(GET_VANILLA, at(SUITE_TIME + 15 * MINUTE)));
  const f = failedWith(
    verifyRequest(GET_VANILLA, at(SUITE_TIME + 15 * MINUTE + 1000)),
    'RequestTimeTooSkewed',
  );
  assert.equal(
    f.message,
    'Signature expired: 20150830T123600Z is now earlier than 20150830T123601Z (20150830T125101Z - 15 min.)',
  );
  assert.deepEqual(
    [f.requestTime, f.serverTime, f.maxSkewMs],
    [SUITE_TIME, SUITE_TIME + 15 * MINUTE + 1000, 900_000],
  );
});

test('a request signed 15 minutes ahead verifies; 15 minutes and 1 second ahead it is RequestTimeTooSkewed', () => {
  verified(verifyRequest(GET_VANILLA, at(SUITE_TIME - 15 * MINUTE)));
  const f = failedWith(
    verifyRequest(GET_VANILLA, at(SUITE_TIME - 15 * MINUTE - 1000)),
    'RequestTimeTooSkewed',
  );
  assert.equal(
    f.message,
    'Signature not yet current: 20150830T123600Z is still later than 20150830T123559Z (20150830T122059Z + 15 min.)',
  );
});

test('the allowed skew is the caller’s to set', () => {
  const f = failedWith(
    verifyRequest(GET_VANILLA, at(SUITE_TIME + 5 * MINUTE + 1000, { maxSkewMs: 5 * MINUTE })),
    'RequestTimeTooSkewed',
  );
  assert.equal(
    f.message,
    'Signature expired: 20150830T123600Z is now earlier than 20150830T123601Z (20150830T124101Z - 5 min.)',
  );
});

test('a presigned URL is valid from X-Amz-Date to X-Amz-Date + X-Amz-Expires, both included, skew not applied', () => {
  const signed = verified(verifyRequest(GET_VANILLA_PRESIGNED, at(SUITE_TIME)));
  assert.deepEqual([signed.authType, signed.expiresAt], ['REST-QUERY-STRING', SUITE_TIME + 3_600_000]);
  const last = verified(verifyRequest(GET_VANILLA_PRESIGNED, at(SUITE_TIME + 3_600_000)));
  assert.equal(last.signatureAge, 3_600_000);
  const f = failedWith(verifyRequest(GET_VANILLA_PRESIGNED, at(SUITE_TIME + 3_601_000)), 'RequestExpired');
  assert.deepEqual(f, {
    code: 'RequestExpired',
    message: 'Request has expired',
    requestTime: SUITE_TIME,
    expiresSeconds: 3600,
    expiresAt: SUITE_TIME + 3_600_000,
    serverTime: SUITE_TIME + 3_601_000,
    authType: 'REST-QUERY-STRING',
  });
});

test('a presigned URL dated more than the skew ahead is RequestNotYetValid', () => {
  verified(verifyRequest(GET_VANILLA_PRESIGNED, at(SUITE_TIME - 15 * MINUTE)));
  const f = failedWith(
    verifyRequest(GET_VANILLA_PRESIGNED, at(SUITE_TIME - 15 * MINUTE - 1000)),
    'RequestNotYetValid',
  );
  assert.deepEqual([f.message, f.expiresAt], ['Request is not yet valid', SUITE_TIME + 3_600_000]);
});

test('an unknown access key is UnknownAccessKey', () => {
  const f = failedWith(
    verifyRequest(GET_VANILLA, { secretFor: () => undefined, now: SUITE_TIME }),
    'UnknownAccessKey',
  );
  assert.deepEqual(f, {
    code: 'UnknownAccessKey',
    message: 'The security token included in the request is invalid.',
    accessKeyId: 'AKIDEXAMPLE',
    authType: 'REST-HEADER',
  });
});

test('a wrong signature is SignatureDoesNotMatch, with the canonical request and string to sign computed', () => {
  const f = failedWith(
    verifyRequest(GET_VANILLA, { secretFor: () => 'not-the-secret', now: SUITE_TIME }),
    'SignatureDoesNotMatch',
  );
  assert.deepEqual(f, {
    code: 'SignatureDoesNotMatch',
    message:
      'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.',
    accessKeyId: 'AKIDEXAMPLE',
    signatureProvided: '5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31',
    canonicalRequest: GET_VANILLA_CREQ,
    stringToSign:
      'AWS4-HMAC-SHA256\n20150830T123600Z\n20150830/us-east-1/service/aws4_request\nbb579772317eb040ac9ed261061d46c1f17a8133879d6129b6e1c25292927e63',
    authType: 'REST-HEADER',
  });
});

test('no failure message holds the secret key or the session token', () => {
  const requests = [
    S3_WITH_TOKEN,
    { ...S3_WITH_TOKEN, headers: { ...S3_WITH_TOKEN.headers, 'x-amz-meta-x': 'unsigned' } },
  ];
  const options: VerifyOptions[] = [
    at(CAPTURE_TIME),
    at(CAPTURE_TIME + 16 * MINUTE),
    at(CAPTURE_TIME, { expectedRegion: 'eu-west-1' }),
    at(CAPTURE_TIME, { expectedService: 'sts' }),
    { secretFor: () => undefined, now: CAPTURE_TIME },
    { secretFor: () => `${SESSION_SECRET}x`, now: CAPTURE_TIME },
  ];
  let failures = 0;
  for (const request of requests) {
    for (const o of options) {
      const r = verifyRequest(request, o);
      if (r.ok) continue;
      failures++;
      for (const secret of [SESSION_SECRET, SESSION_TOKEN]) {
        assert.ok(!r.failure.message.includes(secret), `${r.failure.code} message holds a secret`);
        // The canonical request of a mismatch holds the signed header values, the token among them: it is
        // for the client that sent them (S3 returns it), never for a log.
        if (r.failure.code !== 'SignatureDoesNotMatch')
          assert.ok(!JSON.stringify(r.failure).includes(secret));
      }
    }
  }
  assert.equal(failures, 11);
});

test('temporary credentials: the session token is returned, and whether it was signed', () => {
  const r = verified(verifyRequest(S3_WITH_TOKEN, at(CAPTURE_TIME)));
  assert.deepEqual([r.accessKeyId, r.sessionToken, r.sessionTokenSigned], [SESSION_KEY, SESSION_TOKEN, true]);
  const after = verified(verifyRequest(TOKEN_AFTER_HEADER, at(SUITE_TIME)));
  assert.deepEqual([after.sessionToken, after.sessionTokenSigned], [POST_STS_TOKEN, false]);
});

test('secretFor is asked with the parsed authorization, and a pre-parsed one is used as given', () => {
  let seen: string | undefined;
  verified(
    verifyRequest(S3_WITH_TOKEN, {
      now: CAPTURE_TIME,
      secretFor: (id, auth) => ((seen = auth.sessionToken), secrets.get(id)),
    }),
  );
  assert.equal(seen, SESSION_TOKEN);
  const parsed = parseAuthorization(S3_WITH_TOKEN.headers, S3_WITH_TOKEN.query);
  assert.ok(parsed.ok);
  verified(verifyRequest(S3_WITH_TOKEN, at(CAPTURE_TIME, { auth: parsed.auth })));
});

test('a token appended to a presigned URL after signing verifies only when the caller allows it', () => {
  failedWith(verifyRequest(TOKEN_AFTER_QUERY, at(SUITE_TIME)), 'SignatureDoesNotMatch');
  const r = verified(verifyRequest(TOKEN_AFTER_QUERY, at(SUITE_TIME, { unsignedQueryToken: true })));
  assert.deepEqual([r.sessionToken, r.sessionTokenSigned], [POST_STS_TOKEN, false]);
});

test('the host header must be signed', () => {
  const unsignedHost = {
    ...GET_VANILLA,
    headers: {
      ...GET_VANILLA.headers,
      authorization: String(GET_VANILLA.headers['authorization']).replace('host;x-amz-date', 'x-amz-date'),
    },
  };
  const f = failedWith(verifyRequest(unsignedHost, at(SUITE_TIME)), 'HeadersNotSigned');
  assert.deepEqual(
    [f.message, f.headers],
    ['There were headers present in the request which were not signed', ['host']],
  );
});

test('S3 refuses x-amz-* headers that are not signed, except x-amz-content-sha256; other services do not', () => {
  const withAcl = { ...S3_PRESIGNED, headers: { ...S3_PRESIGNED.headers, 'x-amz-acl': 'public-read' } };
  const f = failedWith(verifyRequest(withAcl, at(CAPTURE_TIME)), 'HeadersNotSigned');
  assert.deepEqual(f.headers, ['x-amz-acl']);
  const withSha = {
    ...S3_PRESIGNED,
    headers: { ...S3_PRESIGNED.headers, 'x-amz-content-sha256': 'UNSIGNED-PAYLOAD' },
  };
  verified(verifyRequest(withSha, at(CAPTURE_TIME)));
  const other = { ...GET_VANILLA, headers: { ...GET_VANILLA.headers, 'x-amz-meta-note': 'unsigned' } };
  verified(verifyRequest(other, at(SUITE_TIME)));
});

test('a presigned S3 URL without X-Amz-Content-Sha256 signs UNSIGNED-PAYLOAD', () => {
  const cli = verified(verifyRequest(CLI_PRESIGNED, at(Date.UTC(2026, 11, 4, 5, 22, 37))));
  assert.equal(cli.payloadHash, 'UNSIGNED-PAYLOAD');
  const js = verified(verifyRequest(S3_PRESIGNED, at(CAPTURE_TIME)));
  assert.equal(js.payloadHash, 'UNSIGNED-PAYLOAD');
});

test('without x-amz-content-sha256 the body hash is needed: MissingContentSha256 when the caller has none', () => {
  const noBody = withoutPayload(GET_VANILLA);
  const f = failedWith(verifyRequest(noBody, at(SUITE_TIME)), 'MissingContentSha256');
  assert.equal(f.message, 'Missing required header for this request: x-amz-content-sha256');
  verified(verifyRequest({ ...noBody, body: '' }, at(SUITE_TIME)));
  verified(verifyRequest({ ...noBody, body: new Uint8Array() }, at(SUITE_TIME)));
  failedWith(verifyRequest(withoutPayload(GET_VANILLA_PRESIGNED), at(SUITE_TIME)), 'MissingContentSha256');
});

test('an x-amz-content-sha256 that is neither a digest nor a known marker is InvalidContentSha256', () => {
  for (const value of ['nope', 'STREAMING-AWS4-ECDSA-P256-SHA256-PAYLOAD', 'e3b0c442']) {
    const request = { ...S3_PUT, headers: { ...S3_PUT.headers, 'x-amz-content-sha256': value } };
    const f = failedWith(verifyRequest(request, at(CAPTURE_TIME)), 'InvalidContentSha256');
    assert.equal(f.value, value);
    assert.equal(
      f.message,
      'x-amz-content-sha256 must be UNSIGNED-PAYLOAD, STREAMING-UNSIGNED-PAYLOAD-TRAILER, STREAMING-AWS4-HMAC-SHA256-PAYLOAD, STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER or a valid sha256 value.',
    );
  }
});

test('a signed request whose body differs from its declared x-amz-content-sha256 is ContentSha256Mismatch', () => {
  verified(verifyRequest({ ...S3_PUT, body: 'hello' }, at(CAPTURE_TIME)));
  verified(verifyRequest(S3_PUT, at(CAPTURE_TIME))); // the S3 layer checks a streamed body itself
  const f = failedWith(
    verifyRequest({ ...S3_PUT, body: 'hellx' }, at(CAPTURE_TIME)),
    'ContentSha256Mismatch',
  );
  assert.deepEqual(
    [f.message, f.provided, f.computed],
    [
      "The provided 'x-amz-content-sha256' header does not match what was computed.",
      '2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824',
      createHash('sha256').update('hellx').digest('hex'),
    ],
  );
  // The signature is checked first: a forged request learns nothing about the body check.
  failedWith(
    verifyRequest({ ...S3_PUT, body: 'hellx' }, { secretFor: () => 'wrong', now: CAPTURE_TIME }),
    'SignatureDoesNotMatch',
  );
});

test('an endpoint that knows its region refuses another one with AWS wording', () => {
  const f = failedWith(
    verifyRequest(GET_VANILLA, at(SUITE_TIME, { expectedRegion: 'eu-west-1' })),
    'WrongRegion',
  );
  assert.deepEqual(
    [f.message, f.region, f.expected],
    ["Credential should be scoped to a valid region, not 'us-east-1'. ", 'us-east-1', 'eu-west-1'],
  );
  verified(verifyRequest(GET_VANILLA, at(SUITE_TIME, { expectedRegion: 'us-east-1' })));
});

test('an endpoint that knows its service refuses another one with AWS wording', () => {
  const f = failedWith(
    verifyRequest(GET_VANILLA, at(SUITE_TIME, { expectedService: 'sts' })),
    'WrongService',
  );
  assert.deepEqual(
    [f.message, f.service, f.expected],
    ["Credential should be scoped to correct service: 'sts'. ", 'service', 'sts'],
  );
});

test('the seed for a chunk verifier: the signature, date, scope, and the signing key kept out of sight', () => {
  const r = verified(verifyRequest(S3_PUT, at(CAPTURE_TIME)));
  assert.equal(r.seed.signature, 'd61b77dfa9744b3b872398ba310791fc2ff0421a668838fec18aae25f39b1384');
  assert.equal(r.seed.dateTime, '20261204T052055Z');
  assert.equal(r.seed.credentialScope, '20261204/us-east-1/s3/aws4_request');
  assert.deepEqual(r.seed.signingKey, deriveSigningKey(EXAMPLE_SECRET, '20261204', 'us-east-1', 's3'));
  assert.deepEqual(Object.keys(r.seed), ['signature', 'dateTime', 'credentialScope']);
  assert.ok(!JSON.stringify(r).includes(r.seed.signingKey.toString('hex')));
});

test('a signing key cache given by the caller is used and filled once per scope', () => {
  const cache = new SigningKeyCache(8);
  verified(verifyRequest(S3_PUT, at(CAPTURE_TIME, { signingKeys: cache })));
  verified(verifyRequest(S3_PRESIGNED, at(CAPTURE_TIME, { signingKeys: cache })));
  assert.equal(cache.size, 1);
  verified(verifyRequest(GET_VANILLA, at(SUITE_TIME, { signingKeys: cache })));
  assert.equal(cache.size, 2);
});

test('a request dated by the Date header alone verifies', () => {
  // No suite case dates by Date only; this one is signed with the primitives the suite checks.
  const headers = { host: 'example.amazonaws.com', date: 'Sun, 30 Aug 2015 12:36:00 GMT' };
  const canonical = buildCanonicalRequest({
    method: 'GET',
    path: '/',
    query: '',
    headers,
    signedHeaders: ['date', 'host'],
    payloadHash: EMPTY_SHA256,
    pathRules: pathRulesFor('sts'),
  });
  const sts = buildStringToSign('20150830T123600Z', '20150830/us-east-1/sts/aws4_request', canonical);
  const signature = computeSignature(deriveSigningKey(EXAMPLE_SECRET, '20150830', 'us-east-1', 'sts'), sts);
  const authorization = `AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/sts/aws4_request, SignedHeaders=date;host, Signature=${signature}`;
  const r = verified(
    verifyRequest(
      {
        method: 'GET',
        path: '/',
        query: '',
        headers: { ...headers, authorization },
        payloadHash: EMPTY_SHA256,
      },
      at(SUITE_TIME),
    ),
  );
  assert.equal(r.requestTime, SUITE_TIME);
});

test('headers as req.headersDistinct gives them (every value a list) verify like plain ones', () => {
  const asLists = Object.fromEntries(
    Object.entries(GET_VANILLA.headers).map(([k, v]) => [k, typeof v === 'string' ? [v] : v]),
  );
  const plain = verifyRequest(GET_VANILLA, at(SUITE_TIME));
  assert.equal(plain.ok, true);
  assert.deepEqual(verifyRequest({ ...GET_VANILLA, headers: asLists }, at(SUITE_TIME)), plain);
  assert.equal(parseAuthorization(asLists, '').ok, true);
});

test('a presigned URL with X-Amz-Expires=0 has expired at once (S3 answers "Request has expired")', () => {
  // Signed with the primitives the suite checks: get-vanilla's presigned query with X-Amz-Expires=0.
  const base =
    'X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIDEXAMPLE%2F20150830%2Fus-east-1%2Fservice%2Faws4_request&X-Amz-Date=20150830T123600Z&X-Amz-Expires=0&X-Amz-SignedHeaders=host';
  const headers = { host: 'example.amazonaws.com' };
  const canonical = buildCanonicalRequest({
    method: 'GET',
    path: '/',
    query: base,
    headers,
    signedHeaders: ['host'],
    payloadHash: 'UNSIGNED-PAYLOAD',
    pathRules: pathRulesFor('service'),
  });
  const sts = buildStringToSign('20150830T123600Z', '20150830/us-east-1/service/aws4_request', canonical);
  const signature = computeSignature(
    deriveSigningKey(EXAMPLE_SECRET, '20150830', 'us-east-1', 'service'),
    sts,
  );
  const request: SigV4Request = {
    method: 'GET',
    path: '/',
    query: `${base}&X-Amz-Signature=${signature}`,
    headers,
    payloadHash: 'UNSIGNED-PAYLOAD',
  };
  const f = failedWith(verifyRequest(request, at(SUITE_TIME)), 'RequestExpired');
  assert.deepEqual([f.message, f.expiresSeconds, f.expiresAt], ['Request has expired', 0, SUITE_TIME]);
});
