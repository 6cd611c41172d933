/**
 * AssumeRoleWithWebIdentity with a token of an external issuer (not the server's built-in one): keys
 * from a local 127.0.0.1 issuer's discovery document and JWKS through `JwksCache`, and the errors that
 * separate "the issuer could not be reached" (IDPCommunicationError, which botocore retries) from "the
 * token is bad" (InvalidIdentityToken).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { AuditDecision } from '../../audit/event.js';
import type { ActionContext } from '../../iam/query-action.js';
import { encodeBase64url } from '../../identity/base64url.js';
import { PolicyCache } from '../../policy/compile.js';
import { AwsError } from '../../shared/aws-error.js';
import { fixedClock } from '../../shared/clock.js';
import { sequentialIds } from '../../shared/ids.js';
import { openSqliteStore } from '../../store/sqlite/sqlite-store.js';
import { JwksCache } from '../jwks-cache.js';
import { oidcProviderArn, oidcProviderKey } from '../oidc-provider-arn.js';
import { issuerToken, newIssuerKey, startFakeIssuer, type FakeIssuer } from '../testdata/fake-issuer.js';
import { assumeRoleWithWebIdentity, type WebIdentityDeps } from './assume-role-with-web-identity.js';

const ACCOUNT = '111122223333';
const ROLE = `arn:aws:iam::${ACCOUNT}:role/reader`;
const NOW = Date.UTC(2026, 0, 1);
const SEALING = { id: 'sk-test', key: Buffer.alloc(32, 9) };
const NO_KEY =
  "Couldn't retrieve verification key from your identity provider,  please reference AssumeRoleWithWebIdentity documentation for requirements";

async function setup(options: { register?: boolean; external?: boolean } = {}) {
  const issuer = await startFakeIssuer();
  const k1 = newIssuerKey('k1');
  issuer.jwks = { keys: [k1.jwk] };
  const clock = fixedClock(NOW);
  const store = openSqliteStore({ path: ':memory:', clock });
  await store.accounts.create({ id: ACCOUNT, createdAt: NOW });
  const provider = oidcProviderArn('aws', ACCOUNT, issuer.url);
  if (options.register !== false) {
    await store.oidcProviders.create({
      accountId: ACCOUNT,
      arn: provider,
      url: issuer.url,
      clientIds: ['sts.amazonaws.com'],
      thumbprints: [],
      createdAt: NOW,
    });
  }
  await store.roles.create({
    accountId: ACCOUNT,
    name: 'reader',
    id: 'AROAEXAMPLEREADER0001',
    path: '/',
    arn: ROLE,
    maxSessionDuration: 3600,
    trustPolicy: JSON.stringify({
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Allow',
          Principal: { Federated: provider },
          Action: 'sts:AssumeRoleWithWebIdentity',
          Condition: {
            StringEquals: { [`${oidcProviderKey(issuer.url)}:sub`]: 'system:serviceaccount:team:app' },
          },
        },
      ],
    }),
    createdAt: NOW,
  });
  const cache = new JwksCache({ clock, timeoutMs: 2000 });
  const decisions = new Map<string, AuditDecision>();
  const deps: WebIdentityDeps = {
    builtInIssuer: () => Promise.resolve({ url: 'http://127.0.0.1:1', keyFor: () => undefined }),
    sealingKey: () => Promise.resolve(SEALING),
    recordDecision: (id, d) => decisions.set(id, d),
    ...(options.external !== false
      ? { externalIssuerKey: (iss: string, kid: string) => cache.keyFor(iss, kid) }
      : {}),
  };
  const ctx: ActionContext = {
    store,
    clock,
    ids: sequentialIds(),
    caller: { kind: 'anonymous' },
    requestId: 'req-1',
    region: 'us-east-1',
    policies: new PolicyCache(),
  };
  const action = assumeRoleWithWebIdentity(deps);
  const assume = (token: string) =>
    action.handle({ RoleArn: ROLE, RoleSessionName: 'app', WebIdentityToken: token }, ctx);
  const done = async () => {
    await issuer.close();
    await store.close();
  };
  return { issuer, k1, clock, provider, decisions, assume, done };
}

function rejectsWith(code: string, status: number, message: string | RegExp) {
  return (e: unknown) => {
    assert.ok(e instanceof AwsError);
    assert.equal(e.code, code);
    assert.equal(e.status, status);
    if (typeof message === 'string') assert.equal(e.message, message);
    else assert.match(e.message, message);
    return true;
  };
}

/** A token with a hand-written header: signJws refuses to make the bad ones. */
function forged(header: Record<string, unknown>, issuer: FakeIssuer): string {
  const part = (v: unknown) => encodeBase64url(JSON.stringify(v));
  const now = NOW / 1000;
  return `${part(header)}.${part({ iss: issuer.url, sub: 'system:serviceaccount:team:app', aud: 'sts.amazonaws.com', exp: now + 600 })}.${encodeBase64url('sig')}`;
}

test("a token of a registered external issuer verifies with the issuer's JWKS key", async () => {
  const s = await setup();
  try {
    const out = await s.assume(issuerToken(s.issuer.url, s.k1, NOW));
    assert.equal(out.AssumedRoleUser?.Arn, `arn:aws:sts::${ACCOUNT}:assumed-role/reader/app`);
    assert.equal(out.Provider, s.provider);
    assert.equal(out.SubjectFromWebIdentityToken, 'system:serviceaccount:team:app');
    assert.equal(s.decisions.get('req-1')?.decision, 'allowed');
    assert.equal(s.issuer.requests.length, 2);
  } finally {
    await s.done();
  }
});

