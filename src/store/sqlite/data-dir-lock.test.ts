import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { lockDataDir } from './data-dir-lock.js';

const here = fileURLToPath(import.meta.url);

// Run as a child (`node --expose-gc data-dir-lock.test.js hold DIR`): take the lock and drop the handle
// (the lock must not depend on the caller keeping it), collect garbage, say so, and wait to be killed.
if (process.argv[2] === 'hold' && process.argv[3] !== undefined) {
  process.stdout.write('busy' in lockDataDir(process.argv[3]) ? 'busy\n' : 'held\n');
  const collect = (globalThis as { gc?: () => void }).gc;
  setInterval(() => collect?.(), 20);
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

  test('another process is refused while it holds the lock, even after a GC, and its kill -9 frees it', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'openirsa-lock-'));
    const child = spawn(process.execPath, ['--expose-gc', here, 'hold', dir], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    try {
      const said = await new Promise<string>((resolve) =>
        child.stdout.once('data', (c: Buffer) => resolve(String(c))),
      );
      assert.equal(said, 'held\n');
      assert.deepEqual(lockDataDir(dir), { busy: true, pid: child.pid });
      // Several of the child's forced GCs later, the lock is still its own.
      await new Promise((resolve) => setTimeout(resolve, 150));
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
