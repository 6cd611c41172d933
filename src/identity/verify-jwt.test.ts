import assert from 'node:assert/strict';
import {
  createHmac,
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  sign,
  type KeyObject,
} from 'node:crypto';
import { test } from 'node:test';
import { fixedClock } from '../shared/clock.js';
import { encodeBase64url } from './base64url.js';
import { decodeJwt, MAX_TOKEN_LENGTH } from './decode-jwt.js';
import type { JwsAlgorithm } from './jws-algorithms.js';
import { signJws } from './sign-jws.js';
import { sealBytes } from '../shared/sealed-box.js';
import { SignatureWorker } from './signature-worker.js';
import {
  TEST_EC_KEY_ID,
  TEST_EC_PRIVATE_KEY,
  TEST_RSA_KEY_ID,
  TEST_RSA_PRIVATE_KEY,
  TEST_RSA_PUBLIC_KEY,
} from './testdata/test-keys.js';
import {
  verifyDecodedJwt,
  verifyDecodedJwtAsync,
  verifyJwt,
  type VerificationKey,
  type VerifyJwtFailureCode,
  type VerifyJwtOptions,
} from './verify-jwt.js';

const NOW = 1_767_225_600; // 2026-01-01T00:00:00Z, in seconds
const clock = fixedClock(NOW * 1000);
const rsaPrivate = createPrivateKey(TEST_RSA_PRIVATE_KEY);
const ecPrivate = createPrivateKey(TEST_EC_PRIVATE_KEY);
const p384 = generateKeyPairSync('ec', { namedCurve: 'P-384' });
const weakRsa = generateKeyPairSync('rsa', { modulusLength: 1024 });
const keys = new Map<string, VerificationKey>([
  [TEST_RSA_KEY_ID, { publicKey: createPublicKey(rsaPrivate) }],
  [TEST_EC_KEY_ID, { publicKey: createPublicKey(ecPrivate), alg: 'ES256' }],
  ['p384', { publicKey: p384.publicKey }],
  ['weak', { publicKey: weakRsa.publicKey }],
  ['rs256-only', { publicKey: createPublicKey(rsaPrivate), alg: 'RS256' }],
]);
const options: VerifyJwtOptions = { keyFor: (kid) => keys.get(kid), clock };
const claims = {
  iss: 'https://issuer.example.com',
  sub: 'system:serviceaccount:ns:sa',
  aud: ['sts.amazonaws.com'],
  iat: NOW,
  nbf: NOW,
  exp: NOW + 3600,
};

const jwt = (alg: JwsAlgorithm, kid: string, key: KeyObject, payload: Record<string, unknown> = claims) =>
  signJws({ alg, kid }, payload as never, key, alg);
const rs256 = jwt('RS256', TEST_RSA_KEY_ID, rsaPrivate);
const es256 = jwt('ES256', TEST_EC_KEY_ID, ecPrivate);
/** A token with exactly these header and payload texts, signed (or not) as given. */
function raw(
  header: string,
  payload: string,
  signature: (input: string) => Buffer = () => Buffer.alloc(0),
): string {
  const input = `${encodeBase64url(header)}.${encodeBase64url(payload)}`;
  return `${input}.${encodeBase64url(signature(input))}`;
}
const rsaSign = (input: string) => sign('sha256', Buffer.from(input), rsaPrivate);

/** Every token and options `rejects` was given: the last test runs them all through the async path. */
const rejected: { readonly token: string; readonly options: VerifyJwtOptions }[] = [];

function rejects(
  token: string,
  code: VerifyJwtFailureCode,
  message?: string | RegExp,
  extra: Partial<VerifyJwtOptions> = {},
) {
  rejected.push({ token, options: { ...options, ...extra } });
  const r = verifyJwt(token, { ...options, ...extra });
  assert.ok(!r.ok, `expected ${code}`);
  assert.equal(r.code, code, r.message);
  if (typeof message === 'string') assert.equal(r.message, message);
  else if (message) assert.match(r.message, message);
  for (const segment of token.split('.')) {
    if (segment.length >= 8) assert.ok(!r.message.includes(segment), 'the message never quotes the token');
  }
}

test('RS256 and ES256 tokens verify, and the claims come back for the caller to check iss and aud', () => {
  for (const token of [rs256, es256]) {
    const r = verifyJwt(token, options);
    assert.ok(r.ok, r.ok ? '' : r.message);
    assert.deepEqual(r.claims, claims);
  }
});

