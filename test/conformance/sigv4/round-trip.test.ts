/**
 * Round trips with the AWS SDK's own signer, `@smithy/signature-v4` (what `@aws-sdk/client-*` sign with):
 * several hundred seeded-random requests (methods, paths with unicode, spaces, `+`, `%`, dot segments,
 * queries with repeated keys and empty values, headers with odd spacing and repeats, S3 and other services,
 * the header and presigned forms, with and without a session token, UNSIGNED-PAYLOAD and STREAMING-*
 * markers) must all verify. Then each signed component of each request is changed once, and each change
 * must fail with the right failure.
 *
 * Reproduce a run with `SIGV4_SEED=<seed> node --test dist/test/conformance/sigv4/round-trip.test.js`.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { test } from 'node:test';
import { Hash } from '@smithy/hash-node';
import { SignatureV4 } from '@smithy/signature-v4';
import type { SigV4FailureCode } from '../../../src/sigv4/failures.js';
import { SigningKeyCache } from '../../../src/sigv4/signing-key-cache.js';
import { EMPTY_SHA256, type SigV4Request } from '../../../src/sigv4/types.js';
import { verifyRequest, type VerifyOptions } from '../../../src/sigv4/verify-request.js';
import {
  Dice,
  generateCase,
  respace,
  seededRandom,
  wireHeaders,
  wireQuery,
  type GeneratedCase,
} from './generate-requests.js';

const DEFAULT_SEED = 0x5160_0004;
const SEED = Number(process.env['SIGV4_SEED'] ?? DEFAULT_SEED);
const CASES = 400;

type SmithyRequest = Parameters<SignatureV4['presign']>[0];

interface Signed {
  readonly request: SigV4Request;
  readonly options: VerifyOptions;
  /** What smithy signed as the payload hash. */
  readonly payloadHash: string;
}

/** Signs a generated case with smithy and builds the request as the server receives it. */
async function sign(c: GeneratedCase, dice: Dice, keys: SigningKeyCache): Promise<Signed> {
  const signer = new SignatureV4({
    credentials: {
      accessKeyId: c.accessKeyId,
      secretAccessKey: c.secretAccessKey,
      ...(c.sessionToken !== undefined ? { sessionToken: c.sessionToken } : {}),
    },
    region: c.region,
    service: c.service,
    sha256: Hash.bind(null, 'sha256'),
    // The S3 client signs the path as is; every other client normalizes and double-encodes it.
    uriEscapePath: c.service !== 's3',
    applyChecksum: c.applyChecksum,
  });
  const unsigned = {
    method: c.method,
    protocol: 'https:',
    hostname: 'example.amazonaws.com',
    path: c.path,
    query: structuredClone(c.query),
    headers: { ...c.headers },
    ...(c.body !== undefined ? { body: c.body } : {}),
  } as SmithyRequest;
  const signingDate = new Date(c.signingDate);
  const out =
    c.form === 'header'
      ? await signer.sign(unsigned, { signingDate })
      : await signer.presign(unsigned, { signingDate, expiresIn: c.expiresIn });

  const headers: Record<string, string | readonly string[] | undefined> = {
    ...wireHeaders(out.headers, c.splitHeaders),
  };
  const authorization = headers['authorization'];
  if (typeof authorization === 'string')
    headers['authorization'] = respace(authorization, c.authorizationStyle);
  const bodyHash = createHash('sha256')
    .update(c.body ?? '')
    .digest('hex');
  const query = out.query ?? {};
  const declared =
    headers['x-amz-content-sha256'] ?? query['X-Amz-Content-Sha256'] ?? query['x-amz-content-sha256'];
  const payloadHash =
    typeof declared === 'string'
      ? declared
      : c.form === 'presigned' && c.service === 's3'
        ? 'UNSIGNED-PAYLOAD'
        : bodyHash;
  const request: SigV4Request = {
    method: c.method,
    path: c.path,
    query: wireQuery(dice, query as Record<string, string | string[]>),
    headers,
    ...(c.serverHasBody ? (c.body !== undefined ? { body: c.body } : { payloadHash: EMPTY_SHA256 }) : {}),
  };
  const secrets = new Map([
    [c.accessKeyId, c.secretAccessKey],
    [OTHER_KEY, 'a-different-secret-of-another-user'],
  ]);
  const options: VerifyOptions = { secretFor: (id) => secrets.get(id), now: c.now, signingKeys: keys };
  return { request, options, payloadHash };
}

