/** The admin routes behind `openirsa apply` and `openirsa rotate-signing-key`, over HTTP. */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { MemoryRing } from '../../src/audit/memory-ring.js';
import { signRequest } from '../../src/cli/token.js';
import { close, listen } from '../../src/server/listen.js';
import { createServer } from '../../src/server/server.js';
import { systemClock } from '../../src/shared/clock.js';
import { randomIds } from '../../src/shared/ids.js';
import { openSqliteStore, SQLITE_FILE_NAME } from '../../src/store/sqlite/sqlite-store.js';
import { ACCOUNT, bootServer, REGION, send, type Booted, type Credentials } from './support.js';

const SA = `apiVersion: v1
kind: ServiceAccount
metadata: {name: app, namespace: team-a}
`;

function post(s: Booted, path: string, body: string, credentials: Credentials = s.root) {
  const headers = signRequest({
    method: 'POST',
    host: `127.0.0.1:${s.port}`,
    path,
    body,
    contentType: 'application/json',
    credentials,
    now: Date.now(),
  });
  return send(s.port, 'POST', path, headers, body);
}

describe('admin routes: apply and rotate-signing-key', () => {
  let s: Booted;
  before(async () => {
    s = await bootServer();
  });
  after(async () => {
    await s.stop();
  });

  test('apply converges the manifests it is sent and answers what changed', async () => {
    const body = JSON.stringify({ roots: ['/m'], files: [{ path: '/m/sa.yaml', text: SA }], prune: false });
    const r = await post(s, '/_openirsa/apply', body);
    assert.equal(r.status, 200, r.body);
    assert.deepEqual(JSON.parse(r.body), {
      ok: true,
      objects: [{ kind: 'ServiceAccount', name: 'team-a/app', action: 'created' }],
      problems: [],
      conflicts: [],
    });
    assert.ok((await s.store.serviceAccounts.get('team-a', 'app')) !== undefined);
    const records = await s.store.manifestObjects.list(ACCOUNT);
    assert.deepEqual(
      records.map((o) => `${o.kind} ${o.key} ${o.source}`),
      ['ServiceAccount team-a/app /m/sa.yaml'],
    );
    // Pruned once its document is gone.
    const pruned = await post(
      s,
      '/_openirsa/apply',
      JSON.stringify({ roots: ['/m'], files: [], prune: true }),
    );
    assert.deepEqual((JSON.parse(pruned.body) as { objects: unknown }).objects, [
      { kind: 'ServiceAccount', name: 'team-a/app', action: 'deleted' },
    ]);
    assert.equal(await s.store.serviceAccounts.get('team-a', 'app'), undefined);
  });

  test('a rejected manifest is 422 with file, document index and field; nothing is applied', async () => {
    const bad = `${SA}---\napiVersion: iam.services.k8s.aws/v1alpha1\nkind: Role\nmetadata: {name: r}\nspec: {name: r}\n`;
    const r = await post(
      s,
      '/_openirsa/apply',
      JSON.stringify({ roots: ['/m'], files: [{ path: '/m/bad.yaml', text: bad }], prune: true }),
    );
    assert.equal(r.status, 422);
    const reply = JSON.parse(r.body) as {
      ok: boolean;
      problems: { file: string; documentIndex: number; path: string }[];
    };
    assert.equal(reply.ok, false);
    assert.ok(
      reply.problems.some(
        (p) => p.file === '/m/bad.yaml' && p.documentIndex === 1 && p.path.startsWith('spec'),
      ),
    );
    assert.equal(await s.store.serviceAccounts.get('team-a', 'app'), undefined);
  });

  test('malformed apply requests are 400 with what is wrong', async () => {
    const cases: [string, string][] = [
      ['{', 'the request body is not JSON'],
      ['[]', 'the request body must be a JSON object'],
      ['{"roots":[],"files":[]}', '`prune` must be true or false'],
      [
        '{"roots":["relative"],"files":[],"prune":false}',
        '`roots[0]` must be an absolute path of at most 4096 characters',
      ],
      [
        '{"roots":[],"files":[{"path":"/a"}],"prune":false}',
        '`files[0]` must be {"path": an absolute path, "text": the file\'s content}',
      ],
    ];
    for (const [body, message] of cases) {
      const r = await post(s, '/_openirsa/apply', body);
      assert.equal(r.status, 400, body);
      assert.deepEqual(JSON.parse(r.body), { error: 'InvalidRequest', message });
    }
  });

  test('the routes answer only POST, signed by the account root', async () => {
    const get = await send(s.port, 'GET', '/_openirsa/rotate-signing-key', {});
    assert.equal(get.status, 405);
    assert.equal(get.headers.allow, 'POST');
    const unsigned = await send(s.port, 'POST', '/_openirsa/apply', {}, '{}');
    assert.equal(unsigned.status, 403);
    assert.equal(
      (JSON.parse(unsigned.body) as { message?: string }).message,
      'Request is missing Authentication Token',
    );
    const forged = await post(s, '/_openirsa/rotate-signing-key', '{}', {
      accessKeyId: s.root.accessKeyId,
      secretAccessKey: 'x'.repeat(40),
    });
    assert.equal(forged.status, 403);
    assert.equal((JSON.parse(forged.body) as { error?: string }).error, 'SignatureDoesNotMatch');
  });

  test('rotate-signing-key answers key ids and times, never key material; the JWKS then has both keys', async () => {
    const jwks = async () =>
      (JSON.parse((await send(s.port, 'GET', '/openid/v1/jwks', {})).body) as { keys: { kid: string }[] })
        .keys;
    const before = await jwks();
    const r = await post(s, '/_openirsa/rotate-signing-key', '{}');
    assert.equal(r.status, 200, r.body);
    assert.doesNotMatch(r.body, /PRIVATE KEY|"d":/);
    const reply = JSON.parse(r.body) as {
      active: { kid: string; alg: string };
      retired: { kid: string };
      pruned: string[];
    };
    assert.equal(reply.retired.kid, before[0]?.kid);
    assert.equal(reply.active.alg, 'RS256');
    assert.deepEqual(reply.pruned, []);
    assert.deepEqual(
      (await jwks()).map((k) => k.kid),
      [reply.active.kid, reply.retired.kid],
    );
  });
});

