import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { fixedClock } from '../shared/clock.js';
import { randomIds } from '../shared/ids.js';
import { BUILT_IN_CLIENT_ID, openDataDir, registerBuiltInIssuer } from './data-dir.js';
import type { IncomingMessage } from 'node:http';
import type { StoreScope } from '../store/types.js';
import type { AuthenticateDeps } from './authenticate.js';
import { BuiltInIssuer, mayBeIssuerRoute, TOKEN_ROUTE, type IssuerRouteContext } from './issuer-routes.js';

const ACCOUNT = '123456789012';

test('the first start creates one RS256 signing key; later starts load the same key', async () => {
  const tmp = await mkdtemp(join(tmpdir(), 'openirsa-issuer-'));
  try {
    const opts = { dir: join(tmp, 'data'), accountId: ACCOUNT, clock: fixedClock(1_000), ids: randomIds };
    const first = await openDataDir(opts);
    const kid = first.keyRing.activeKey().kid;
    assert.equal(first.keyRing.activeKey().alg, 'RS256');
    assert.equal((await first.store.signingKeys.list()).length, 1);
    await first.store.close();
    const second = await openDataDir(opts);
    assert.equal(second.keyRing.activeKey().kid, kid);
    assert.equal((await second.store.signingKeys.list()).length, 1);
    await second.store.close();
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
});

test('a known issuer URL is registered as an OIDC provider once, and an existing one is kept', async () => {
  const tmp = await mkdtemp(join(tmpdir(), 'openirsa-issuer-'));
  try {
    const clock = fixedClock(1_000);
    const data = await openDataDir({
      dir: join(tmp, 'data'),
      accountId: ACCOUNT,
      clock,
      ids: randomIds,
      issuerUrl: 'http://127.0.0.1:4566',
    });
    const arn = `arn:aws:iam::${ACCOUNT}:oidc-provider/127.0.0.1:4566`;
    const provider = await data.store.oidcProviders.get(ACCOUNT, arn);
    assert.deepEqual(provider?.clientIds, [BUILT_IN_CLIENT_ID]);
    await data.store.oidcProviders.update(ACCOUNT, arn, { clientIds: ['custom'] });
    const again = await registerBuiltInIssuer(data.store, ACCOUNT, 'http://127.0.0.1:4566', clock);
    assert.deepEqual(again.clientIds, ['custom']);
    await data.store.close();
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
});

test('the default issuer URL is the base URL of the first connection the server accepted', () => {
  const issuer = new BuiltInIssuer({ store: {} as never, clock: fixedClock(0) });
  assert.equal(issuer.url(), undefined);
  issuer.observe({ localAddress: '127.0.0.1', localPort: 4566 } as never);
  issuer.observe({ localAddress: '10.0.0.1', localPort: 1 } as never);
  assert.equal(issuer.url(), 'http://127.0.0.1:4566');
  assert.equal(issuer.issuer()?.jwksPath, '/openid/v1/jwks');
  const configured = new BuiltInIssuer(
    { store: {} as never, clock: fixedClock(0) },
    { url: 'https://oidc.example/x' },
  );
  assert.equal(configured.issuer()?.discoveryPath, '/x/.well-known/openid-configuration');
});

test('mayBeIssuerRoute says yes to the token route and to GET/HEAD of the discovery and JWKS paths only', () => {
  const store = {} as StoreScope;
  const clock = fixedClock(1_000);
  const ctx = (url: string): IssuerRouteContext => ({
    issuer: new BuiltInIssuer({ store, clock }, { url }),
    logger: { error: () => undefined },
    auth: {} as AuthenticateDeps,
    store,
    clock,
    ids: randomIds,
  });
  const req = (method: string) => ({ method, socket: {} }) as unknown as IncomingMessage;
  const good = ctx('https://issuer.example.com/cluster');
  const issuer = good.issuer.issuer();
  assert.ok(issuer !== undefined);
  for (const method of ['GET', 'HEAD']) {
    assert.equal(mayBeIssuerRoute(good, req(method), issuer.discoveryPath), true);
    assert.equal(mayBeIssuerRoute(good, req(method), issuer.jwksPath), true);
  }
  assert.equal(mayBeIssuerRoute(good, req('POST'), issuer.discoveryPath), false);
  assert.equal(mayBeIssuerRoute(good, req('POST'), '/'), false);
  assert.equal(mayBeIssuerRoute(good, req('GET'), '/'), false);
  assert.equal(mayBeIssuerRoute(good, req('GET'), '/bucket/key'), false);
  assert.equal(mayBeIssuerRoute(good, req('POST'), TOKEN_ROUTE), true);
  // An unusable issuer URL is left to handleIssuerRoute, which answers its 500 as before.
  assert.equal(mayBeIssuerRoute(ctx('not a url'), req('GET'), '/'), true);
  assert.equal(mayBeIssuerRoute(ctx('not a url'), req('POST'), '/'), false);
});
