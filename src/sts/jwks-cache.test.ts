import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fixedClock } from '../shared/clock.js';
import { fetchIssuerDocument, type Fetcher } from './issuer-fetch.js';
import { JwksCache, type JwksCacheOptions } from './jwks-cache.js';
import { ISSUER_PATH, newIssuerKey, startFakeIssuer, type FakeIssuer } from './testdata/fake-issuer.js';
import { makeTestCa } from './testdata/test-ca.js';

const NOW = Date.UTC(2026, 0, 1);
const DISCOVERY = `${ISSUER_PATH}/.well-known/openid-configuration`;
const JWKS = `${ISSUER_PATH}/openid/v1/jwks`;

async function setup(options: Partial<JwksCacheOptions> = {}) {
  const clock = fixedClock(NOW);
  const issuer = await startFakeIssuer();
  const k1 = newIssuerKey('k1');
  issuer.jwks = { keys: [k1.jwk] };
  const fetched: string[] = [];
  const fetch: Fetcher = (url, o) => {
    fetched.push(url.href);
    return fetchIssuerDocument(url, o);
  };
  const cache = new JwksCache({ clock, fetch, timeoutMs: 2000, ...options });
  return { clock, issuer, k1, cache, fetched };
}

async function withIssuer(
  options: Partial<JwksCacheOptions>,
  body: (s: Awaited<ReturnType<typeof setup>>) => Promise<void>,
): Promise<void> {
  const s = await setup(options);
  try {
    await body(s);
  } finally {
    await s.issuer.close();
  }
}

function keyOf(issuer: FakeIssuer, r: Awaited<ReturnType<JwksCache['keyFor']>>) {
  assert.ok(r.ok, r.ok ? '' : `${issuer.url}: ${r.message}`);
  return r.key;
}

test('the key of a kid comes from the discovery document then the JWKS, and is cached', () =>
  withIssuer({}, async ({ issuer, cache }) => {
    const key = keyOf(issuer, await cache.keyFor(issuer.url, 'k1'));
    assert.equal(key?.alg, 'ES256');
    assert.equal(key?.publicKey.asymmetricKeyType, 'ec');
    keyOf(issuer, await cache.keyFor(issuer.url, 'k1'));
    assert.deepEqual(issuer.requests, [DISCOVERY, JWKS]);
  }));

test('key rotation: a new kid refetches the JWKS once the rate-limit window has passed', () =>
  withIssuer({}, async ({ issuer, cache, clock }) => {
    keyOf(issuer, await cache.keyFor(issuer.url, 'k1'));
    const k2 = newIssuerKey('k2');
    issuer.jwks = { keys: [k2.jwk] };
    clock.advance(30_000);
    assert.ok(keyOf(issuer, await cache.keyFor(issuer.url, 'k2')));
    assert.deepEqual(issuer.requests, [DISCOVERY, JWKS, DISCOVERY, JWKS]);
    // k1 left the JWKS: it no longer verifies.
    assert.equal(keyOf(issuer, await cache.keyFor(issuer.url, 'k1')), undefined);
  }));

test('unknown kids refetch at most once per 30 s window per issuer', () =>
  withIssuer({}, async ({ issuer, cache, clock }) => {
    keyOf(issuer, await cache.keyFor(issuer.url, 'k1'));
    clock.advance(29_999);
    assert.equal(keyOf(issuer, await cache.keyFor(issuer.url, 'nope')), undefined);
    assert.equal(issuer.requests.length, 2);
    clock.advance(1);
    assert.equal(keyOf(issuer, await cache.keyFor(issuer.url, 'nope')), undefined);
    assert.equal(keyOf(issuer, await cache.keyFor(issuer.url, 'other')), undefined);
    assert.equal(issuer.requests.length, 4);
    clock.advance(30_000);
    assert.equal(keyOf(issuer, await cache.keyFor(issuer.url, 'nope')), undefined);
    assert.equal(issuer.requests.length, 6);
  }));

test('concurrent lookups share one fetch', () =>
  withIssuer({}, async ({ issuer, cache }) => {
    const all = await Promise.all(['k1', 'k1', 'x', 'k1', 'y'].map((kid) => cache.keyFor(issuer.url, kid)));
    assert.deepEqual(
      all.map((r) => r.ok && r.key !== undefined),
      [true, true, false, true, false],
    );
    assert.deepEqual(issuer.requests, [DISCOVERY, JWKS]);
  }));

test("the JWKS's Cache-Control max-age decides when known keys are refetched", () =>
  withIssuer({}, async ({ issuer, cache, clock }) => {
    issuer.cacheControl = 'public, max-age=600';
    keyOf(issuer, await cache.keyFor(issuer.url, 'k1'));
    clock.advance(599_999);
    keyOf(issuer, await cache.keyFor(issuer.url, 'k1'));
    assert.equal(issuer.requests.length, 2);
    clock.advance(1);
    keyOf(issuer, await cache.keyFor(issuer.url, 'k1'));
    assert.equal(issuer.requests.length, 4);
  }));

