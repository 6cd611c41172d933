import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fixedClock } from '../shared/clock.js';
import { sequentialIds } from '../shared/ids.js';
import { parseIssuer, type Issuer } from './issuer.js';
import { KeyRing } from './key-ring.js';
import { mintToken, type MintContext, type MintResult, type TokenRequest } from './mint-token.js';
import { generateSigningKey } from './signing-key.js';
import { verifyJwt } from './verify-jwt.js';

const T0 = Date.UTC(2026, 0, 1, 0, 0, 0, 750); // .750 s: iat must truncate, as go-jose does
const clock = fixedClock(T0);
const issuerResult = parseIssuer('https://oidc.example.test/id/ABC');
assert.ok(issuerResult.ok);
const issuer: Issuer = issuerResult.issuer;
const rsa = KeyRing.create(await generateSigningKey({ clock }), { clock, maxTokenLifetimeSeconds: 86400 });
const ec = KeyRing.create(await generateSigningKey({ clock, alg: 'ES256' }), {
  clock,
  maxTokenLifetimeSeconds: 86400,
});
const ctx = (signer: KeyRing = rsa, extra: Partial<MintContext> = {}): MintContext => ({
  issuer,
  signer,
  clock,
  ids: sequentialIds(),
  ...extra,
});

const sa = { namespace: 'default', name: 'my-serviceaccount', uid: '17ef408b-78a1-4e54-b064-a3c755826052' };
const pod: TokenRequest['boundObject'] = {
  kind: 'Pod',
  name: 'my-pod',
  uid: 'be8695c4-4ad0-4038-8786-c508853aa255',
  node: { name: 'ip-10-0-1-23.us-west-2.compute.internal', uid: '5b2c0000-0000-4000-8000-000000000001' },
};
const irsa: TokenRequest = {
  serviceAccount: sa,
  audiences: ['sts.amazonaws.com'],
  expirationSeconds: 86400,
  boundObject: pod,
};

function ok(r: MintResult) {
  assert.ok(r.ok, r.ok ? '' : `${r.code}: ${r.message}`);
  return r;
}
function part(token: string, i: number): string {
  return Buffer.from(token.split('.')[i] ?? '', 'base64url').toString('utf8');
}
const iat = Math.floor(T0 / 1000);

test('an IRSA token has exactly the claims kube-apiserver writes, members sorted as go-jose writes them', () => {
  const m = ok(mintToken(irsa, ctx()));
  assert.equal(
    part(m.token, 0),
    `{"alg":"RS256","kid":"${rsa.activeKey().kid}"}`,
    'no typ (irsa-wire.md §1.1)',
  );
  assert.equal(
    part(m.token, 1),
    `{"aud":["sts.amazonaws.com"],"exp":${iat + 86400},"iat":${iat},"iss":"https://oidc.example.test/id/ABC",` +
      `"jti":"${m.claims.jti}","kubernetes.io":{"namespace":"default",` +
      '"node":{"name":"ip-10-0-1-23.us-west-2.compute.internal","uid":"5b2c0000-0000-4000-8000-000000000001"},' +
      '"pod":{"name":"my-pod","uid":"be8695c4-4ad0-4038-8786-c508853aa255"},' +
      '"serviceaccount":{"name":"my-serviceaccount","uid":"17ef408b-78a1-4e54-b064-a3c755826052"}},' +
      `"nbf":${iat},"sub":"system:serviceaccount:default:my-serviceaccount"}`,
  );
  assert.deepEqual(JSON.parse(part(m.token, 1)), m.claims);
  assert.deepEqual(m.header, { alg: 'RS256', kid: rsa.activeKey().kid });
  assert.equal(m.expirationSeconds, 86400);
  assert.equal(m.expirationTimestamp, '2026-01-02T00:00:00Z');
  assert.deepEqual(m.warnings, []);
});