test('a rotation by a server whose keys another server of the store rotated first answers 409 and changes nothing', async () => {
  // Two servers over one data directory, as `up --workers 2` runs them, each holding the ring it read.
  const s = await bootServer();
  const store = openSqliteStore({ path: join(s.dir, SQLITE_FILE_NAME), checkOthersPerRequest: true });
  const other = createServer({
    store,
    clock: systemClock,
    ids: randomIds,
    region: REGION,
    audit: new MemoryRing(),
  });
  try {
    const port = (await listen(other, 0)).port;
    const otherSide: Booted = { ...s, port };
    for (const side of [s, otherSide])
      assert.equal((await send(side.port, 'GET', '/openid/v1/jwks', {})).status, 200);
    const first = await post(s, '/_openirsa/rotate-signing-key', '{}');
    assert.equal(first.status, 200, first.body);
    const stale = await post(otherSide, '/_openirsa/rotate-signing-key', '{}');
    assert.equal(stale.status, 409, stale.body);
    assert.deepEqual(JSON.parse(stale.body), {
      error: 'Conflict',
      message: 'another rotation changed the signing keys at the same time; nothing was changed, try again',
    });
    const active = async () => (await s.store.signingKeys.list()).filter((k) => k.retiredAt === undefined);
    assert.deepEqual(
      (await active()).map((k) => k.kid),
      [(JSON.parse(first.body) as { active: { kid: string } }).active.kid],
    );
    // The refused server has dropped its ring: trying again rotates from the store's keys.
    const again = await post(otherSide, '/_openirsa/rotate-signing-key', '{}');
    assert.equal(again.status, 200, again.body);
    assert.equal((await active()).length, 1);
  } finally {
    await close(other);
    await store.close();
    await s.stop();
  }
});