const OTHER_KEY = 'AKIAOTHERUSER0000000';

interface Tamper {
  readonly what: string;
  readonly request: SigV4Request;
  readonly options: VerifyOptions;
  readonly expected: SigV4FailureCode;
}

function withHeaders(
  request: SigV4Request,
  change: (headers: Record<string, string | readonly string[] | undefined>) => void,
): SigV4Request {
  const headers = { ...request.headers };
  change(headers);
  return { ...request, headers };
}

/** Appends `x` to a header value, or to the first of its repeats. */
function appended(value: string | readonly string[] | undefined): string | readonly string[] {
  if (value === undefined) return 'x';
  if (typeof value === 'string') return `${value}x`;
  return [`${value[0] ?? ''}x`, ...value.slice(1)];
}

/** An `X-Amz-Date` one second later, or earlier when later is the next day. */
function shiftedDate(dateTime: string): string {
  const ms = Date.UTC(
    Number(dateTime.slice(0, 4)),
    Number(dateTime.slice(4, 6)) - 1,
    Number(dateTime.slice(6, 8)),
    Number(dateTime.slice(9, 11)),
    Number(dateTime.slice(11, 13)),
    Number(dateTime.slice(13, 15)),
  );
  const shifted = dateTime.slice(9) === '235959Z' ? ms - 1000 : ms + 1000;
  return new Date(shifted)
    .toISOString()
    .replace(/\.\d{3}Z$/, 'Z')
    .replace(/[-:]/g, '');
}

function flipHex(text: string): string {
  const last = text.slice(-1);
  return `${text.slice(0, -1)}${last === '0' ? '1' : '0'}`;
}

interface WirePiece {
  /** The key as it is spelled on the wire. */
  readonly rawKey: string;
  readonly key: string;
  readonly value: string;
}

function wirePieces(query: string): WirePiece[] {
  return (query === '' ? [] : query.split('&')).map((piece) => {
    const eq = piece.indexOf('=');
    const rawKey = eq < 0 ? piece : piece.slice(0, eq);
    return {
      rawKey,
      key: decodeURIComponent(rawKey),
      value: decodeURIComponent(eq < 0 ? '' : piece.slice(eq + 1)),
    };
  });
}

/** The request with the `index`-th query parameter given another (decoded) value. */
function withQueryValue(request: SigV4Request, index: number, value: string): SigV4Request {
  const query = wirePieces(request.query)
    .map((p, i) => `${p.rawKey}=${encodeURIComponent(i === index ? value : p.value)}`)
    .join('&');
  return { ...request, query };
}

/** Rewrites the credential's parts, in the header or in `X-Amz-Credential`. */
function withCredential(
  request: SigV4Request,
  change: (parts: [string, string, string, string, string]) => void,
): SigV4Request {
  const rewrite = (credential: string): string => {
    const parts = credential.split('/') as [string, string, string, string, string];
    change(parts);
    return parts.join('/');
  };
  const authorization = request.headers['authorization'];
  if (typeof authorization === 'string') {
    return withHeaders(request, (h) => {
      h['authorization'] = authorization.replace(
        /(Credential\s*=\s*)([^,\s]+)/,
        (_, head: string, credential: string) => `${head}${rewrite(credential)}`,
      );
    });
  }
  const pieces = wirePieces(request.query);
  const index = pieces.findIndex((p) => p.key === 'X-Amz-Credential');
  return withQueryValue(request, index, rewrite(pieces[index]?.value ?? ''));
}

const HEX_DIGEST = /^[0-9a-f]{64}$/;