test('aud is an array even with one audience, and defaults to the API audiences, then the issuer', () => {
  assert.deepEqual(ok(mintToken({ serviceAccount: sa, audiences: ['a'] }, ctx())).claims.aud, ['a']);
  assert.deepEqual(ok(mintToken({ serviceAccount: sa, audiences: ['a', 'b'] }, ctx())).claims.aud, [
    'a',
    'b',
  ]);
  assert.deepEqual(ok(mintToken({ serviceAccount: sa }, ctx())).claims.aud, [
    'https://oidc.example.test/id/ABC',
  ]);
  assert.deepEqual(
    ok(mintToken({ serviceAccount: sa, audiences: [] }, ctx(rsa, { apiAudiences: ['api'] }))).claims.aud,
    ['api'],
  );
  const empty = mintToken({ serviceAccount: sa, audiences: [''] }, ctx());
  assert.deepEqual(empty, {
    ok: false,
    code: 'invalidAudience',
    message: 'every audience must be a non-empty string',
  });
});

test('TokenRequest: expirationSeconds defaults to 3600, and iat = nbf = now in whole seconds', () => {
  const m = ok(mintToken({ serviceAccount: sa }, ctx()));
  assert.equal(m.claims.iat, iat);
  assert.equal(m.claims.nbf, iat);
  assert.equal(m.claims.exp, iat + 3600);
  assert.equal(m.expirationSeconds, 3600);
});

test("TokenRequest: expirationSeconds below 600 is refused with Kubernetes' validation message", () => {
  assert.deepEqual(mintToken({ serviceAccount: sa, expirationSeconds: 599 }, ctx()), {
    ok: false,
    code: 'invalidExpiration',
    message: 'spec.expirationSeconds: Invalid value: 599: may not specify a duration less than 10 minutes',
  });
  assert.equal(ok(mintToken({ serviceAccount: sa, expirationSeconds: 600 }, ctx())).claims.exp, iat + 600);
  assert.deepEqual(mintToken({ serviceAccount: sa, expirationSeconds: 2 ** 32 + 1 }, ctx()), {
    ok: false,
    code: 'invalidExpiration',
    message:
      'spec.expirationSeconds: Invalid value: 4294967297: may not specify a duration larger than 2^32 seconds',
  });
  assert.deepEqual(mintToken({ serviceAccount: sa, expirationSeconds: 600.5 }, ctx()), {
    ok: false,
    code: 'invalidExpiration',
    message: '`expirationSeconds` must be a whole number of seconds, found `600.5`',
  });
});

test("TokenRequest: a lifetime above the cap is shortened to it, with kube-apiserver's warning", () => {
  const m = ok(mintToken({ serviceAccount: sa, expirationSeconds: 2 ** 32 }, ctx()));
  assert.equal(m.expirationSeconds, 86400);
  assert.equal(m.claims.exp, iat + 86400);
  assert.deepEqual(m.warnings, ['requested expiration of 4294967296 seconds shortened to 86400 seconds']);
});

