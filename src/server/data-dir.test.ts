import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, stat, unlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { fixedClock } from '../shared/clock.js';
import { randomIds } from '../shared/ids.js';
import { longTermAccessKeyId, openDataDir } from './data-dir.js';

test('the first start creates a 0700 dir, the account, a random root key, a sealing key and 0600 credentials', async () => {
  const tmp = await mkdtemp(join(tmpdir(), 'openirsa-data-'));
  const dir = join(tmp, 'data');
  try {
    const opts = { dir, accountId: '123456789012', clock: fixedClock(1_000), ids: randomIds };
    const first = await openDataDir(opts);
    assert.equal(first.created, true);
    assert.match(first.accessKeyId, /^AKIA[A-Z2-7]{16}$/);
    assert.equal((await stat(dir)).mode & 0o777, 0o700);
    assert.equal((await stat(first.credentialsPath)).mode & 0o777, 0o600);
    const text = await readFile(first.credentialsPath, 'utf8');
    assert.match(
      text,
      new RegExp(
        `^\\[openirsa\\]\naws_access_key_id = ${first.accessKeyId}\naws_secret_access_key = \\S{40}\n$`,
      ),
    );
    assert.ok(await first.store.accounts.get('123456789012'));
    assert.equal((await first.store.sealingKeys.list()).length, 1);
    await first.store.close();

    await unlink(first.credentialsPath);
    const second = await openDataDir(opts);
    assert.equal(second.created, false);
    assert.equal(second.accessKeyId, first.accessKeyId, 'the same key on every later start');
    assert.equal(await readFile(second.credentialsPath, 'utf8'), text, 'a deleted file is written again');
    assert.equal((await second.store.sealingKeys.list()).length, 1);
    await second.store.close();
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
});

test('two data directories get different root keys', async () => {
  const tmp = await mkdtemp(join(tmpdir(), 'openirsa-data-'));
  try {
    const opts = { accountId: '000000000000', clock: fixedClock(0), ids: randomIds };
    const a = await openDataDir({ ...opts, dir: join(tmp, 'a') });
    const b = await openDataDir({ ...opts, dir: join(tmp, 'b') });
    assert.notEqual(a.accessKeyId, b.accessKeyId);
    await a.store.close();
    await b.store.close();
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
});

test('a long-term access key id is AKIA and 16 base32 characters', () => {
  assert.equal(longTermAccessKeyId(Buffer.alloc(16, 0)), 'AKIAAAAAAAAAAAAAAAAA');
  assert.throws(() => longTermAccessKeyId(Buffer.alloc(3)), TypeError);
});