/** One change to every signed component, each with the failure it must produce. */
function tampers(c: GeneratedCase, signed: Signed): Tamper[] {
  const { request, options } = signed;
  const out: Tamper[] = [];
  const add = (what: string, r: SigV4Request, expected: SigV4FailureCode, o: VerifyOptions = options) =>
    out.push({ what, request: r, options: o, expected });

  add('method', { ...request, method: request.method === 'GET' ? 'PUT' : 'GET' }, 'SignatureDoesNotMatch');
  add('path', { ...request, path: `${request.path}x` }, 'SignatureDoesNotMatch');

  let signedHeaders = '';
  wirePieces(request.query).forEach(({ key, value }, i) => {
    let changed = `${value}x`;
    let expected: SigV4FailureCode = 'SignatureDoesNotMatch';
    switch (key) {
      case 'X-Amz-Algorithm':
        changed = 'AWS4-HMAC-SHA512';
        expected = 'UnsupportedAlgorithm';
        break;
      case 'X-Amz-Date':
        changed = shiftedDate(value);
        if (c.now > c.signingDate - 1000 + c.expiresIn * 1000 && changed < value) expected = 'RequestExpired';
        break;
      case 'X-Amz-Expires':
        changed = String(c.expiresIn === 604_800 ? c.expiresIn - 1 : c.expiresIn + 1);
        if (c.now > c.signingDate + Number(changed) * 1000) expected = 'RequestExpired';
        break;
      case 'X-Amz-Credential':
        return; // its parts are changed one by one below
      case 'X-Amz-SignedHeaders':
        signedHeaders = value;
        changed = `${value};x-extra`;
        break;
      case 'X-Amz-Signature':
        changed = flipHex(value);
        break;
      case 'X-Amz-Content-Sha256':
      case 'x-amz-content-sha256':
        changed = EMPTY_SHA256;
        break;
    }
    add(`query parameter ${key}`, withQueryValue(request, i, changed), expected);
  });

  const authorization = request.headers['authorization'];
  if (typeof authorization === 'string') {
    signedHeaders = /SignedHeaders\s*=\s*([^,\s]+)/.exec(authorization)?.[1] ?? '';
  }
  for (const name of signedHeaders.split(';')) {
    const value = request.headers[name];
    let changed: string | readonly string[] = appended(value);
    if (name === 'x-amz-date' && typeof value === 'string') changed = shiftedDate(value);
    if (name === 'x-amz-content-sha256' && typeof value === 'string') {
      changed = HEX_DIGEST.test(value)
        ? flipHex(value)
        : value === 'UNSIGNED-PAYLOAD'
          ? 'STREAMING-UNSIGNED-PAYLOAD-TRAILER'
          : 'UNSIGNED-PAYLOAD';
    }
    add(
      `header ${name}`,
      withHeaders(request, (h) => (h[name] = changed)),
      'SignatureDoesNotMatch',
    );
  }

  if (typeof request.headers['x-amz-date'] === 'string') {
    const nextDay = new Date(c.signingDate + 86_400_000)
      .toISOString()
      .replace(/\.\d{3}Z$/, 'Z')
      .replace(/[-:]/g, '');
    add(
      'date on another day',
      withHeaders(request, (h) => (h['x-amz-date'] = nextDay)),
      'CredentialDateMismatch',
    );
  }

  // The body: bound through the declared x-amz-content-sha256 (checked against the body once the
  // signature holds) or, without one, through the payload hash in the canonical request. Not bound at all
  // under UNSIGNED-PAYLOAD and the STREAMING-* markers (chunks are checked by the S3 layer).
  if (c.serverHasBody && HEX_DIGEST.test(signed.payloadHash)) {
    const other: { -readonly [K in keyof SigV4Request]: SigV4Request[K] } = { ...request };
    delete other.body;
    other.payloadHash = createHash('sha256').update('something else').digest('hex');
    const declared = request.headers['x-amz-content-sha256'] !== undefined;
    add('body', other, declared ? 'ContentSha256Mismatch' : 'SignatureDoesNotMatch');
  }

  add(
    'credential region',
    withCredential(request, (p) => (p[2] = `${p[2]}x`)),
    'SignatureDoesNotMatch',
  );
  add(
    'credential region, endpoint region known',
    withCredential(request, (p) => (p[2] = `${p[2]}x`)),
    'WrongRegion',
    {
      ...options,
      expectedRegion: c.region,
    },
  );
  add(
    'credential service',
    withCredential(request, (p) => (p[3] = `${p[3]}x`)),
    'SignatureDoesNotMatch',
  );
  add(
    'credential service, endpoint service known',
    withCredential(request, (p) => (p[3] = `${p[3]}x`)),
    'WrongService',
    { ...options, expectedService: c.service },
  );
  add(
    'access key, unknown',
    withCredential(request, (p) => (p[0] = 'AKIANOSUCHKEY0000000')),
    'UnknownAccessKey',
  );
  add(
    'access key, of another user',
    withCredential(request, (p) => (p[0] = OTHER_KEY)),
    'SignatureDoesNotMatch',
  );

  if (typeof authorization === 'string') {
    const signature = (change: (sig: string) => string) =>
      withHeaders(request, (h) => {
        h['authorization'] = authorization.replace(
          /(Signature\s*=\s*)([0-9a-f]+)/,
          (_, head: string, sig: string) => `${head}${change(sig)}`,
        );
      });
    add('signature', signature(flipHex), 'SignatureDoesNotMatch');
    add(
      'signature in upper case',
      signature((sig) => sig.toUpperCase()),
      'SignatureDoesNotMatch',
    );
    add(
      'signature truncated',
      signature((sig) => sig.slice(0, 63)),
      'SignatureDoesNotMatch',
    );
  }

  if (c.service === 's3') {
    const extra = withHeaders(request, (h) => (h['x-amz-meta-added'] = 'x'));
    add('unsigned x-amz-* header on S3', extra, 'HeadersNotSigned');
  }
  return out;
}

