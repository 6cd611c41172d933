import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { watchManifests } from './watch-manifests.js';

async function until(check: () => boolean): Promise<void> {
  for (let i = 0; i < 400 && !check(); i++) await new Promise((r) => setTimeout(r, 10));
  assert.ok(check(), 'timed out');
}

test('a burst of edits under a directory, nested ones included, runs onChange after the quiet period, never twice at once', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'openirsa-watch-'));
  await mkdir(join(dir, 'nested'));
  let calls = 0;
  let running = 0;
  let overlapped = false;
  const watcher = await watchManifests(
    [dir],
    async () => {
      calls++;
      running++;
      if (running > 1) overlapped = true;
      await new Promise((r) => setTimeout(r, 50));
      running--;
    },
    (e) => assert.fail(String(e)),
    50,
  );
  try {
    await writeFile(join(dir, 'a.yaml'), 'a');
    await writeFile(join(dir, 'nested', 'b.yaml'), 'b');
    await writeFile(join(dir, 'a.yaml'), 'a2');
    await until(() => calls >= 1 && running === 0);
    assert.equal(overlapped, false);
  } finally {
    await watcher.close();
    await rm(dir, { recursive: true, force: true });
  }
});

test('a file is watched through its directory: replacing it is seen; other files there are not; a failure goes to onError', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'openirsa-watch-'));
  const file = join(dir, 'm.yaml');
  await writeFile(file, 'x');
  const errors: unknown[] = [];
  let calls = 0;
  const watcher = await watchManifests(
    [file],
    () => {
      calls++;
      return Promise.reject(new Error('bad apply'));
    },
    (e) => errors.push(e),
    30,
  );
  try {
    await writeFile(join(dir, 'other.yaml'), 'y');
    await new Promise((r) => setTimeout(r, 150));
    assert.equal(calls, 0);
    await writeFile(join(dir, 'm.yaml.tmp'), 'z');
    await rm(file);
    await writeFile(file, 'z');
    await until(() => calls >= 1 && errors.length >= 1);
    assert.match(String(errors[0]), /bad apply/);
    await writeFile(file, 'again');
    const seen = calls;
    await until(() => calls > seen);
  } finally {
    await watcher.close();
    const after = calls;
    await writeFile(file, 'closed');
    await new Promise((r) => setTimeout(r, 100));
    assert.equal(calls, after);
    await rm(dir, { recursive: true, force: true });
  }
});