test('RS384, RS512 and ES384 verify too: every algorithm STS accepts', () => {
  for (const [alg, kid, key] of [
    ['RS384', TEST_RSA_KEY_ID, rsaPrivate],
    ['RS512', TEST_RSA_KEY_ID, rsaPrivate],
    ['ES384', 'p384', p384.privateKey],
  ] as const) {
    const r = verifyJwt(jwt(alg, kid, key), options);
    assert.ok(r.ok, `${alg}: ${r.ok ? '' : r.message}`);
  }
});

test('alg none is rejected, even with a known kid', () => {
  rejects(
    raw(`{"alg":"none","kid":"${TEST_RSA_KEY_ID}"}`, JSON.stringify(claims)),
    'unsupportedAlgorithm',
    '`alg: none` (an unsecured JWS) is never accepted',
  );
  rejects(raw('{"alg":"None"}', JSON.stringify(claims)), 'unsupportedAlgorithm');
});

test('HMAC algorithms are rejected, including the RSA-public-key-as-secret trick', () => {
  const forged = raw(`{"alg":"HS256","kid":"${TEST_RSA_KEY_ID}"}`, JSON.stringify(claims), (input) =>
    createHmac('sha256', TEST_RSA_PUBLIC_KEY).update(input).digest(),
  );
  rejects(
    forged,
    'unsupportedAlgorithm',
    'HMAC algorithm `HS256` is never accepted: a shared secret cannot be published in a JWKS',
  );
  for (const alg of ['HS384', 'HS512'])
    rejects(raw(`{"alg":"${alg}","kid":"x"}`, '{}'), 'unsupportedAlgorithm');
});

test('unknown algorithms are rejected, and so are algorithms the caller did not allow', () => {
  for (const alg of ['PS256', 'EdDSA', 'RS1', 'constructor', '', 'rs256']) {
    rejects(
      raw(`{"alg":"${alg}","kid":"${TEST_RSA_KEY_ID}"}`, '{}'),
      'unsupportedAlgorithm',
      /not supported; expected one of RS256, RS384, RS512, ES256, ES384, ES512$/,
    );
  }
  rejects(es256, 'unsupportedAlgorithm', 'algorithm ES256 is not allowed here; expected one of RS256', {
    algorithms: ['RS256'],
  });
});

test('a missing or unknown kid is rejected', () => {
  rejects(
    raw('{"alg":"RS256"}', JSON.stringify(claims), rsaSign),
    'missingKid',
    'the header has no `kid`, so no key of the issuer can be chosen',
  );
  rejects(
    jwt('RS256', 'rotated-away', rsaPrivate),
    'unknownKid',
    'the issuer has no key with kid `rotated-away`',
  );
});

test("a key that does not fit the token's algorithm is keyMismatch", () => {
  rejects(
    jwt('RS384', 'rs256-only', rsaPrivate),
    'keyMismatch',
    'key `rs256-only` is for RS256, but the token says RS384 (RFC 7517 §4.4)',
  );
  // An ES256 token whose kid names the RSA key, and the other way round.
  rejects(
    jwt('ES256', TEST_RSA_KEY_ID, ecPrivate),
    'keyMismatch',
    /ES256 needs an EC P-256 key, found an RSA key of 2048 bits$/,
  );
  rejects(jwt('RS256', 'p384', rsaPrivate), 'keyMismatch', /RS256 needs an RSA key, found an EC P-384 key$/);
  rejects(
    jwt('ES256', 'p384', ecPrivate),
    'keyMismatch',
    /ES256 needs an EC P-256 key, found an EC P-384 key$/,
  );
  const weak = raw('{"alg":"RS256","kid":"weak"}', JSON.stringify(claims), (i) =>
    sign('sha256', Buffer.from(i), weakRsa.privateKey),
  );
  rejects(weak, 'keyMismatch', /RS256 needs an RSA key of at least 2048 bits, found 1024 bits$/);
});

test('a bad signature is rejected: altered, from another key, DER-encoded ECDSA, truncated', () => {
  const [h, p, s] = rs256.split('.') as [string, string, string];
  const flipped = `${s.slice(0, 10)}${s[10] === 'A' ? 'B' : 'A'}${s.slice(11)}`;
  rejects(
    `${h}.${p}.${flipped}`,
    'invalidSignature',
    `the signature does not verify with key \`${TEST_RSA_KEY_ID}\``,
  );
  const otherPayload = jwt('RS256', TEST_RSA_KEY_ID, rsaPrivate, {
    ...claims,
    sub: 'system:serviceaccount:kube-system:admin',
  }).split('.')[1];
  rejects(`${h}.${otherPayload}.${s}`, 'invalidSignature');
  rejects(`${h}.${p}.${encodeBase64url(Buffer.from(s, 'base64url').subarray(0, 255))}`, 'invalidSignature');
  rejects(`${h}.${p}.`, 'invalidSignature');
  const other = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
  rejects(jwt('RS256', TEST_RSA_KEY_ID, other), 'invalidSignature');
  // node's default ECDSA signature is DER, not JOSE's R || S.
  const der = raw(`{"alg":"ES256","kid":"${TEST_EC_KEY_ID}"}`, JSON.stringify(claims), (i) =>
    sign('sha256', Buffer.from(i), ecPrivate),
  );
  rejects(der, 'invalidSignature');
});