test('after key rotation the new kid is fetched and verifies; a kid still unknown after the refetch is InvalidIdentityToken', async () => {
  const s = await setup();
  try {
    await s.assume(issuerToken(s.issuer.url, s.k1, NOW));
    const k2 = newIssuerKey('k2');
    s.issuer.jwks = { keys: [s.k1.jwk, k2.jwk] };
    s.clock.advance(30_000);
    await s.assume(issuerToken(s.issuer.url, k2, s.clock.now()));
    assert.equal(s.issuer.requests.length, 4);
    s.clock.advance(30_000);
    await assert.rejects(
      s.assume(issuerToken(s.issuer.url, newIssuerKey('k3'), s.clock.now())),
      rejectsWith('InvalidIdentityToken', 400, NO_KEY),
    );
    assert.equal(s.issuer.requests.length, 6);
  } finally {
    await s.done();
  }
});

test('an unreachable issuer is IDPCommunicationError 400, and the audit explanation says why', async () => {
  const s = await setup();
  try {
    await s.issuer.close();
    await assert.rejects(
      s.assume(issuerToken(s.issuer.url, s.k1, NOW)),
      rejectsWith('IDPCommunicationError', 400, NO_KEY),
    );
    const explanation = s.decisions.get('req-1')?.explanation ?? '';
    assert.match(
      explanation,
      /^implicitDeny: the keys of issuer `http:\/\/127\.0\.0\.1:\d+\/id\/test` could not be retrieved: /,
    );
    assert.match(explanation, /ECONNREFUSED/);
  } finally {
    await s.done();
  }
});

test('a discovery document for another issuer is IDPCommunicationError', async () => {
  const s = await setup();
  try {
    s.issuer.respond = (path) =>
      path.endsWith('/openid-configuration')
        ? {
            status: 200,
            body: JSON.stringify({
              issuer: 'https://elsewhere.example.test',
              jwks_uri: `${s.issuer.url}/openid/v1/jwks`,
            }),
          }
        : undefined;
    await assert.rejects(
      s.assume(issuerToken(s.issuer.url, s.k1, NOW)),
      rejectsWith('IDPCommunicationError', 400, NO_KEY),
    );
    assert.match(
      s.decisions.get('req-1')?.explanation ?? '',
      /names issuer `https:\/\/elsewhere\.example\.test`/,
    );
  } finally {
    await s.done();
  }
});

test('token-content errors fetch nothing and are never IDPCommunicationError, even with the issuer down', async () => {
  const s = await setup();
  try {
    await s.issuer.close();
    await assert.rejects(
      s.assume(forged({ alg: 'HS256', kid: 'k1' }, s.issuer)),
      rejectsWith('InvalidIdentityToken', 400, /HMAC algorithm `HS256` is never accepted/),
    );
    await assert.rejects(
      s.assume(forged({ alg: 'none', kid: 'k1' }, s.issuer)),
      rejectsWith('InvalidIdentityToken', 400, /`alg: none`/),
    );
    await assert.rejects(
      s.assume(forged({ alg: 'ES256' }, s.issuer)),
      rejectsWith('InvalidIdentityToken', 400, NO_KEY),
    );
    await assert.rejects(
      s.assume(forged({ alg: 'ES256', kid: 'k1', crit: ['exp'] }, s.issuer)),
      rejectsWith('InvalidIdentityToken', 400, /critical extensions/),
    );
    assert.deepEqual(s.issuer.requests, []);
  } finally {
    await s.done();
  }
});

test("a bad signature and an expired token are the token's errors, not the issuer's", async () => {
  const s = await setup();
  try {
    const impostor = { kid: 'k1', privateKey: newIssuerKey('k1').privateKey };
    await assert.rejects(
      s.assume(issuerToken(s.issuer.url, impostor, NOW)),
      rejectsWith('InvalidIdentityToken', 400, 'the signature does not verify with key `k1`'),
    );
    await assert.rejects(
      s.assume(issuerToken(s.issuer.url, s.k1, NOW - 2 * 3_600_000)),
      rejectsWith(
        'ExpiredTokenException',
        400,
        /^Token expired: current date\/time \d+ must be before the expiration date\/time\d+$/,
      ),
    );
  } finally {
    await s.done();
  }
});

test('an issuer that is not a registered provider of the role account is never fetched', async () => {
  const s = await setup({ register: false });
  try {
    await assert.rejects(
      s.assume(issuerToken(s.issuer.url, s.k1, NOW)),
      rejectsWith(
        'InvalidIdentityToken',
        400,
        `No OpenIDConnect provider found in your account for ${s.issuer.url}`,
      ),
    );
    assert.deepEqual(s.issuer.requests, []);
  } finally {
    await s.done();
  }
});

test('without a key source for external issuers their tokens are refused, fail closed', async () => {
  const s = await setup({ external: false });
  try {
    await assert.rejects(
      s.assume(issuerToken(s.issuer.url, s.k1, NOW)),
      rejectsWith(
        'InvalidIdentityToken',
        400,
        `no key source for external issuers is configured, so tokens of ${s.issuer.url} cannot be verified`,
      ),
    );
    assert.deepEqual(s.issuer.requests, []);
  } finally {
    await s.done();
  }
});
