/** The admin routes behind `openirsa apply` and `openirsa rotate-signing-key`, over HTTP. */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { signRequest } from '../../src/cli/token.js';
import { ACCOUNT, bootServer, send, type Booted, type Credentials } from './support.js';

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