test(`${CASES} random requests signed by @smithy/signature-v4 verify, and every signed component is bound (seed ${SEED})`, async (t) => {
  const dice = new Dice(seededRandom(SEED));
  const keys = new SigningKeyCache(64);
  const tally = { verified: 0, header: 0, presigned: 0, s3: 0, other: 0, token: 0, tampered: 0 };
  const byComponent = new Map<string, number>();
  for (let i = 0; i < CASES; i++) {
    const c = generateCase(dice);
    const signed = await sign(c, dice, keys);
    const where = `case ${i} (seed ${SEED}): ${c.form} ${c.service} ${c.method} ${c.path}?${signed.request.query}`;
    const result = verifyRequest(signed.request, signed.options);
    if (!result.ok) {
      const f = result.failure;
      const detail =
        f.code === 'SignatureDoesNotMatch' ? `\n${f.canonicalRequest}\n---\n${f.stringToSign}` : '';
      assert.fail(`${where}\n${f.code}: ${f.message}${detail}`);
    }
    assert.equal(result.accessKeyId, c.accessKeyId, where);
    assert.equal(result.region, c.region, where);
    assert.equal(result.service, c.service, where);
    assert.equal(result.sessionToken, c.sessionToken, where);
    assert.equal(result.sessionTokenSigned, c.sessionToken !== undefined, where);
    assert.equal(result.authType, c.form === 'header' ? 'REST-HEADER' : 'REST-QUERY-STRING', where);
    assert.equal(result.payloadHash, signed.payloadHash, where);
    assert.equal(result.signatureAge, c.now - c.signingDate, where);
    assert.equal(
      result.expiresAt,
      c.form === 'presigned' ? c.signingDate + c.expiresIn * 1000 : undefined,
      where,
    );
    tally.verified++;
    tally[c.form]++;
    tally[c.service === 's3' ? 's3' : 'other']++;
    if (c.sessionToken !== undefined) tally.token++;

    for (const tamper of tampers(c, signed)) {
      const r = verifyRequest(tamper.request, tamper.options);
      const got = r.ok ? 'verified' : r.failure.code;
      assert.equal(
        got,
        tamper.expected,
        `${where}\nchanged ${tamper.what}: expected ${tamper.expected}, got ${got}${r.ok ? '' : `: ${r.failure.message}`}`,
      );
      const component = tamper.what.split(' ')[0] ?? '';
      byComponent.set(component, (byComponent.get(component) ?? 0) + 1);
      tally.tampered++;
    }
  }
  t.diagnostic(
    `verified ${tally.verified}/${CASES} (header ${tally.header}, presigned ${tally.presigned}; S3 ${tally.s3}, other services ${tally.other}; with session token ${tally.token})`,
  );
  t.diagnostic(
    `tampered ${tally.tampered}, all failed as expected: ${[...byComponent].map(([k, n]) => `${k} ${n}`).join(', ')}`,
  );
  // Every kind of case occurs often enough to mean something.
  for (const n of [tally.header, tally.presigned, tally.s3, tally.other, tally.token])
    assert.ok(n >= 80, JSON.stringify(tally));
});