test('a discovery document naming another issuer is refused, and its JWKS never fetched', () =>
  withIssuer({}, async ({ issuer, cache }) => {
    issuer.respond = (path) =>
      path === DISCOVERY
        ? {
            status: 200,
            body: JSON.stringify({ issuer: `${issuer.url}/`, jwks_uri: `${issuer.url}/openid/v1/jwks` }),
          }
        : undefined;
    const r = await cache.keyFor(issuer.url, 'k1');
    assert.deepEqual(r, {
      ok: false,
      message: `discovery document ${issuer.url}/.well-known/openid-configuration: the discovery document names issuer \`${issuer.url}/\`, not \`${issuer.url}\` (OpenID Connect Discovery 1.0 §4.3: they must be identical)`,
    });
    assert.deepEqual(issuer.requests, [DISCOVERY]);
  }));

test('bad JSON in the discovery document or the JWKS is a failure that names the document', () =>
  withIssuer({}, async ({ issuer, cache, clock }) => {
    issuer.respond = (path) => (path === DISCOVERY ? { status: 200, body: '{"issuer": ' } : undefined);
    const bad = await cache.keyFor(issuer.url, 'k1');
    assert.equal(bad.ok, false);
    assert.match(
      bad.ok ? '' : bad.message,
      /^discovery document http:\S+: the discovery document is not JSON: /,
    );
    clock.advance(30_000);
    issuer.respond = (path) => (path === JWKS ? { status: 200, body: '{"keys": {}}' } : undefined);
    assert.deepEqual(await cache.keyFor(issuer.url, 'k1'), {
      ok: false,
      message: `JWKS ${issuer.url}/openid/v1/jwks: the JWKS has no \`keys\` array`,
    });
  }));

test('JWKS entries that cannot be used are left out: symmetric, private, wrong use, no kid, a repeated kid', () =>
  withIssuer({}, async ({ issuer, cache, k1 }) => {
    const k2 = newIssuerKey('k2');
    const k3 = newIssuerKey('k3');
    const k4 = newIssuerKey('k4');
    const k5 = newIssuerKey('k5');
    const jwk = (k: { jwk: unknown }) => k.jwk as Record<string, unknown>;
    issuer.jwks = {
      keys: [
        { kty: 'oct', kid: 'sym', k: 'c2VjcmV0' },
        { ...jwk(k2), use: 'enc' },
        { ...jwk(k3), kid: undefined },
        jwk(k4),
        { ...jwk(k5), kid: 'k4' },
        { ...jwk(k5), d: 'AAAA' },
        k1.jwk,
      ],
    };
    assert.ok(keyOf(issuer, await cache.keyFor(issuer.url, 'k1')));
    for (const kid of ['sym', 'k2', 'k3', 'k4', 'k5']) {
      assert.equal(keyOf(issuer, await cache.keyFor(issuer.url, kid)), undefined, kid);
    }
  }));

test('an unreachable issuer fails, and is not retried within the window', async () => {
  const clock = fixedClock(NOW);
  const issuer = await startFakeIssuer();
  await issuer.close();
  let calls = 0;
  const cache = new JwksCache({
    clock,
    fetch: (url, o) => {
      calls++;
      return fetchIssuerDocument(url, o);
    },
  });
  const r = await cache.keyFor(issuer.url, 'k1');
  assert.equal(r.ok, false);
  assert.match(
    r.ok ? '' : r.message,
    /^discovery document http:\/\/127\.0\.0\.1:\d+\/id\/test\/\.well-known\/openid-configuration: ECONNREFUSED: /,
  );
  assert.deepEqual(await cache.keyFor(issuer.url, 'k1'), r);
  assert.equal(calls, 1);
  clock.advance(30_000);
  await cache.keyFor(issuer.url, 'k1');
  assert.equal(calls, 2);
});

test('a failed refetch keeps the fresh keys it could not replace', () =>
  withIssuer({}, async ({ issuer, cache, clock }) => {
    keyOf(issuer, await cache.keyFor(issuer.url, 'k1'));
    issuer.respond = () => ({ status: 503, body: '' });
    clock.advance(30_000);
    const unknown = await cache.keyFor(issuer.url, 'k2');
    assert.equal(unknown.ok, false);
    assert.match(unknown.ok ? '' : unknown.message, /the answer is HTTP 503, expected 200$/);
    assert.ok(keyOf(issuer, await cache.keyFor(issuer.url, 'k1')));
  }));