test('header members that point at keys are never followed', () => {
  const attacker = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const header = {
    alg: 'ES256',
    kid: TEST_EC_KEY_ID,
    jwk: attacker.publicKey.export({ format: 'jwk' }),
    jku: 'https://evil.example/jwks',
  };
  rejects(signJws(header as never, claims, attacker.privateKey, 'ES256'), 'invalidSignature');
});

test('text that is not base64url is rejected', () => {
  const [h, p, s] = rs256.split('.') as [string, string, string];
  rejects(
    `${h}=.${p}.${s}`,
    'invalidBase64url',
    'the header is not base64url without padding (RFC 7515 §2: only A-Z, a-z, 0-9, `-` and `_`)',
  );
  rejects(
    `${h}.${p.replace(/-|_/, '+')}${p.includes('-') || p.includes('_') ? '' : '+'}.${s}`,
    'invalidBase64url',
    /^the payload/,
  );
  rejects(`${h}.${p}.${s}!`, 'invalidBase64url', /^the signature/);
  rejects(`${h}.${p}.${s} `, 'invalidBase64url');
});

test('a header or payload that is not a JSON object is rejected', () => {
  rejects(raw('not json', '{}'), 'invalidJson', /^the header is not JSON: /);
  rejects(
    `${encodeBase64url(Buffer.from([0xff, 0xfe]))}.e30.`,
    'invalidJson',
    'the header is not UTF-8 text',
  );
  rejects(raw('\ufeff{"alg":"RS256"}', '{}'), 'invalidJson');
  rejects(raw('["RS256"]', '{}'), 'invalidHeader', 'the header must be a JSON object');
  rejects(raw('{"alg":256}', '{}'), 'invalidHeader', 'the header has no `alg` string');
  rejects(raw('{"alg":"RS256","kid":7}', '{}'), 'invalidHeader', 'the header `kid` must be a string');
  rejects(
    raw(`{"alg":"RS256","kid":"${TEST_RSA_KEY_ID}"}`, '[1]'),
    'invalidClaims',
    'the claims (payload) must be a JSON object',
  );
  rejects(
    raw(`{"alg":"RS256","kid":"${TEST_RSA_KEY_ID}"}`, '{"exp":'),
    'invalidJson',
    /^the payload is not JSON/,
  );
});

test('duplicated members in the header or the claims are rejected (RFC 7515 §4, RFC 7519 §4)', () => {
  rejects(
    raw(`{"alg":"RS256","alg":"none","kid":"${TEST_RSA_KEY_ID}"}`, JSON.stringify(claims), rsaSign),
    'duplicateMember',
    'the header repeats a name: member `alg` appears more than once (RFC 7515 §4, RFC 7519 §4)',
  );
  const payload = JSON.stringify(claims).replace(
    '"sub":',
    '"sub":"system:serviceaccount:kube-system:admin","sub":',
  );
  rejects(
    raw(`{"alg":"RS256","kid":"${TEST_RSA_KEY_ID}"}`, payload, rsaSign),
    'duplicateMember',
    /^the payload repeats a name: member `sub`/,
  );
});

test("oversized tokens are rejected before decoding: STS's 20000-character limit", () => {
  rejects(
    'a'.repeat(MAX_TOKEN_LENGTH + 1),
    'tokenTooLarge',
    'the token is 20001 characters long, more than the 20000 allowed',
  );
  rejects('a'.repeat(MAX_TOKEN_LENGTH), 'malformedToken');
  const big = jwt('RS256', TEST_RSA_KEY_ID, rsaPrivate, { ...claims, pad: 'x'.repeat(12500) });
  assert.ok(big.length <= MAX_TOKEN_LENGTH && big.length > 16 * 1024);
  assert.ok(verifyJwt(big, options).ok, 'a token STS would accept on the wire is not too large');
  rejects(rs256, 'tokenTooLarge', undefined, { maxLength: 100 });
});

