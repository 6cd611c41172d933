import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { systemClock } from '../shared/clock.js';
import type { CommandIo } from './io.js';
import { main } from './main.js';
import { parseWebhookArgs } from './webhook.js';

test('webhook flags default as the upstream main.go does; --token-expiration is raised to 600', () => {
  const o = parseWebhookArgs([], {});
  assert.equal(o.port, 443);
  assert.equal(o.host, '127.0.0.1');
  assert.equal(o.tlsCert, '/etc/webhook/certs/tls.crt');
  assert.equal(o.tlsKey, '/etc/webhook/certs/tls.key');
  assert.deepEqual(o.settings, {
    annotationPrefix: 'eks.amazonaws.com',
    audience: 'sts.amazonaws.com',
    mountPath: '/var/run/secrets/eks.amazonaws.com/serviceaccount',
    tokenExpirationSeconds: 86400,
    regionalSts: false,
  });
  const custom = parseWebhookArgs(
    [
      '--token-expiration',
      '60',
      '--aws-default-region',
      'eu-west-1',
      '--sts-regional-endpoint',
      '--annotation-prefix',
      'example.com',
      '--token-audience',
      'aud',
    ],
    { OPENIRSA_DATA: '/data' },
  );
  assert.equal(custom.settings.tokenExpirationSeconds, 600);
  assert.equal(custom.settings.region, 'eu-west-1');
  assert.equal(custom.settings.regionalSts, true);
  assert.equal(custom.settings.annotationPrefix, 'example.com');
  assert.equal(custom.data, '/data');
  assert.throws(() => parseWebhookArgs(['--token-expiration', 'soon'], {}), /whole number of seconds/);
  assert.throws(() => parseWebhookArgs(['--token-mount-path', 'relative'], {}), /absolute path/);
});

function io(): CommandIo & { out: string[]; err: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  return {
    out,
    err,
    stdin: () => Promise.resolve(''),
    stdout: (t) => out.push(t),
    stderr: (t) => err.push(t),
    readFile: () => Promise.reject(new Error('unused')),
    clock: systemClock,
  };
}

test('`openirsa webhook` without a data directory store exits 1 saying so', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'openirsa-webhook-cli-'));
  try {
    const i = io();
    assert.equal(await main(['webhook', '--data', join(dir, 'none'), '--port', '0'], i), 1);
    assert.match(i.err.join(''), /no store in/);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('`openirsa exec --help` and `openirsa webhook --help` print their usage with an example', async () => {
  for (const command of ['exec', 'webhook']) {
    const i = io();
    assert.equal(await main([command, '--help'], i), 0);
    assert.match(i.out.join(''), new RegExp(`^usage: openirsa ${command}`));
    assert.match(i.out.join(''), /Example:/);
  }
  const i = io();
  // After `--`, --help belongs to the command: exec goes on (and needs a service account).
  assert.equal(await main(['exec', '--', 'ls', '--help'], i), 2);
  assert.match(i.err.join(''), /`--service-account NAMESPACE\/NAME` is required/);
});

test('`openirsa exec` usage errors: no command, a malformed service account', async () => {
  const none = io();
  assert.equal(await main(['exec', '--service-account', 'a/b'], none), 2);
  assert.match(none.err.join(''), /expected `-- COMMAND/);
  const bad = io();
  assert.equal(await main(['exec', '--service-account', 'a/b/c', '--', 'true'], bad), 2);
  assert.match(bad.err.join(''), /must be NAMESPACE\/NAME/);
});
