/**
 * The physical limit of `bench/sts`: a bare `node:http` server that does the one piece of work no STS can
 * skip, and nothing else.
 *
 *   node dist/bench/sts/bare-server.js verify '<public JWK>'   reads the form body, takes WebIdentityToken
 *                                                              and checks its RS256 signature with
 *                                                              crypto.verify, then answers a fixed body
 *   node dist/bench/sts/bare-server.js fixed                   answers a fixed body to every request
 *
 * It prints `port N` on stdout once it listens on 127.0.0.1.
 */
import { createPublicKey, verify, type JsonWebKey } from 'node:crypto';
import { createServer } from 'node:http';

/** About the size of a real AssumeRoleWithWebIdentityResponse, so both servers write as many bytes. */
const FIXED_BODY = Buffer.from(
  `<AssumeRoleWithWebIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><AssumeRoleWithWebIdentityResult>${'x'.repeat(1400)}</AssumeRoleWithWebIdentityResult><ResponseMetadata><RequestId>00000000-0000-4000-8000-000000000000</RequestId></ResponseMetadata></AssumeRoleWithWebIdentityResponse>`,
);

const [mode, jwkText] = process.argv.slice(2);
const key =
  mode === 'verify' && jwkText !== undefined
    ? createPublicKey({ key: JSON.parse(jwkText) as JsonWebKey, format: 'jwk' })
    : undefined;
if (mode !== 'fixed' && key === undefined) throw new Error('usage: bare-server.js verify <jwk> | fixed');

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
