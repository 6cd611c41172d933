import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { chmod, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { promisify } from 'node:util';
import { fixedClock } from '../shared/clock.js';
import { randomIds } from '../shared/ids.js';
import { CA_DIR_NAME, CA_KEY_FILE_NAME, LEAF_VALIDITY_MS, LocalCa } from './local-ca.js';

const run = promisify(execFile);
const NOW = Date.UTC(2026, 11, 4, 9, 0, 0);

async function withDir<T>(fn: (dir: string) => Promise<T>): Promise<T> {
  const dir = await mkdtemp(join(tmpdir(), 'openirsa-ca-'));
  try {
    return await fn(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

test('the CA is created once per data directory: a 0600 key, a CA:true certificate node parses', async () => {
  await withDir(async (dir) => {
    const clock = fixedClock(NOW);
    const ca = await LocalCa.open({ dataDir: dir, clock, ids: randomIds });
    assert.equal(ca.certificatePath, join(dir, 'ca', 'ca.pem'));
    assert.equal((await stat(join(dir, CA_DIR_NAME))).mode & 0o777, 0o700);
    assert.equal((await stat(join(dir, 'ca', CA_KEY_FILE_NAME))).mode & 0o777, 0o600);
    const cert = new X509Certificate(await readFile(ca.certificatePath, 'utf8'));
    assert.equal(cert.ca, true);
    assert.match(cert.subject, /^CN=openirsa local CA [0-9a-f]{8}$/);
    assert.equal(cert.issuer, cert.subject);
    assert.equal(cert.verify(cert.publicKey), true);
    assert.equal(cert.publicKey.asymmetricKeyDetails?.namedCurve, 'prime256v1');
    assert.ok(Date.parse(cert.validFrom) <= NOW);

    const again = await LocalCa.open({ dataDir: dir, clock, ids: randomIds });
    assert.equal(again.certificatePem, ca.certificatePem);
  });
});

test('a leaf names its host in subjectAltName, is signed by the CA, and is not a CA', async () => {
  await withDir(async (dir) => {
    const clock = fixedClock(NOW);
    const ca = await LocalCa.open({ dataDir: dir, clock, ids: randomIds });
    const caCert = new X509Certificate(ca.certificatePem);
    const leaf = ca.leaf('sts.us-east-1.amazonaws.com');
    const cert = new X509Certificate(leaf.certificatePem);
    assert.equal(cert.subjectAltName, 'DNS:sts.us-east-1.amazonaws.com');
    assert.equal(cert.subject, 'CN=sts.us-east-1.amazonaws.com');
    assert.equal(cert.issuer, caCert.subject);
    assert.equal(cert.ca, false);
    assert.equal(cert.verify(caCert.publicKey), true);
    assert.equal(cert.checkIssued(caCert), true);
    assert.equal(cert.checkHost('sts.us-east-1.amazonaws.com'), 'sts.us-east-1.amazonaws.com');
    assert.equal(cert.checkHost('iam.amazonaws.com'), undefined);
    assert.deepEqual(cert.keyUsage, ['1.3.6.1.5.5.7.3.1']);
    assert.equal(Date.parse(cert.validTo), Math.floor((NOW + LEAF_VALIDITY_MS) / 1000) * 1000);
    // Another data directory's CA did not sign it.
    await withDir(async (other) => {
      const stranger = await LocalCa.open({ dataDir: other, clock, ids: randomIds });
      assert.equal(cert.verify(new X509Certificate(stranger.certificatePem).publicKey), false);
    });
  });
});

test('leaves are cached per host and minted again close to their expiry', async () => {
  await withDir(async (dir) => {
    const clock = fixedClock(NOW);
    const ca = await LocalCa.open({ dataDir: dir, clock, ids: randomIds });
    const first = ca.leaf('iam.amazonaws.com');
    assert.equal(ca.leaf('iam.amazonaws.com'), first);
    assert.notEqual(ca.leaf('s3.amazonaws.com').certificatePem, first.certificatePem);
    clock.advance(LEAF_VALIDITY_MS - 30 * 60_000);
    const renewed = ca.leaf('iam.amazonaws.com');
    assert.notEqual(renewed, first);
    assert.ok(renewed.notAfter > first.notAfter);
  });
});

test('only lower-case DNS names get a leaf, and the cache is bounded', async () => {
  await withDir(async (dir) => {
    const ca = await LocalCa.open({
      dataDir: dir,
      clock: fixedClock(NOW),
      ids: randomIds,
      maxCachedLeaves: 8,
    });
    for (const bad of [
      '',
      'Upper.amazonaws.com',
      'a..b',
      '-a.com',
      'a_b.com',
      `${'a'.repeat(64)}.com`,
      '1.2.3.4:443',
    ]) {
      assert.throws(() => ca.leaf(bad), TypeError, bad);
    }
    const first = ca.leaf('b0.s3.amazonaws.com');
    assert.equal(ca.leaf('b0.s3.amazonaws.com'), first);
    for (let i = 1; i <= 8; i++) ca.leaf(`b${i}.s3.amazonaws.com`);
    assert.notEqual(ca.leaf('b0.s3.amazonaws.com'), first);
  });
});

test('a CA key readable by others, a missing key, or a key of another CA is refused', async () => {
  await withDir(async (dir) => {
    const clock = fixedClock(NOW);
    await LocalCa.open({ dataDir: dir, clock, ids: randomIds });
    const keyPath = join(dir, 'ca', CA_KEY_FILE_NAME);
    await chmod(keyPath, 0o644);
    await assert.rejects(LocalCa.open({ dataDir: dir, clock, ids: randomIds }), {
      message: `the local CA key \`${keyPath}\` is readable by others (mode 644): expected 600`,
    });
    await withDir(async (other) => {
      await LocalCa.open({ dataDir: other, clock, ids: randomIds });
      await writeFile(keyPath, await readFile(join(other, 'ca', CA_KEY_FILE_NAME)), { mode: 0o600 });
      await chmod(keyPath, 0o600);
      await assert.rejects(LocalCa.open({ dataDir: dir, clock, ids: randomIds }), {
        message: `\`${keyPath}\` is not the key of \`${join(dir, 'ca', 'ca.pem')}\``,
      });
    });
    await rm(keyPath);
    await assert.rejects(LocalCa.open({ dataDir: dir, clock, ids: randomIds }), /has no key/);
  });
});

test('an expired CA is refused with what to do', async () => {
  await withDir(async (dir) => {
    const clock = fixedClock(NOW);
    await LocalCa.open({ dataDir: dir, clock, ids: randomIds });
    clock.advance(11 * 365 * 24 * 3600_000);
    await assert.rejects(
      LocalCa.open({ dataDir: dir, clock, ids: randomIds }),
      /delete `.*ca` to create a new one/,
    );
  });
});

async function hasOpenssl(): Promise<boolean> {
  return run('openssl', ['version']).then(
    () => true,
    () => false,
  );
}

test('openssl verify accepts the leaf against the CA for the TLS server purpose', async (t) => {
  if (!(await hasOpenssl())) {
    t.skip('openssl is not installed');
    return;
  }
  await withDir(async (dir) => {
    // Real time: openssl checks validity against its own clock.
    const ca = await LocalCa.open({ dataDir: dir, clock: { now: () => Date.now() }, ids: randomIds });
    const leafPath = join(dir, 'leaf.pem');
    await writeFile(leafPath, ca.leaf('bucket.s3.us-east-1.amazonaws.com').certificatePem);
    const { stdout } = await run('openssl', [
      'verify',
      '-CAfile',
      ca.certificatePath,
      '-purpose',
      'sslserver',
      '-verify_hostname',
      'bucket.s3.us-east-1.amazonaws.com',
      '-x509_strict',
      leafPath,
    ]);
    assert.equal(stdout.trim(), `${leafPath}: OK`);
    await assert.rejects(
      run('openssl', [
        'verify',
        '-CAfile',
        ca.certificatePath,
        '-verify_hostname',
        'sts.amazonaws.com',
        leafPath,
      ]),
    );
  });
});