test('a token that is not three dot-separated parts is malformedToken', () => {
  rejects(
    'abc',
    'malformedToken',
    'a signed JWT has 3 parts separated by dots (JWS compact serialization), found 1',
  );
  rejects(`${rs256}.x`, 'malformedToken');
  rejects('a.b.c.d.e', 'malformedToken', /found 5 \(5 parts is an encrypted JWE, which is not accepted\)$/);
});

test('critical header extensions are rejected (RFC 7515 §4.1.11)', () => {
  const token = signJws(
    { alg: 'RS256', kid: TEST_RSA_KEY_ID, crit: ['b64'], b64: false },
    claims,
    rsaPrivate,
    'RS256',
  );
  rejects(
    token,
    'invalidHeader',
    'the header lists critical extensions (`crit`), and none is supported here',
  );
});

test('exp is required and must be a number; so must nbf and iat when present', () => {
  const noExp: Record<string, unknown> = { ...claims };
  delete noExp.exp;
  rejects(
    jwt('RS256', TEST_RSA_KEY_ID, rsaPrivate, noExp),
    'invalidClaims',
    'the token has no `exp` claim, and one is required',
  );
  rejects(
    jwt('RS256', TEST_RSA_KEY_ID, rsaPrivate, { ...claims, exp: String(NOW + 3600) }),
    'invalidClaims',
    'the `exp` claim must be a number of seconds since the epoch',
  );
  rejects(jwt('RS256', TEST_RSA_KEY_ID, rsaPrivate, { ...claims, nbf: null }), 'invalidClaims');
  rejects(jwt('RS256', TEST_RSA_KEY_ID, rsaPrivate, { ...claims, iat: true }), 'invalidClaims');
});

test('expiry, not-before and issued-at are checked with the leeway', () => {
  const at = (payload: Record<string, unknown>) =>
    jwt('RS256', TEST_RSA_KEY_ID, rsaPrivate, { ...claims, ...payload });
  assert.ok(
    verifyJwt(at({ exp: NOW - 59 }), options).ok,
    'expired 59 s ago is inside the default 60 s leeway',
  );
  rejects(
    at({ exp: NOW - 60 }),
    'expired',
    'the token expired at 2025-12-31T23:59:00Z; it is now 2026-01-01T00:00:00Z (leeway 60 s)',
  );
  rejects(at({ exp: NOW }), 'expired', undefined, { leewaySeconds: 0 });
  assert.ok(verifyJwt(at({ exp: NOW + 1 }), { ...options, leewaySeconds: 0 }).ok);
  assert.ok(verifyJwt(at({ nbf: NOW + 60 }), options).ok);
  rejects(
    at({ nbf: NOW + 61 }),
    'notYetValid',
    'the token is not valid before 2026-01-01T00:01:01Z; it is now 2026-01-01T00:00:00Z (leeway 60 s)',
  );
  rejects(
    at({ iat: NOW + 61 }),
    'issuedInFuture',
    'the token was issued in the future, at 2026-01-01T00:01:01Z; it is now 2026-01-01T00:00:00Z',
  );
  const far = raw(`{"alg":"RS256","kid":"${TEST_RSA_KEY_ID}"}`, '{"exp":1e300,"nbf":1e300}', rsaSign);
  rejects(far, 'notYetValid', /^the token is not valid before 1e\+300; it is now 1970-01-01T00:00:00Z/, {
    clock: fixedClock(0),
  });
  assert.throws(() => verifyJwt(rs256, { ...options, leewaySeconds: -1 }), TypeError);
});

test('verifyDecodedJwt on a decodeJwt result decides exactly as verifyJwt on the token', () => {
  const expired = jwt('RS256', TEST_RSA_KEY_ID, rsaPrivate, { ...claims, exp: NOW - 3600 });
  const [h, p] = rs256.split('.');
  const tampered = `${h}.${p}.${encodeBase64url(rsaSign('other input'))}`;
  const noKid = raw('{"alg":"RS256"}', JSON.stringify(claims), rsaSign);
  for (const token of [rs256, es256, expired, tampered, noKid]) {
    const decoded = decodeJwt(token);
    assert.ok(decoded.ok);
    assert.deepEqual(verifyDecodedJwt(decoded, options), verifyJwt(token, options));
  }
  assert.equal(verifyDecodedJwt(decodeJwtOk(rs256), options).ok, true);
  assert.equal(verifyDecodedJwt(decodeJwtOk(tampered), options).ok, false);
});

