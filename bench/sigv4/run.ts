/**
 * SigV4 verification speed: `verifyRequest` on a signed S3 GetObject and an STS GetCallerIdentity (the
 * requests real clients send, docs/raw-requests.md), with the signing-key cache as the server runs it,
 * side by side with the physical limit — the two hashes every verification must compute (SHA-256 of the
 * canonical request, HMAC-SHA256 of the string to sign) on precomputed strings. Prints ns per
 * verification and the ratio. DESIGN.md budget: ≤ 10 µs per verify.
 *
 *   npm run build && node dist/bench/sigv4/run.js
 */
import { createHash, createHmac } from 'node:crypto';
import { Hash } from '@smithy/hash-node';
import { SignatureV4 } from '@smithy/signature-v4';
import { SigningKeyCache } from '../../src/sigv4/signing-key-cache.js';
import type { SigV4Request } from '../../src/sigv4/types.js';
import { verifyRequest } from '../../src/sigv4/verify-request.js';

const ACCESS_KEY = 'AKIAIOSFODNN7EXAMPLE';
const SECRET = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';
const NOW = Date.UTC(2026, 11, 4, 12, 0, 0);
const ROUNDS = 7;
const PER_ROUND = 20_000;

interface Case {
  readonly name: string;
  readonly request: SigV4Request;
}

async function signed(
  service: string,
  method: string,
  host: string,
  path: string,
  query: Record<string, string>,
  body: string,
): Promise<Case> {
  const signer = new SignatureV4({
    credentials: { accessKeyId: ACCESS_KEY, secretAccessKey: SECRET },
    region: 'us-east-1',
    service,
    sha256: Hash.bind(null, 'sha256'),
    uriEscapePath: service !== 's3',
    applyChecksum: true,
  });
  const headers: Record<string, string> = { host, 'user-agent': 'bench' };
  if (service === 's3') headers['x-amz-content-sha256'] = createHash('sha256').update(body).digest('hex');
  if (body) headers['content-type'] = 'application/x-www-form-urlencoded; charset=utf-8';
  const out = await signer.sign(
    { method, protocol: 'http:', hostname: host, path, query, headers, body },
    { signingDate: new Date(NOW) },
  );
  const queryText = Object.entries(query)
    .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`)
    .join('&');
  const lower = Object.fromEntries(Object.entries(out.headers).map(([k, v]) => [k.toLowerCase(), String(v)]));
  return {
    name: `${service} ${method} ${path}`,
    request: {
      method,
      path,
      query: queryText,
      headers: lower,
      payloadHash: createHash('sha256').update(body).digest('hex'),
    },
  };
}

function time(fn: () => number): number {
  let sink = 0;
  for (let i = 0; i < PER_ROUND; i++) sink += fn();
  const rounds: number[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    const t = process.hrtime.bigint();
    for (let i = 0; i < PER_ROUND; i++) sink += fn();
    rounds.push(Number(process.hrtime.bigint() - t) / PER_ROUND);
  }
  if (sink === 42) console.log('');
  return rounds.sort((a, b) => a - b)[Math.floor(ROUNDS / 2)]!;
}

async function main(): Promise<void> {
  const cases = [
    await signed(
      's3',
      'GET',
      '127.0.0.1:4566',
      '/team-a-data/reports/2026/q1.csv',
      { 'x-id': 'GetObject' },
      '',
    ),
    await signed('sts', 'POST', '127.0.0.1:4566', '/', {}, 'Action=GetCallerIdentity&Version=2011-06-15'),
  ];
  console.log(`SigV4 verification, node ${process.version}, median of ${ROUNDS} rounds of ${PER_ROUND}`);
  console.log('  case                                          ours ns   limit ns   ours/limit');
  for (const c of cases) {
    const cache = new SigningKeyCache();
    const options = { secretFor: () => SECRET, now: NOW, signingKeys: cache };
    const first = verifyRequest(c.request, options);
    if (!first.ok) throw new Error(`${c.name} does not verify: ${first.failure.code}`);
    const ours = time(() => (verifyRequest(c.request, options).ok ? 1 : 0));
    // The limit: the two hashes on strings already built, with the signing key already derived.
    const canonical = `${c.request.method}\n${c.request.path}\n${c.request.query}\n${JSON.stringify(c.request.headers)}`;
    const key = createHmac('sha256', 'k').update('x').digest();
    const limit = time(() => {
      const h = createHash('sha256').update(canonical).digest('hex');
      return createHmac('sha256', key).update(`AWS4-HMAC-SHA256\n20261204T120000Z\nscope\n${h}`).digest('hex')
        .length;
    });
    console.log(
      `  ${c.name.padEnd(44)}${ours.toFixed(0).padStart(8)}${limit.toFixed(0).padStart(11)}${(ours / limit).toFixed(2).padStart(12)}x`,
    );
    console.log(`  budget ≤ 10,000 ns: ${ours <= 10_000 ? 'PASS' : 'MISS'}`);
  }
}

await main();