test('jti is a random UUIDv4, different for every token', () => {
  const c = ctx();
  const a = ok(mintToken({ serviceAccount: sa }, c)).claims.jti;
  const b = ok(mintToken({ serviceAccount: sa }, c)).claims.jti;
  assert.match(a, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  assert.notEqual(a, b);
});

test('the bound object decides the kubernetes.io refs: pod (+ node), secret, node, or none', () => {
  const k = (boundObject?: TokenRequest['boundObject']) =>
    ok(mintToken({ serviceAccount: sa, ...(boundObject ? { boundObject } : {}) }, ctx())).claims[
      'kubernetes.io'
    ];
  const refSa = { name: 'my-serviceaccount', uid: sa.uid };
  assert.deepEqual(k(), { namespace: 'default', serviceaccount: refSa });
  assert.deepEqual(k({ kind: 'Pod', name: 'p', uid: 'u1', node: { name: 'n1' } }), {
    namespace: 'default',
    serviceaccount: refSa,
    pod: { name: 'p', uid: 'u1' },
    node: { name: 'n1' },
  });
  assert.deepEqual(k({ kind: 'Secret', name: 's', uid: 'u2' }), {
    namespace: 'default',
    serviceaccount: refSa,
    secret: { name: 's', uid: 'u2' },
  });
  assert.deepEqual(k({ kind: 'Node', name: 'n', uid: 'u3' }), {
    namespace: 'default',
    serviceaccount: refSa,
    node: { name: 'n', uid: 'u3' },
  });
});

test('names that are not Kubernetes names are refused before anything is signed', () => {
  const r = (serviceAccount: TokenRequest['serviceAccount'], boundObject?: TokenRequest['boundObject']) => {
    const m = mintToken({ serviceAccount, ...(boundObject ? { boundObject } : {}) }, ctx());
    return m.ok ? 'ok' : m.code;
  };
  assert.equal(r({ ...sa, namespace: 'Default' }), 'invalidServiceAccount');
  assert.equal(r({ ...sa, namespace: 'a.b' }), 'invalidServiceAccount');
  assert.equal(r({ ...sa, namespace: 'x'.repeat(64) }), 'invalidServiceAccount');
  assert.equal(r({ ...sa, name: 'a:b' }), 'invalidServiceAccount', 'a colon would make `sub` ambiguous');
  assert.equal(r({ ...sa, name: 'my.sa-1' }), 'ok');
  assert.equal(r(sa, { kind: 'Pod', name: 'P' }), 'invalidBoundObject');
  assert.equal(r(sa, { kind: 'Pod', name: 'p', node: { name: '-n' } }), 'invalidBoundObject');
  const m = mintToken({ serviceAccount: { ...sa, namespace: 'Default' } }, ctx());
  assert.equal(
    m.ok ? '' : m.message,
    'namespace `Default` is not an RFC 1123 label (at most 63 lower-case letters, digits or `-`, starting and ending with a letter or digit)',
  );
});

test('session tags become the https://aws.amazon.com/tags claim', () => {
  const m = ok(
    mintToken(
      {
        serviceAccount: sa,
        sessionTags: {
          tags: [
            { key: 'Project', value: 'Automation' },
            { key: 'Team', value: 'a b' },
          ],
          transitiveTagKeys: ['Project'],
        },
      },
      ctx(),
    ),
  );
  assert.deepEqual(m.claims['https://aws.amazon.com/tags'], {
    principal_tags: { Project: ['Automation'], Team: ['a b'] },
    transitive_tag_keys: ['Project'],
  });
  const bad = mintToken(
    { serviceAccount: sa, sessionTags: { tags: [{ key: 'a\u0000', value: '' }] } },
    ctx(),
  );
  assert.equal(bad.ok ? '' : bad.code, 'invalidSessionTags');
});

test('mint → verify round trips for RS256 and ES256', () => {
  for (const signer of [rsa, ec]) {
    const m = ok(mintToken(irsa, ctx(signer)));
    const v = verifyJwt(m.token, { keyFor: (kid) => signer.keyFor(kid), clock });
    assert.ok(v.ok, v.ok ? '' : v.message);
    assert.equal(v.header.alg, signer.activeKey().alg);
    assert.deepEqual(v.claims, m.claims);
  }
  assert.equal(ok(mintToken(irsa, ctx(ec))).header.alg, 'ES256');
});

test('strings are escaped as Go escapes them, and read back unchanged', () => {
  const m = ok(mintToken({ serviceAccount: sa, audiences: ['a&b<c>'] }, ctx()));
  assert.match(part(m.token, 1), /"aud":\["a\\u0026b\\u003cc\\u003e"\]/);
  const v = verifyJwt(m.token, { keyFor: (kid) => rsa.keyFor(kid), clock });
  assert.ok(v.ok);
  assert.deepEqual(v.claims.aud, ['a&b<c>']);
});