test('verifyDecodedJwtAsync (signature in the threadpool) answers exactly as verifyDecodedJwt, for every token of this file', async () => {
  const valid = [
    rs256,
    es256,
    jwt('RS384', TEST_RSA_KEY_ID, rsaPrivate),
    jwt('ES384', 'p384', p384.privateKey),
  ];
  const cases = [...valid.map((token) => ({ token, options })), ...rejected];
  assert.ok(rejected.length > 30, 'the earlier tests ran first and recorded their tokens');
  let decodedCases = 0;
  for (const c of cases) {
    const decoded = decodeJwt(c.token);
    if (!decoded.ok) continue;
    decodedCases++;
    const sync = verifyDecodedJwt(decoded, c.options);
    assert.deepEqual(await verifyDecodedJwtAsync(decoded, c.options), sync);
  }
  assert.ok(decodedCases > 20);
  for (const token of valid)
    assert.equal((await verifyDecodedJwtAsync(decodeJwtOk(token), options)).ok, true);
  // A signature larger than the modulus, which OpenSSL refuses outright: an invalid signature on both
  // paths, never an exception or a rejected promise.
  const huge = decodeJwtOk(
    raw(`{"alg":"RS256","kid":"${TEST_RSA_KEY_ID}"}`, JSON.stringify(claims), () => Buffer.alloc(256, 0xff)),
  );
  assert.deepEqual(await verifyDecodedJwtAsync(huge, options), verifyDecodedJwt(huge, options));
  assert.equal((await verifyDecodedJwtAsync(huge, options)).ok, false);
  await assert.rejects(verifyDecodedJwtAsync(huge, { ...options, leewaySeconds: -1 }), TypeError);
});

test('verifyDecodedJwtAsync with its signature in a SignatureWorker answers exactly as verifyDecodedJwt, for every token of this file', async () => {
  const signatures = new SignatureWorker(50);
  try {
    const valid = [
      rs256,
      es256,
      jwt('RS384', TEST_RSA_KEY_ID, rsaPrivate),
      jwt('ES384', 'p384', p384.privateKey),
    ];
    const decodedCases = [...valid.map((token) => ({ token, options })), ...rejected].flatMap((c) => {
      const decoded = decodeJwt(c.token);
      return decoded.ok ? [{ decoded, options: c.options }] : [];
    });
    assert.ok(decodedCases.length > 20);
    // All at once, as a server under load sends them.
    const answers = await Promise.all(
      decodedCases.map((c) => verifyDecodedJwtAsync(c.decoded, { ...c.options, signatures })),
    );
    assert.deepEqual(
      answers,
      decodedCases.map((c) => verifyDecodedJwt(c.decoded, c.options)),
    );
    for (const token of valid)
      assert.equal((await verifyDecodedJwtAsync(decodeJwtOk(token), { ...options, signatures })).ok, true);
  } finally {
    await signatures.close();
  }
});

test('verifyDecodedJwtAsync with a seal: the token sealed where the signature was checked, only for a token that passes every check', async () => {
  const signatures = new SignatureWorker(50);
  try {
    const seal = {
      key: { id: 'sk-test', key: Buffer.alloc(32, 5) },
      iv: Buffer.alloc(12, 6),
      plaintext: '{"s":1}',
    };
    const expected = sealBytes(Buffer.from(seal.plaintext), seal.key, seal.iv);
    const good = await verifyDecodedJwtAsync(decodeJwtOk(rs256), { ...options, signatures, seal });
    assert.equal(good.ok, true);
    assert.equal(good.sealed, expected);
    // Valid signature, but expired: no token, whatever the worker sealed.
    const expired = jwt('RS256', TEST_RSA_KEY_ID, rsaPrivate, {
      ...claims,
      exp: NOW - 3600,
      iat: NOW - 7200,
    });
    const late = await verifyDecodedJwtAsync(decodeJwtOk(expired), { ...options, signatures, seal });
    assert.equal(late.ok, false);
    assert.equal(late.sealed, undefined);
    // A forged signature: refused, nothing sealed.
    const forged = `${rs256.slice(0, -2)}${rs256.endsWith('AA') ? 'BB' : 'AA'}`;
    const refused = await verifyDecodedJwtAsync(decodeJwtOk(forged), { ...options, signatures, seal });
    assert.equal(refused.ok, false);
    assert.equal(refused.sealed, undefined);
    // A checker that cannot seal leaves the sealing to the caller.
    const threadpool = await verifyDecodedJwtAsync(decodeJwtOk(rs256), { ...options, seal });
    assert.equal(threadpool.ok, true);
    assert.equal(threadpool.sealed, undefined);
  } finally {
    await signatures.close();
  }
});

function decodeJwtOk(token: string) {
  const decoded = decodeJwt(token);
  assert.ok(decoded.ok);
  return decoded;
}