test('an oversized JWKS and an issuer that never answers fail with the bound that stopped them', () =>
  withIssuer({ maxResponseBytes: 2048, timeoutMs: 100 }, async ({ issuer, cache, clock }) => {
    issuer.jwks = {
      keys: Array.from({ length: 20 }, (_, i) => ({ kty: 'EC', kid: `pad${i}`, x: 'A'.repeat(100) })),
    };
    const big = await cache.keyFor(issuer.url, 'k1');
    assert.equal(big.ok, false);
    assert.match(
      big.ok ? '' : big.message,
      /^JWKS \S+: the answer is \d+ bytes, more than the 2048 allowed$/,
    );
    clock.advance(30_000);
    issuer.respond = () => 'hang';
    assert.deepEqual(await cache.keyFor(issuer.url, 'k1'), {
      ok: false,
      message: `discovery document ${issuer.url}/.well-known/openid-configuration: no complete answer within 100 ms`,
    });
  }));

test('plain http to a non-loopback issuer is refused without fetching anything; allowed with the flag', async () => {
  let calls = 0;
  const fetch: Fetcher = () => {
    calls++;
    return Promise.resolve({ ok: false, message: 'spy' });
  };
  const strict = new JwksCache({ clock: fixedClock(NOW), fetch });
  const r = await strict.keyFor('http://oidc.example.test/id/A', 'k1');
  assert.equal(r.ok, false);
  assert.match(
    r.ok ? '' : r.message,
    /^issuer `http:\/\/oidc\.example\.test\/id\/A`: .* is plain http to a host that is not loopback/,
  );
  assert.equal(calls, 0);
  const loose = new JwksCache({ clock: fixedClock(NOW), fetch, allowInsecureIssuers: true });
  await loose.keyFor('http://oidc.example.test/id/A', 'k1');
  assert.equal(calls, 1);
});

test('a jwks_uri that may not be fetched is refused like an issuer', () =>
  withIssuer({}, async ({ issuer, cache, fetched }) => {
    issuer.respond = (path) =>
      path === DISCOVERY
        ? {
            status: 200,
            body: JSON.stringify({ issuer: issuer.url, jwks_uri: 'http://keys.example.test/jwks' }),
          }
        : undefined;
    const r = await cache.keyFor(issuer.url, 'k1');
    assert.equal(r.ok, false);
    assert.match(r.ok ? '' : r.message, /`jwks_uri` `http:\/\/keys\.example\.test\/jwks` is plain http/);
    assert.equal(fetched.length, 1);
  }));

test('a fetcher that throws is a failed fetch, never a thrown lookup', async () => {
  const cache = new JwksCache({
    clock: fixedClock(NOW),
    fetch: () => Promise.reject(new Error('boom')),
  });
  assert.deepEqual(await cache.keyFor('https://oidc.example.test/id/A', 'k1'), {
    ok: false,
    message: 'discovery document https://oidc.example.test/id/A/.well-known/openid-configuration: boom',
  });
});

test('past maxIssuers the issuer fetched longest ago is forgotten and fetched again when asked', async () => {
  const fetched: string[] = [];
  const fetch: Fetcher = (url) => {
    fetched.push(url.host);
    return Promise.resolve({ ok: false, message: 'spy' });
  };
  const clock = fixedClock(NOW);
  const cache = new JwksCache({ clock, fetch, maxIssuers: 2 });
  await cache.keyFor('https://a.example.test', 'k');
  await cache.keyFor('https://b.example.test', 'k');
  await cache.keyFor('https://a.example.test', 'k'); // remembered failure: no fetch
  await cache.keyFor('https://c.example.test', 'k'); // forgets a
  await cache.keyFor('https://a.example.test', 'k');
  assert.deepEqual(fetched, ['a.example.test', 'b.example.test', 'c.example.test', 'a.example.test']);
});

test('an https issuer verifies with the extra CA, and cannot be reached without it', async (t) => {
  const ca = await makeTestCa();
  if (ca === undefined) {
    t.skip('openssl is not installed: cannot make a test CA');
    return;
  }
  const issuer = await startFakeIssuer({ key: ca.serverKey, cert: ca.serverCert });
  try {
    issuer.jwks = { keys: [newIssuerKey('k1').jwk] };
    const trusting = new JwksCache({ clock: fixedClock(NOW), caCertificates: [ca.caPem] });
    assert.ok(keyOf(issuer, await trusting.keyFor(issuer.url, 'k1')));
    const plain = new JwksCache({ clock: fixedClock(NOW) });
    const r = await plain.keyFor(issuer.url, 'k1');
    assert.equal(r.ok, false);
    assert.match(
      r.ok ? '' : r.message,
      /^discovery document https:\/\/127\.0\.0\.1:\d+\/id\/test\/\.well-known\/openid-configuration: UNABLE_TO_VERIFY_LEAF_SIGNATURE: /,
    );
  } finally {
    await issuer.close();
    await ca.remove();
  }
});
