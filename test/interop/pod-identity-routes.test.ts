/** The webhook on the main listener (`POST /_openirsa/mutate`) and the lookup route exec uses. */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { signRequest } from '../../src/cli/token.js';
import { bootServer, send, type Booted } from './support.js';

interface Fixture {
  readonly name: string;
  readonly source: string;
  readonly serviceAccounts: readonly {
    namespace: string;
    name: string;
    annotations: Record<string, string>;
  }[];
  readonly review: { request: { uid: string } };
  readonly patch: unknown[] | null;
}

const fixtures = JSON.parse(
  readFileSync(
    fileURLToPath(new URL('../../../test/fixtures/admission-reviews.json', import.meta.url)),
    'utf8',
  ),
) as Fixture[];

let server: Booted;
before(async () => {
  server = await bootServer();
  let uid = 0;
  for (const sa of new Map(
    fixtures.flatMap((f) => f.serviceAccounts).map((s) => [`${s.namespace}/${s.name}`, s]),
  ).values()) {
    await server.store.serviceAccounts.upsert({ ...sa, uid: `uid-${++uid}`, at: Date.now() });
  }
});
after(() => server.stop());

const mutate = (body: string, contentType = 'application/json') =>
  send(server.port, 'POST', '/_openirsa/mutate', { 'content-type': contentType }, body);

for (const fixture of fixtures) {
  test(`mutate: ${fixture.name}`, async () => {
    const res = await mutate(JSON.stringify(fixture.review));
    assert.equal(res.status, 200);
    assert.equal(res.headers['content-type'], 'application/json');
    const review = JSON.parse(res.body) as {
      apiVersion: string;
      kind: string;
      response: { uid: string; allowed: boolean; patch?: string; patchType?: string };
    };
    assert.equal(review.apiVersion, 'admission.k8s.io/v1');
    assert.equal(review.kind, 'AdmissionReview');
    assert.equal(review.response.uid, fixture.review.request.uid);
    assert.equal(review.response.allowed, true);
    if (fixture.patch === null) {
      assert.equal(review.response.patch, undefined);
      assert.equal(review.response.patchType, undefined);
    } else {
      assert.equal(review.response.patchType, 'JSONPatch');
      const patch = JSON.parse(
        Buffer.from(review.response.patch ?? '', 'base64').toString('utf8'),
      ) as unknown;
      assert.deepEqual(patch, fixture.patch, fixture.source);
    }
  });
}

test('mutate answers 415 with the webhook message unless Content-Type is exactly application/json', async () => {
  for (const type of ['application/json; charset=utf-8', 'text/plain', 'Application/JSON']) {
    const res = await mutate(JSON.stringify(fixtures[0]?.review), type);
    assert.equal(res.status, 415);
    assert.equal(res.body, 'Invalid Content-Type, expected `application/json`\n');
  }
});

test('an undecodable body is not allowed and carries no uid; a review without a request is bad content', async () => {
  const garbled = JSON.parse((await mutate('{not json')).body) as { response: Record<string, unknown> };
  assert.equal(garbled.response.allowed, false);
  assert.equal(garbled.response.uid, undefined);
  const empty = JSON.parse(
    (await mutate('{"apiVersion":"admission.k8s.io/v1","kind":"AdmissionReview"}')).body,
  ) as {
    response: { allowed: boolean; result: { message: string } };
  };
  assert.deepEqual(empty.response, { allowed: false, result: { message: 'bad content' } });
});

test('mutate accepts POST only, and bounds the body', async () => {
  const res = await send(server.port, 'GET', '/_openirsa/mutate', {});
  assert.equal(res.status, 405);
  const big = await send(server.port, 'POST', '/_openirsa/mutate', {
    'content-type': 'application/json',
    'content-length': String(4 * 1024 * 1024),
  });
  assert.equal(big.status, 413);
});

function signedGet(path: string) {
  const headers = signRequest({
    method: 'GET',
    host: `127.0.0.1:${server.port}`,
    path,
    body: '',
    contentType: 'application/json',
    credentials: server.root,
    now: Date.now(),
  });
  return send(server.port, 'GET', path, headers);
}

test('the service-account route answers the root with the annotations and what they mean', async () => {
  const res = await signedGet('/_openirsa/service-accounts/team-a/app');
  assert.equal(res.status, 200, res.body);
  const reply = JSON.parse(res.body) as Record<string, unknown>;
  assert.equal(reply.roleArn, 'arn:aws:iam::111122223333:role/s3-reader');
  assert.equal(reply.audience, 'my-aud');
  assert.equal(reply.regionalSts, true);
  assert.equal(reply.tokenExpirationSeconds, 7200);
  assert.equal(reply.region, 'us-east-1');
  assert.equal((reply.annotations as Record<string, string>)['eks.amazonaws.com/audience'], 'my-aud');
  // This server runs no transparent proxy, so the answer names none (exec-old-sdk.test.ts has one).
  assert.equal(reply.transparentProxy, undefined);
});

test('the service-account route: unknown is 404 naming it, unsigned is refused, bad names are 400', async () => {
  const unknown = await signedGet('/_openirsa/service-accounts/team-a/nobody');
  assert.equal(unknown.status, 404);
  assert.match(unknown.body, /no service account `team-a\/nobody`/);
  const unsigned = await send(server.port, 'GET', '/_openirsa/service-accounts/team-a/app', {});
  assert.equal(unsigned.status, 403);
  assert.doesNotMatch(unsigned.body, /s3-reader/);
  const bad = await signedGet('/_openirsa/service-accounts/Team_A/app');
  assert.equal(bad.status, 400);
  const post = await send(server.port, 'POST', '/_openirsa/service-accounts/team-a/app', {});
  assert.equal(post.status, 405);
});

function signedTokenRequest(body: Record<string, unknown>) {
  const text = JSON.stringify(body);
  const headers = signRequest({
    method: 'POST',
    host: `127.0.0.1:${server.port}`,
    path: '/_openirsa/token',
    body: text,
    contentType: 'application/json',
    credentials: server.root,
    now: Date.now(),
  });
  return send(server.port, 'POST', '/_openirsa/token', headers, text);
}

test('the token route binds to the given pod uid, so rotated tokens name the same pod', async () => {
  const podUid = '3f8e2a4c-1b2d-4e5f-8a9b-0c1d2e3f4a5b';
  const res = await signedTokenRequest({ namespace: 'team-a', serviceAccount: 'app', pod: 'web-0', podUid });
  assert.equal(res.status, 200, res.body);
  const token = (JSON.parse(res.body) as { token: string }).token;
  const claims = JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString()) as {
    'kubernetes.io': { pod: { name: string; uid: string } };
  };
  assert.deepEqual(claims['kubernetes.io'].pod, { name: 'web-0', uid: podUid });
  for (const bad of [{ podUid }, { pod: 'web-0', podUid: 'NOT-A-UUID' }]) {
    const refused = await signedTokenRequest({ namespace: 'team-a', serviceAccount: 'app', ...bad });
    assert.equal(refused.status, 400);
    assert.match(refused.body, /`podUid` must be a lower-case UUID, and only with `pod`/);
  }
});
