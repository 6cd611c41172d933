import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { constants, generateKeyPairSync, sign, verify, type VerifyKeyObjectInput } from 'node:crypto';
import { describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import { sealBytes } from '../shared/sealed-box.js';
import { seededRandom } from '../shared/seeded-random.js';
import { SLOTS as SIGNATURE_WORKER_SLOTS } from './signature-channel.js';
import { SIGNATURE_WORKER_MAX_KEYS, SignatureWorker, threadpoolChecker } from './signature-worker.js';

const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const ed = generateKeyPairSync('ed25519');
const rsaKey: VerifyKeyObjectInput = { key: rsa.publicKey, padding: constants.RSA_PKCS1_PADDING };
const ecKey: VerifyKeyObjectInput = { key: ec.publicKey, dsaEncoding: 'ieee-p1363' };

interface Case {
  readonly hash: string;
  readonly data: string;
  readonly key: VerifyKeyObjectInput;
  readonly signature: Uint8Array;
}

/** Signing inputs and signatures, valid and tampered (a byte of the data or of the signature). */
function cases(n: number, seed: number): Case[] {
  const random = seededRandom(seed);
  const out: Case[] = [];
  for (let i = 0; i < n; i++) {
    const data = `eyJhbGciOiJSUzI1NiJ9.${'x'.repeat(Math.floor(random() * 900))}${i}`;
    const useEc = random() < 0.3;
    const signature = useEc
      ? sign('sha256', Buffer.from(data), { key: ec.privateKey, dsaEncoding: 'ieee-p1363' })
      : sign('sha256', Buffer.from(data), rsa.privateKey);
    const tamper = random();
    if (tamper < 0.25) signature[Math.floor(random() * signature.length)]! ^= 1;
    const signed = tamper >= 0.25 && tamper < 0.4 ? `${data.slice(0, -1)}!` : data;
    out.push({ hash: 'sha256', data: signed, key: useEc ? ecKey : rsaKey, signature });
  }
  return out;
}

const expected = (c: Case) => verify(c.hash, Buffer.from(c.data, 'ascii'), c.key, c.signature);

/** Runs `use` with a worker of its own (idle after 50 ms), closed afterwards whatever happens. */
async function withWorker(use: (worker: SignatureWorker) => Promise<void>): Promise<void> {
  const worker = new SignatureWorker(50);
  try {
    await use(worker);
  } finally {
    await worker.close();
  }
}

describe('SignatureWorker', () => {
  test('answers as the synchronous crypto.verify for each of many checks sent at once (RSA and ECDSA, valid and tampered)', async () => {
    await withWorker(async (worker) => {
      const all = cases(120, 7);
      const answers = await Promise.all(all.map((c) => worker.check(c.hash, c.data, c.key, c.signature)));
      assert.deepEqual(answers, all.map(expected));
      assert.ok(answers.includes(true) && answers.includes(false));
      // Checks sent over several turns of the event loop, the worker sleeping between some of them.
      const later: Promise<boolean>[] = [];
      for (const c of cases(30, 8)) {
        later.push(worker.check(c.hash, c.data, c.key, c.signature));
        await new Promise((resolve) => setImmediate(resolve));
      }
      assert.deepEqual(await Promise.all(later), cases(30, 8).map(expected));
    });
  });

  test('a check that throws in the worker is an invalid signature and spoils no other check', async () => {
    await withWorker(async (worker) => {
      const [good] = cases(1, 1).filter(expected);
      assert.ok(good !== undefined);
      const answers = await Promise.all([
        worker.check(good.hash, good.data, good.key, good.signature),
        // Ed25519 takes no digest: crypto.verify throws for 'sha256'.
        worker.check('sha256', good.data, { key: ed.publicKey }, good.signature),
        worker.check('no-such-hash', good.data, good.key, good.signature),
        worker.check(good.hash, good.data, good.key, good.signature),
      ]);
      assert.deepEqual(answers, [true, false, false, true]);
      // The threadpool checker reads them the same way.
      assert.equal(
        await threadpoolChecker.check('sha256', good.data, { key: ed.publicKey }, good.signature),
        false,
      );
    });
  });

  test('a signature that is a view into a larger buffer is checked on exactly its bytes', async () => {
    await withWorker(async (worker) => {
      const data = 'eyJhbGciOiJSUzI1NiJ9.e30';
      const signature = sign('sha256', Buffer.from(data), rsa.privateKey);
      const slab = Buffer.alloc(8192, 0xff);
      signature.copy(slab, 1000);
      const view = slab.subarray(1000, 1000 + signature.length);
      assert.equal(await worker.check('sha256', data, rsaKey, view), true);
      assert.equal(slab.length, 8192, 'the caller keeps its buffer');
    });
  });

  test('checks held by a worker that ends go to the threadpool: every answer still comes, and is right', async () => {
    const worker = new SignatureWorker(50);
    const all = cases(40, 11);
    const pending = all.map((c) => worker.check(c.hash, c.data, c.key, c.signature));
    // The checks are in the worker's slots (those past its 64 wait for one); it ends holding them.
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(worker.running, true);
    await worker.close();
    assert.equal(worker.running, false);
    assert.deepEqual(await Promise.all(pending), all.map(expected));
    // The next check starts a new worker.
    const [c] = all;
    assert.ok(c !== undefined);
    assert.equal(await worker.check(c.hash, c.data, c.key, c.signature), expected(c));
    assert.equal(worker.running, true);
    await worker.close();
  });

  test('an idle worker ends after idleMs, and the next check starts another', async () => {
    const worker = new SignatureWorker(30);
    const [c] = cases(1, 3);
    assert.ok(c !== undefined);
    assert.equal(worker.running, false, 'nothing starts before the first check');
    assert.equal(await worker.check(c.hash, c.data, c.key, c.signature), expected(c));
    assert.equal(worker.running, true);
    for (let i = 0; i < 100 && worker.running; i++) await sleep(20);
    assert.equal(worker.running, false);
    assert.equal(await worker.check(c.hash, c.data, c.key, c.signature), expected(c));
    await worker.close();
  });

  test('an idle worker does not keep the process alive', () => {
    const module = fileURLToPath(new URL('./signature-worker.js', import.meta.url));
    const script = `
      import { generateKeyPairSync, sign } from 'node:crypto';
      import { SignatureWorker } from ${JSON.stringify(module)};
      const { publicKey, privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
      const signature = sign('sha256', Buffer.from('a.b'), { key: privateKey, dsaEncoding: 'ieee-p1363' });
      const worker = new SignatureWorker(600000);
      console.log(await worker.check('sha256', 'a.b', { key: publicKey, dsaEncoding: 'ieee-p1363' }, signature));
    `;
    const run = spawnSync(process.execPath, ['--input-type=module', '-e', script], {
      encoding: 'utf8',
      timeout: 20000,
    });
    assert.equal(
      run.error,
      undefined,
      'the process ended by itself, with the worker idle for 10 minutes to go',
    );
    assert.equal(run.status, 0, run.stderr);
    assert.equal(run.stdout.trim(), 'true');
  });

  test('more keys than a worker holds, over many rounds and all at once: every check answers as crypto.verify', async () => {
    await withWorker(async (worker) => {
      const data = 'eyJhbGciOiJFUzI1NiJ9.e30';
      const signed = Array.from({ length: SIGNATURE_WORKER_MAX_KEYS * 2 + 5 }, (_, i) => {
        const pair = generateKeyPairSync('ec', { namedCurve: 'P-256' });
        const signature = sign('sha256', Buffer.from(data), {
          key: pair.privateKey,
          dsaEncoding: 'ieee-p1363',
        });
        // Every third one checked under the wrong key (its neighbour's): it must not verify.
        return { publicKey: pair.publicKey, signature, wrong: i % 3 === 2 };
      });
      const check = (i: number) => {
        const own = signed[i];
        const other = signed[(i + 1) % signed.length];
        assert.ok(own !== undefined && other !== undefined);
        const key = own.wrong ? other.publicKey : own.publicKey;
        return worker.check('sha256', data, { key, dsaEncoding: 'ieee-p1363' }, own.signature);
      };
      const expectedAt = (i: number) => !(signed[i]?.wrong ?? true);
      // One round per turn, each with a few keys old and new, so that the worker resets its keys on the way.
      for (let round = 0; round < signed.length; round += 7) {
        const indexes = [round, round + 1, round + 2, 0, Math.floor(round / 2)].filter(
          (i) => i < signed.length,
        );
        assert.deepEqual(await Promise.all(indexes.map(check)), indexes.map(expectedAt), `round ${round}`);
      }
      // And all of them at once, more distinct keys than the bound.
      const all = signed.map((_, i) => i);
      assert.deepEqual(await Promise.all(all.map(check)), all.map(expectedAt));
      assert.deepEqual(await Promise.all(all.map(check)), all.map(expectedAt));
    });
  });

  test('RSA-PSS options, negative salt-length constants included, reach the worker as given', async () => {
    await withWorker(async (worker) => {
      const data = 'eyJhbGciOiJQUzI1NiJ9.e30';
      const pss = (saltLength: number) => ({
        key: rsa.privateKey,
        padding: constants.RSA_PKCS1_PSS_PADDING,
        saltLength,
      });
      const signature = sign('sha256', Buffer.from(data), pss(32));
      const checks: [number | undefined, number | undefined][] = [
        [constants.RSA_PKCS1_PSS_PADDING, 32],
        [constants.RSA_PKCS1_PSS_PADDING, constants.RSA_PSS_SALTLEN_DIGEST],
        [constants.RSA_PKCS1_PSS_PADDING, constants.RSA_PSS_SALTLEN_AUTO],
        [constants.RSA_PKCS1_PSS_PADDING, 20],
        [constants.RSA_PKCS1_PSS_PADDING, undefined],
        [constants.RSA_PKCS1_PADDING, undefined],
        [undefined, undefined],
      ];
      const keys = checks.map(([padding, saltLength]): VerifyKeyObjectInput => ({
        key: rsa.publicKey,
        ...(padding !== undefined ? { padding } : {}),
        ...(saltLength !== undefined ? { saltLength } : {}),
      }));
      const answers = await Promise.all(keys.map((key) => worker.check('sha256', data, key, signature)));
      const wanted = keys.map((key) => {
        try {
          return verify('sha256', Buffer.from(data), key, signature);
        } catch {
          return false;
        }
      });
      assert.deepEqual(answers, wanted);
      // Salt 32 (given, digest-sized, or found by AUTO) verifies; 20 and PKCS#1 v1.5 do not.
      assert.deepEqual(wanted, [true, true, true, false, true, false, false]);
    });
  });

  test('checks that no slot can carry (a signing input past 20 KiB, an unknown digest) are checked all the same', async () => {
    await withWorker(async (worker) => {
      const long = `eyJhbGciOiJSUzI1NiJ9.${'x'.repeat(30_000)}`;
      const signature = sign('sha256', Buffer.from(long), rsa.privateKey);
      const sha1 = sign('sha1', Buffer.from(long), rsa.privateKey);
      const answers = await Promise.all([
        worker.check('sha256', long, rsaKey, signature),
        worker.check('sha256', `${long}!`, rsaKey, signature),
        worker.check('sha1', long, rsaKey, sha1),
      ]);
      assert.deepEqual(answers, [true, false, true]);
    });
  });

  test('four times more checks at once than the worker has slots: each answer belongs to its own check', async () => {
    await withWorker(async (worker) => {
      // Every check distinct and four in ten of them invalid, so that an answer given to the wrong check
      // would show.
      const all = cases(SIGNATURE_WORKER_SLOTS * 4, 21);
      const answers = await Promise.all(all.map((c) => worker.check(c.hash, c.data, c.key, c.signature)));
      assert.deepEqual(answers, all.map(expected));
    });
  });

  test('many rounds of more checks than slots each end: a wake-up that brings no answer still leaves a wait armed', async () => {
    // The worker stores its count of answers, then notifies; a wait armed in between is woken with no
    // new answer, and the main thread must arm another. The first version of the shared slots returned
    // there when no slot was free, and the checks in flight hung: this test failed it within 70 rounds
    // in each of three runs.
    const data = 'eyJhbGciOiJSUzI1NiJ9.e30';
    const good = sign('sha256', Buffer.from(data), rsa.privateKey);
    const bad = Buffer.from(good);
    bad[0]! ^= 1;
    const signatures = Array.from({ length: SIGNATURE_WORKER_SLOTS * 4 }, (_, i) =>
      i % 5 === 0 ? bad : good,
    );
    const wanted = signatures.map((sig) => sig === good);
    await withWorker(async (worker) => {
      for (let round = 0; round < 150; round++) {
        let timer: ReturnType<typeof setTimeout> | undefined;
        const answers = Promise.all(signatures.map((sig) => worker.check('sha256', data, rsaKey, sig)));
        const late = new Promise<'late'>((resolve) => {
          timer = setTimeout(() => resolve('late'), 10_000);
        });
        try {
          assert.deepEqual(await Promise.race([answers, late]), wanted, `round ${round}`);
        } finally {
          clearTimeout(timer);
        }
      }
    });
  });

  test('checkAndSeal seals in the worker exactly what sealBytes writes here, and only for a valid signature', async () => {
    await withWorker(async (worker) => {
      const data = 'eyJhbGciOiJSUzI1NiJ9.e30';
      const good = sign('sha256', Buffer.from(data), rsa.privateKey);
      const bad = Buffer.from(good);
      bad[7]! ^= 1;
      const keys = [
        { id: 'sk-one', key: Buffer.alloc(32, 1) },
        { id: 'sk-two', key: Buffer.alloc(32, 2) },
      ];
      const requests = Array.from({ length: 40 }, (_, i) => ({
        key: keys[i % 2]!,
        iv: Buffer.alloc(12, i),
        // Non-ASCII text too: the plaintext goes over as UTF-8.
        plaintext: JSON.stringify({ n: i, name: `sessión-${'x'.repeat(i * 7)}` }),
        signature: i % 5 === 3 ? bad : good,
      }));
      const answers = await Promise.all(
        requests.map((r) => worker.checkAndSeal('sha256', data, rsaKey, r.signature, r)),
      );
      requests.forEach((r, i) => {
        const valid = r.signature === good;
        assert.deepEqual(
          answers[i],
          { valid, sealed: valid ? sealBytes(Buffer.from(r.plaintext), r.key, r.iv) : undefined },
          `request ${i}`,
        );
      });
      // A plaintext too large for a slot is checked, and left for the caller to seal.
      const large = { key: keys[0]!, iv: Buffer.alloc(12, 9), plaintext: 'y'.repeat(5000) };
      assert.deepEqual(await worker.checkAndSeal('sha256', data, rsaKey, good, large), {
        valid: true,
        sealed: undefined,
      });
    });
  });

  test('idleMs must be a non-negative number', () => {
    assert.throws(() => new SignatureWorker(-1), TypeError);
    assert.throws(() => new SignatureWorker(Number.NaN), TypeError);
  });
});
