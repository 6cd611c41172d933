import assert from 'node:assert/strict';
import { readdir, readFile, stat } from 'node:fs/promises';
import { test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  createPrivateDir,
  removePrivateDir,
  rotationDelayMs,
  TokenFile,
  type MintedToken,
} from './token-file.js';

test('the kubelet rotates at 80 % of the lifetime, and at the latest after 24 hours', () => {
  assert.equal(rotationDelayMs(0, 600_000), 480_000);
  assert.equal(rotationDelayMs(1000, 3_601_000), 2_880_000);
  assert.equal(rotationDelayMs(0, 365 * 24 * 3600 * 1000), 24 * 3600 * 1000);
  assert.equal(rotationDelayMs(5000, 1000), 0);
});

async function waitFor(check: () => Promise<boolean>): Promise<void> {
  for (let i = 0; i < 1000; i++) {
    if (await check()) return;
    await sleep(10);
  }
  throw new Error('condition never held');
}

test('the token file is private, rewritten by rename, and keeps the old token when a refresh fails', async () => {
  const dir = await createPrivateDir();
  let n = 0;
  let failing = false;
  const warnings: string[] = [];
  const mint = (): Promise<MintedToken> => {
    if (failing) return Promise.reject(new Error('server down'));
    return Promise.resolve({ token: `token-${++n}`, expiresAt: Date.now() + 600_000 });
  };
  const file = await TokenFile.create(dir, {
    mint,
    now: Date.now,
    warn: (m) => warnings.push(m),
    rotateEveryMs: 20,
  });
  try {
    assert.equal((await stat(dir)).mode & 0o777, 0o700);
    assert.equal((await stat(file.path)).mode & 0o777, 0o600);
    assert.equal(await readFile(file.path, 'utf8'), 'token-1');
    // Rewritten every 20 ms: under load a poll can miss token-3 itself, so wait for any later one too.
    await waitFor(async () => Number((await readFile(file.path, 'utf8')).slice('token-'.length)) >= 3);
    assert.equal((await stat(file.path)).mode & 0o777, 0o600);
    failing = true;
    await waitFor(() => Promise.resolve(warnings.length > 0));
    assert.match(warnings[0] ?? '', /could not refresh the token \(the current one stays\): server down/);
    assert.doesNotMatch(warnings[0] ?? '', /token-\d/);
    const kept = await readFile(file.path, 'utf8');
    assert.match(kept, /^token-\d+$/);
    failing = false;
    await waitFor(async () => (await readFile(file.path, 'utf8')) !== kept);
    assert.deepEqual(
      (await readdir(dir)).filter((f) => f !== 'token' && !f.endsWith('.tmp')),
      [],
    );
  } finally {
    file.stop();
    await removePrivateDir(dir);
  }
  await assert.rejects(stat(dir), { code: 'ENOENT' });
});

test('the first token failing to mint fails the creation', async () => {
  const dir = await createPrivateDir();
  try {
    await assert.rejects(
      TokenFile.create(dir, {
        mint: () => Promise.reject(new Error('refused')),
        now: Date.now,
        warn: () => undefined,
      }),
      /refused/,
    );
  } finally {
    await removePrivateDir(dir);
  }
});
