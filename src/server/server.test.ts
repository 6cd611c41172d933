import assert from 'node:assert/strict';
import { request } from 'node:http';
import { after, before, describe, test } from 'node:test';
import { MemoryRing } from '../audit/memory-ring.js';
import { fixedClock } from '../shared/clock.js';
import { sequentialIds } from '../shared/ids.js';
import { openSqliteStore } from '../store/sqlite/sqlite-store.js';
import type { Store } from '../store/types.js';
import { close, listen } from './listen.js';
import { MUTATE_ROUTE, SERVICE_ACCOUNT_ROUTE_PREFIX } from './pod-identity-routes.js';
import { ADMIN_PREFIX, createServer, type ServerOptions } from './server.js';

interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

function call(port: number, method: string, path: string, headers: Record<string, string>, body = '') {
  return new Promise<Reply>((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, method, path, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () =>
        resolve({
          status: res.statusCode ?? 0,
          headers: res.headers,
          body: Buffer.concat(chunks).toString(),
        }),
      );
    });
    req.on('error', reject);
    req.end(body);
  });
}

const FORM = { 'content-type': 'application/x-www-form-urlencoded' };
const code = (xml: string) => /<Code>([^<]*)<\/Code>/.exec(xml)?.[1];

async function boot(overrides: Partial<ServerOptions> = {}) {
  const store = openSqliteStore({ path: ':memory:' });
  const logged: string[] = [];
  const server = createServer({
    store,
    clock: fixedClock(Date.UTC(2026, 0, 1)),
    ids: sequentialIds(),
    region: 'us-east-1',
    audit: new MemoryRing(),
    logger: { error: (m, f) => logged.push(`${m} ${JSON.stringify(f)}`) },
    maxBodyBytes: 1024,
    ...overrides,
  });
  const { port } = await listen(server, 0);
  return { port, store, logged, stop: async () => (await close(server), await store.close()) };
}

describe('server pipeline', () => {
  let s: Awaited<ReturnType<typeof boot>>;
  before(async () => {
    s = await boot();
  });
  after(async () => {
    await s.stop();
  });

  test('GET /_openirsa/health answers 200 {"status":"ok"} as JSON with a request id', async () => {
    const r = await call(s.port, 'GET', '/_openirsa/health', {});
    assert.equal(r.status, 200);
    assert.equal(r.headers['content-type'], 'application/json');
    assert.deepEqual(JSON.parse(r.body), { status: 'ok' });
    assert.match(String(r.headers['x-amzn-requestid']), /^00000000-0000-4000-8000-/);
  });

  test('an unknown admin route is 404 JSON', async () => {
    const r = await call(s.port, 'GET', '/_openirsa/nope', {});
    assert.equal(r.status, 404);
    assert.equal(r.headers['content-type'], 'application/json');
  });

  test('a body over the bound is 413, decided from Content-Length before reading', async () => {
    const r = await call(s.port, 'POST', '/', FORM, 'Action=GetCallerIdentity&x=' + 'a'.repeat(2000));
    assert.equal(r.status, 413);
    assert.equal(code(r.body), 'RequestEntityTooLarge');
    assert.equal(r.headers['connection'], 'close');
  });

  test('a chunked body that grows over the bound is 413', async () => {
    const r = await call(s.port, 'POST', '/', { ...FORM, 'transfer-encoding': 'chunked' }, 'a'.repeat(5000));
    assert.equal(r.status, 413);
  });

  test('an unsigned request for an STS action is routed by Action and needs authentication', async () => {
    const r = await call(s.port, 'POST', '/', FORM, 'Action=GetCallerIdentity&Version=2011-06-15');
    assert.equal(r.status, 403);
    assert.equal(code(r.body), 'MissingAuthenticationToken');
    assert.match(r.body, /xmlns="https:\/\/sts\.amazonaws\.com\/doc\/2011-06-15\/"/);
    const id = String(r.headers['x-amzn-requestid']);
    assert.ok(r.body.includes(`<RequestId>${id}</RequestId>`));
  });

  test('an unsigned request to host iam.* is IAM and needs authentication', async () => {
    const r = await call(s.port, 'POST', '/', { ...FORM, host: 'iam.amazonaws.com' }, 'Action=ListRoles');
    assert.equal(code(r.body), 'MissingAuthenticationToken');
    assert.match(r.body, /iam\.amazonaws\.com\/doc\/2010-05-08/);
  });

  test("a request for no other service goes to S3, the default, and answers in S3's error shape", async () => {
    const r = await call(s.port, 'GET', '/bucket/key', {});
    assert.equal(r.status, 404);
    assert.equal(code(r.body), 'NoSuchBucket');
    assert.match(r.body, /^<\?xml version="1.0" encoding="UTF-8"\?>\n<Error>/);
    assert.equal(typeof r.headers['x-amz-request-id'], 'string');
  });

  test('an Expect header other than 100-continue is ignored, not answered 417', async () => {
    for (const expect of ['200', '']) {
      const r = await call(s.port, 'GET', '/bucket/key', { expect });
      assert.equal(r.status, 404, `Expect: ${expect}`);
      assert.equal(code(r.body), 'NoSuchBucket');
    }
  });

  test('a malformed Authorization header is IncompleteSignature 400', async () => {
    const r = await call(
      s.port,
      'POST',
      '/',
      { ...FORM, authorization: 'AWS4-HMAC-SHA256 Credential=AKIAX/20260101/us-east-1/sts/aws4_request' },
      'Action=GetCallerIdentity',
    );
    assert.equal(r.status, 400);
    assert.equal(code(r.body), 'IncompleteSignature');
  });

  test('two servers run side by side in one process', async () => {
    const other = await boot();
    try {
      const [a, b] = await Promise.all([
        call(s.port, 'GET', '/_openirsa/health', {}),
        call(other.port, 'GET', '/_openirsa/health', {}),
      ]);
      assert.equal(a.status, 200);
      assert.equal(b.status, 200);
    } finally {
      await other.stop();
    }
  });
});

test('an error that is not an AwsError is InternalFailure 500 with the request id; the stack goes to the log only', async () => {
  const real = openSqliteStore({ path: ':memory:' });
  const broken: Store = {
    ...real,
    accessKeys: {
      ...real.accessKeys,
      get: () => Promise.reject(new Error('disk on fire at /secret/path')),
    },
  };
  const s = await boot({ store: broken });
  try {
    const r = await call(
      s.port,
      'POST',
      '/',
      {
        ...FORM,
        'x-amz-date': '20260101T000000Z',
        authorization:
          'AWS4-HMAC-SHA256 Credential=AKIAEXAMPLE/20260101/us-east-1/sts/aws4_request, SignedHeaders=host;x-amz-date, Signature=' +
          '0'.repeat(64),
      },
      'Action=GetCallerIdentity',
    );
    assert.equal(r.status, 500);
    assert.equal(code(r.body), 'InternalFailure');
    assert.ok(!r.body.includes('disk on fire'));
    const id = String(r.headers['x-amzn-requestid']);
    assert.ok(r.body.includes(`<RequestId>${id}</RequestId>`));
    assert.equal(s.logged.length, 1);
    assert.match(s.logged[0] ?? '', /disk on fire/);
    assert.ok(s.logged[0]?.includes(id));
  } finally {
    await s.stop();
    await real.close();
  }
});

test('the pod-identity routes live under the admin prefix, where the server looks for them', () => {
  assert.ok(MUTATE_ROUTE.startsWith(ADMIN_PREFIX));
  assert.ok(SERVICE_ACCOUNT_ROUTE_PREFIX.startsWith(ADMIN_PREFIX));
});
