/**
 * The physical limit of `bench/sts`: a bare `node:http` server that does the one piece of work no STS can
 * skip, and nothing else.
 *
 *   node dist/bench/sts/bare-server.js verify '<public JWK>'   reads the form body, takes WebIdentityToken
 *                                                              and checks its RS256 signature with
 *                                                              crypto.verify, then answers a fixed body
 *   node dist/bench/sts/bare-server.js fixed                   answers a fixed body to every request
 *   node dist/bench/sts/bare-server.js sigv4 SECRET            checks the request's SigV4 header
 *                                                              signature with SECRET (the least work
 *                                                              a signed GetCallerIdentity needs), then
 *                                                              answers a fixed body
 *
 * It prints `port N` on stdout once it listens on 127.0.0.1.
 */
import { createHmac, createPublicKey, hash, verify, type JsonWebKey } from 'node:crypto';
import { createServer } from 'node:http';

/** About the size of a real AssumeRoleWithWebIdentityResponse, so both servers write as many bytes. */
const FIXED_BODY = Buffer.from(
  `<AssumeRoleWithWebIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><AssumeRoleWithWebIdentityResult>${'x'.repeat(1400)}</AssumeRoleWithWebIdentityResult><ResponseMetadata><RequestId>00000000-0000-4000-8000-000000000000</RequestId></ResponseMetadata></AssumeRoleWithWebIdentityResponse>`,
);

const [mode, argument] = process.argv.slice(2);
const key =
  mode === 'verify' && argument !== undefined
    ? createPublicKey({ key: JSON.parse(argument) as JsonWebKey, format: 'jwk' })
    : undefined;
const secret = mode === 'sigv4' ? argument : undefined;
if (mode !== 'fixed' && key === undefined && secret === undefined) {
  throw new Error('usage: bare-server.js verify <jwk> | sigv4 <secret> | fixed');
}

const AUTHORIZATION =
  /^AWS4-HMAC-SHA256 Credential=[^/]+\/(\d{8})\/([^/]*)\/([^/]+)\/aws4_request, ?SignedHeaders=([^,]+), ?Signature=([0-9a-f]{64})$/;
/** The signing key of the one date/region/service this server sees, derived once. */
let signingKey: { scope: string; key: Buffer } | undefined;

/**
 * The SigV4 check and nothing more (no clock skew, no query string, no repeated headers, no unknown
 * keys): the canonical request from the signed headers, two SHA-256s and the HMAC chain's last step.
 */
function signatureMatches(method: string, path: string, raw: readonly string[], body: Buffer): boolean {
  const headers = new Map<string, string>();
  for (let i = 0; i + 1 < raw.length; i += 2) headers.set(raw[i]!.toLowerCase(), raw[i + 1]!.trim());
  const m = AUTHORIZATION.exec(headers.get('authorization') ?? '');
  if (m === null || secret === undefined) return false;
  const [, date, region, service, signed, signature] = m as unknown as [
    string,
    string,
    string,
    string,
    string,
    string,
  ];
  const canonicalHeaders = signed
    .split(';')
    .map((name) => `${name}:${headers.get(name) ?? ''}\n`)
    .join('');
  const canonical = `${method}\n${path}\n\n${canonicalHeaders}\n${signed}\n${hash('sha256', body, 'hex')}`;
  const scope = `${date}/${region}/${service}/aws4_request`;
  if (signingKey?.scope !== scope) {
    let k: Buffer = createHmac('sha256', `AWS4${secret}`).update(date).digest();
    for (const part of [region, service, 'aws4_request']) k = createHmac('sha256', k).update(part).digest();
    signingKey = { scope, key: k };
  }
  const toSign = `AWS4-HMAC-SHA256\n${headers.get('x-amz-date') ?? ''}\n${scope}\n${hash('sha256', canonical, 'hex')}`;
  return createHmac('sha256', signingKey.key).update(toSign).digest('hex') === signature;
}

const server = createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', () => {
    let status = 200;
    if (key !== undefined) {
      // Synchronous on purpose: crypto.verify with a callback (libuv's threadpool) was measured here and
      // is slower for this server (session 5, 2 cores, 16 connections, alternating 2 s rounds on a quiet
      // machine: 14,413-15,643 req/s synchronous vs 9,651-11,490 in the threadpool, main thread 56-60 vs
      // 42-46 µs per request, process 57-62 vs 73-88 µs). At this rate the load process needs the second
      // core, and the threadpool competes with it; openirsa, whose main thread does three times the work,
      // gains from the threadpool instead (verify-jwt.ts verifyDecodedJwtAsync). On a machine already
      // loaded (load average 5) the threadpool won here too (5,990-7,143 vs 4,160-5,777 req/s): the
      // limit is taken on an idle machine, where synchronous is the faster way.
      const token = new URLSearchParams(Buffer.concat(chunks).toString()).get('WebIdentityToken') ?? '';
      const dot = token.lastIndexOf('.');
      const ok =
        dot > 0 &&
        verify(
          'sha256',
          Buffer.from(token.slice(0, dot)),
          key,
          Buffer.from(token.slice(dot + 1), 'base64url'),
        );
      if (!ok) status = 400;
    } else if (secret !== undefined) {
      const ok = signatureMatches(req.method ?? '', req.url ?? '/', req.rawHeaders, Buffer.concat(chunks));
      if (!ok) status = 403;
    }
    res.writeHead(status, { 'Content-Type': 'text/xml', 'Content-Length': FIXED_BODY.length });
    res.end(FIXED_BODY);
  });
});
server.keepAliveTimeout = 60_000;
server.listen(0, '127.0.0.1', () => {
  const address = server.address();
  process.stdout.write(`port ${typeof address === 'object' && address !== null ? address.port : 0}\n`);
});
