import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Hash } from '@smithy/hash-node';
import { SignatureV4 } from '@smithy/signature-v4';
import { fixedClock } from '../shared/clock.js';
import type { CommandIo } from './io.js';
import { main } from './main.js';
import { readCredentials, signRequest, token } from './token.js';

const CREDS = {
  accessKeyId: 'AKIAEXAMPLEROOT00001',
  secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
};
const NOW = Date.UTC(2026, 11, 4, 7, 0, 0);

function io(files: Record<string, string> = {}) {
  const out: string[] = [];
  const err: string[] = [];
  const value: CommandIo = {
    stdin: () => Promise.resolve(''),
    stdout: (t) => out.push(t),
    stderr: (t) => err.push(t),
    readFile: (p) =>
      p in files
        ? Promise.resolve(files[p]!)
        : Promise.reject(Object.assign(new Error(`ENOENT: ${p}`), { code: 'ENOENT' })),
    clock: fixedClock(NOW),
  };
  return { io: value, out, err };
}

test('the signer computes the signature @smithy/signature-v4 computes', async () => {
  const body = '{"namespace":"default","serviceAccount":"app"}';
  const ours = signRequest({
    method: 'POST',
    host: '127.0.0.1:4566',
    path: '/_openirsa/token',
    body,
    contentType: 'application/json',
    credentials: CREDS,
    now: NOW,
  });
  const smithy = await new SignatureV4({
    credentials: CREDS,
    region: 'us-east-1',
    service: 'sts',
    sha256: Hash.bind(null, 'sha256'),
  }).sign(
    {
      method: 'POST',
      protocol: 'http:',
      hostname: '127.0.0.1',
      port: 4566,
      path: '/_openirsa/token',
      query: {},
      headers: {
        host: '127.0.0.1:4566',
        'content-type': 'application/json',
        'x-amz-content-sha256': ours['x-amz-content-sha256']!,
      },
      body,
    },
    { signingDate: new Date(NOW) },
  );
  assert.equal(ours.authorization, smithy.headers.authorization);
});

test('the [openirsa] profile is read from a shared-credentials file', () => {
  const text = `[default]\naws_access_key_id = AKIAOTHER\naws_secret_access_key = other\n[openirsa]\naws_access_key_id = ${CREDS.accessKeyId}\naws_secret_access_key = ${CREDS.secretAccessKey}\n`;
  assert.deepEqual(readCredentials(text), CREDS);
  assert.equal(readCredentials('[default]\naws_access_key_id = A\naws_secret_access_key = B\n'), undefined);
});

test('token posts the request to the endpoint from the environment and prints the token', async () => {
  const files = {
    '/d/credentials': `[openirsa]\naws_access_key_id = ${CREDS.accessKeyId}\naws_secret_access_key = ${CREDS.secretAccessKey}\n`,
  };
  const t = io(files);
  let seen: { url: string; body: string; auth: string } | undefined;
  const fakeFetch = ((url: URL, init: RequestInit) => {
    const headers = init.headers as Record<string, string>;
    seen = {
      url: url.toString(),
      body: typeof init.body === 'string' ? init.body : '',
      auth: headers.authorization ?? '',
    };
    return Promise.resolve(
      new Response(JSON.stringify({ token: 'a.b.c', expiration: 'x' }), { status: 200 }),
    );
  }) as typeof fetch;
  const code = await token(
    ['--service-account', 'ns/app', '--audience', 'aud', '--duration', '900', '--pod', 'p'],
    t.io,
    { env: { OPENIRSA_ENDPOINT: 'http://127.0.0.1:9/', OPENIRSA_DATA: '/d' }, fetch: fakeFetch },
  );
  assert.equal(code, 0);
  assert.deepEqual(t.out, ['a.b.c\n']);
  assert.equal(seen?.url, 'http://127.0.0.1:9/_openirsa/token');
  assert.deepEqual(JSON.parse(seen.body), {
    namespace: 'ns',
    serviceAccount: 'app',
    audience: 'aud',
    expirationSeconds: 900,
    pod: 'p',
  });
  assert.match(
    seen.auth,
    /^AWS4-HMAC-SHA256 Credential=AKIAEXAMPLEROOT00001\/20261204\/us-east-1\/sts\/aws4_request, /,
  );
});

test('a server refusal is reported with its message and exit status 1', async () => {
  const t = io({ '.openirsa/credentials': `[openirsa]\naws_access_key_id = A\naws_secret_access_key = B\n` });
  const fakeFetch = (() =>
    Promise.resolve(
      new Response('{"error":"AccessDenied","message":"nope"}', { status: 403 }),
    )) as typeof fetch;
  const code = await token(['--service-account', 'ns/app'], t.io, { env: {}, fetch: fakeFetch });
  assert.equal(code, 1);
  assert.deepEqual(t.err, ['openirsa: the server refused the token request (HTTP 403): nope\n']);
});

test('a service account without a namespace is a usage error; --help shows an example', async () => {
  const t = io();
  assert.equal(await main(['token', '--service-account', 'app'], t.io), 2);
  assert.deepEqual(t.err, [
    'openirsa: `--service-account` must be NAMESPACE/NAME, got `app`; run `openirsa token --help`\n',
  ]);
  assert.equal(await main(['token', '--help'], t.io), 0);
  assert.match(t.out.join(''), /Example:\n {2}openirsa token --service-account default\/my-app/);
});
