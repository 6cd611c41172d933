import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { fixedClock } from '../shared/clock.js';
import { apply } from './apply.js';
import { UsageError, type CommandIo } from './io.js';
import { main } from './main.js';
import { rotateSigningKey } from './rotate-signing-key.js';

const CREDENTIALS = '[openirsa]\naws_access_key_id = AKIAEXAMPLEEXAMPLE12\naws_secret_access_key = s3cr3t\n';

function io(files: Record<string, string> = {}) {
  const out: string[] = [];
  const err: string[] = [];
  const value: CommandIo = {
    stdin: () => Promise.resolve(''),
    stdout: (t) => out.push(t),
    stderr: (t) => err.push(t),
    readFile: (p) => (p in files ? Promise.resolve(files[p] ?? '') : Promise.reject(new Error(`no ${p}`))),
    clock: fixedClock(Date.UTC(2026, 0, 1)),
  };
  return { value, out, err };
}

test('apply sends every manifest file with absolute paths, signed, and prints what changed', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'openirsa-apply-'));
  try {
    await writeFile(join(dir, 'a.yaml'), 'kind: ServiceAccount');
    await writeFile(join(dir, 'notes.txt'), 'ignored');
    const t = io({ [join('/data', 'credentials')]: CREDENTIALS });
    let sent: { url: string; body: string; authorization: string } | undefined;
    const fakeFetch = ((url: URL, init: RequestInit) => {
      const headers = init.headers as Record<string, string>;
      sent = {
        url: url.href,
        body: typeof init.body === 'string' ? init.body : '',
        authorization: headers.authorization ?? '',
      };
      return Promise.resolve(
        new Response(
          JSON.stringify({
            ok: true,
            objects: [{ kind: 'ServiceAccount', name: 'ns/sa', action: 'deleted' }],
            problems: [],
            conflicts: [],
          }),
          { status: 200 },
        ),
      );
    }) as typeof fetch;
    const code = await apply(['-f', dir, '--prune', '--data', '/data'], t.value, {
      env: { OPENIRSA_ENDPOINT: 'http://127.0.0.1:9999/' },
      fetch: fakeFetch,
    });
    assert.equal(code, 0, t.err.join(''));
    assert.equal(sent?.url, 'http://127.0.0.1:9999/_openirsa/apply');
    assert.match(sent?.authorization ?? '', /^AWS4-HMAC-SHA256 Credential=AKIAEXAMPLEEXAMPLE12\/20260101\//);
    assert.deepEqual(JSON.parse(sent?.body ?? ''), {
      roots: [dir],
      files: [{ path: join(dir, 'a.yaml'), text: 'kind: ServiceAccount' }],
      prune: true,
    });
    assert.equal(
      t.out.join(''),
      '  ServiceAccount ns/sa: deleted\napplied: 0 created, 0 updated, 0 unchanged, 1 deleted\n',
    );
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('apply prints problems and conflicts and exits 1', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'openirsa-apply-'));
  try {
    await writeFile(join(dir, 'a.yaml'), 'x');
    const t = io({ [join('/data', 'credentials')]: CREDENTIALS });
    const reply = {
      ok: true,
      objects: [],
      problems: [],
      conflicts: [
        {
          kind: 'Policy',
          name: 'arn:p',
          source: '/m/p.yaml',
          code: 'DeleteConflict',
          message: 'Cannot delete a policy attached to entities.',
        },
      ],
    };
    const code = await apply(['-f', dir, '--data', '/data'], t.value, {
      env: {},
      fetch: () => Promise.resolve(new Response(JSON.stringify(reply), { status: 200 })),
    });
    assert.equal(code, 1);
    assert.equal(
      t.err.join(''),
      'openirsa: Policy arn:p (declared in /m/p.yaml) was not deleted: DeleteConflict: Cannot delete a policy attached to entities.\n',
    );
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('an unreachable server, a refusal and missing credentials are reported', async () => {
  const t = io({ [join('/data', 'credentials')]: CREDENTIALS });
  const down = (() => Promise.reject(new Error('connect ECONNREFUSED'))) as typeof fetch;
  assert.equal(await rotateSigningKey(['--data', '/data'], t.value, { env: {}, fetch: down }), 1);
  assert.equal(t.err.pop(), 'openirsa: cannot reach `http://127.0.0.1:4566`: connect ECONNREFUSED\n');
  const refused = (() =>
    Promise.resolve(
      new Response('{"error":"AccessDenied","message":"only the account root may rotate the signing key"}', {
        status: 403,
      }),
    )) as typeof fetch;
  assert.equal(await rotateSigningKey(['--data', '/data'], t.value, { env: {}, fetch: refused }), 1);
  assert.equal(
    t.err.pop(),
    'openirsa: the server refused the rotation (HTTP 403): only the account root may rotate the signing key\n',
  );
  await assert.rejects(
    rotateSigningKey([], io({ [join('.openirsa', 'credentials')]: '[default]\n' }).value, {
      env: {},
      fetch: down,
    }),
    new UsageError('no `[openirsa]` credentials in `.openirsa/credentials`'),
  );
  await assert.rejects(
    apply([], t.value, { env: {}, fetch: down }),
    new UsageError('`-f FILE_OR_DIR` is required'),
  );
});

test('openirsa --help lists apply and rotate-signing-key; their --help shows the flags', async () => {
  const t = io();
  assert.equal(await main(['--help'], t.value), 0);
  assert.match(t.out.join(''), /\n {2}apply -f P .*\n {2}rotate-signing-key /);
  assert.equal(await main(['apply', '--help'], t.value), 0);
  assert.match(t.out.join(''), /--prune/);
  assert.equal(await main(['rotate-signing-key', '--help'], t.value), 0);
  assert.match(t.out.join(''), /usage: openirsa rotate-signing-key/);
  assert.equal(await main(['up', '--help'], t.value), 0);
  assert.match(t.out.join(''), /--watch[\s\S]*--signing-algorithm[\s\S]*--explain-denials/);
});
