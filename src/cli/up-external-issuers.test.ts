import assert from 'node:assert/strict';
import { mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { UsageError } from './io.js';
import { recordingIo } from './testdata/recording-io.js';
import { parseUpArgs, up } from './up.js';

test('up takes --oidc-ca-file FILE and --allow-insecure-issuers; neither is on by default', () => {
  const given = parseUpArgs(['--oidc-ca-file', 'ca.pem', '--allow-insecure-issuers']);
  assert.equal(given.oidcCaFile, 'ca.pem');
  assert.equal(given.allowInsecureIssuers, true);
  const defaults = parseUpArgs([]);
  assert.equal(defaults.oidcCaFile, undefined);
  assert.equal(defaults.allowInsecureIssuers, undefined);
  assert.throws(
    () => parseUpArgs(['--oidc-ca-file', '']),
    (e: unknown) =>
      e instanceof UsageError && e.message === '`--oidc-ca-file` expects a file, got an empty string',
  );
});

test('up with an unreadable or certificate-less --oidc-ca-file exits 1 before creating anything', async () => {
  const tmp = await mkdtemp(join(tmpdir(), 'openirsa-up-ca-'));
  try {
    const missing = recordingIo();
    const absent = join(tmp, 'absent.pem');
    assert.equal(
      await up(['--port', '0', '--data', join(tmp, 'd'), '--oidc-ca-file', absent], missing.io),
      1,
    );
    assert.equal(missing.err.join(''), `openirsa: cannot read \`--oidc-ca-file\` \`${absent}\`: ENOENT\n`);
    const empty = recordingIo();
    const file = join(tmp, 'empty.pem');
    await writeFile(file, 'no certificates here\n');
    assert.equal(await up(['--port', '0', '--data', join(tmp, 'd'), '--oidc-ca-file', file], empty.io), 1);
    assert.equal(
      empty.err.join(''),
      `openirsa: \`--oidc-ca-file\` \`${file}\`: the CA bundle holds no \`-----BEGIN CERTIFICATE-----\` block\n`,
    );
    assert.equal(empty.out.join(''), '');
    await assert.rejects(stat(join(tmp, 'd')), { code: 'ENOENT' });
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
});
