import assert from 'node:assert/strict';
import { mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { recordingIo } from './testdata/recording-io.js';
import { up } from './up.js';

test('up --log-format json: a rejected manifest is JSON error lines (file, document, path), exit 1', async () => {
  const tmp = await mkdtemp(join(tmpdir(), 'openirsa-up-json-'));
  try {
    const file = join(tmp, 'role.yaml');
    await writeFile(
      file,
      'apiVersion: iam.services.k8s.aws/v1alpha1\nkind: Role\nmetadata: {name: r}\nspec: {name: r}\n',
    );
    const t = recordingIo();
    const stop = new AbortController();
    const code = await up(['--port', '0', '--data', join(tmp, 'd'), '-f', file], t.io, stop.signal, {
      OPENIRSA_LOG_FORMAT: 'json',
    });
    assert.equal(code, 1);
    assert.deepEqual(t.out, []);
    const lines = t.err.map((l) => JSON.parse(l) as Record<string, unknown>);
    assert.deepEqual(
      lines.map((l) => l.msg),
      ['manifest error', 'not starting: manifest files rejected'],
    );
    assert.equal(lines[0]?.file, file);
    assert.equal(lines[0]?.document, 1);
    assert.equal(lines[0]?.path, 'spec.assumeRolePolicyDocument');
    assert.deepEqual(lines[1]?.files, [file]);
    await assert.rejects(stat(join(tmp, 'd')), { code: 'ENOENT' });
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
});

test('up: a missing --oidc-ca-file is one line in text, one object in json', async () => {
  const tmp = await mkdtemp(join(tmpdir(), 'openirsa-up-json-'));
  try {
    const missing = join(tmp, 'none.pem');
    const args = ['--port', '0', '--data', join(tmp, 'd'), '--oidc-ca-file', missing];
    const text = recordingIo();
    assert.equal(await up(args, text.io, new AbortController().signal, {}), 1);
    assert.deepEqual(text.err, [`openirsa: cannot read \`--oidc-ca-file\` \`${missing}\`: ENOENT\n`]);
    const json = recordingIo();
    assert.equal(await up([...args, '--log-format', 'json'], json.io, new AbortController().signal, {}), 1);
    const line = JSON.parse(json.err[0] ?? '') as Record<string, unknown>;
    assert.deepEqual(
      [line.level, line.msg, line.path, line.code],
      ['error', 'cannot read --oidc-ca-file', missing, 'ENOENT'],
    );
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
});
