import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { lockDataDir } from './data-dir-lock.js';

const here = fileURLToPath(import.meta.url);

// Run as a child (`node data-dir-lock.test.js hold DIR`): take the lock, say so, and wait to be killed.
if (process.argv[2] === 'hold' && process.argv[3] !== undefined) {
  const lock = lockDataDir(process.argv[3]);
  process.stdout.write('busy' in lock ? 'busy\n' : 'held\n');
  setInterval(() => undefined, 60_000);
} else {
  test('one holder at a time within a process; a release lets the next one in', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'openirsa-lock-'));
    try {
      const first = lockDataDir(dir);
      assert.ok(!('busy' in first));
      const second = lockDataDir(dir);
      assert.deepEqual(second, { busy: true, pid: process.pid });
      first.release();
      first.release(); // twice is harmless
      const third = lockDataDir(dir);
      assert.ok(!('busy' in third));
      third.release();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  test('a new directory is created 0700', async () => {
    const parent = await mkdtemp(join(tmpdir(), 'openirsa-lock-'));
    try {
      const dir = join(parent, 'a', 'data');
      const lock = lockDataDir(dir);
      assert.ok(!('busy' in lock));
      assert.equal((await stat(dir)).mode & 0o777, 0o700);
      lock.release();
    } finally {
      await rm(parent, { recursive: true, force: true });
    }
  });

  test('another process is refused while it holds the lock, and its kill -9 frees it', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'openirsa-lock-'));
    const child = spawn(process.execPath, [here, 'hold', dir], { stdio: ['ignore', 'pipe', 'inherit'] });
    try {
      const said = await new Promise<string>((resolve) =>
        child.stdout.once('data', (c: Buffer) => resolve(String(c))),
      );
      assert.equal(said, 'held\n');
      assert.deepEqual(lockDataDir(dir), { busy: true, pid: child.pid });
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGKILL');
      await exited;
      const after = lockDataDir(dir);
      assert.ok(!('busy' in after), 'a killed holder leaves no stale lock');
      after.release();
    } finally {
      child.kill('SIGKILL');
      await rm(dir, { recursive: true, force: true });
    }
  });
}
