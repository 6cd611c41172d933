/**
 * The main-thread work of AssumeRoleWithWebIdentity's own handler, in-process: `handle` on a file-backed
 * SQLite store in WAL mode (as `openirsa up` runs it), the real key ring, policy cache and pooled ids,
 * with no HTTP, query decoding, audit or XML around it. Also times the RSA verification alone
 * (`crypto.verify` on the same token, which every call must pay) and the pieces the handler is made of,
 * so that "the action's own work" is the handler minus the verification. Prints CPU µs per call (user +
 * system; the machine is shared), the best of several rounds: of the whole process, and of its main
 * thread alone (from /proc/thread-self/schedstat: the signature is checked in the action's
 * SignatureWorker thread, off the main thread, which is the server's bottleneck). The handler also runs
 * 16 calls in flight, as the server has them under load; its last line is the handler's main-thread
 * work less what handing the signature to the worker costs the main thread. With the threadpool
 * (sessions 5 and 6) that was more than the pieces below add up to, by 10-20 µs: each verification
 * woke a pool thread and then the event loop, where the worker reads checks from shared memory.
 *
 *   npm run build && node dist/bench/sts/handler.js
 *   node --cpu-prof dist/bench/sts/handler.js --handle-only   # a profile of the handler alone
 */
import { constants, verify } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { decodeJwt } from '../../src/identity/decode-jwt.js';
import { parseIssuer } from '../../src/identity/issuer.js';
import { KeyRing } from '../../src/identity/key-ring.js';
import { mintToken } from '../../src/identity/mint-token.js';
import { generateSigningKey } from '../../src/identity/signing-key.js';
import type { ActionContext } from '../../src/iam/query-action.js';
import { PolicyCache } from '../../src/policy/compile.js';
import { systemClock } from '../../src/shared/clock.js';
import { pooledRandomIds } from '../../src/shared/ids.js';
import { SignatureWorker } from '../../src/identity/signature-worker.js';
import { openSqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import { assumeRoleWithWebIdentity } from '../../src/sts/actions/assume-role-with-web-identity.js';
import { openSession, sealSession, type SessionContext } from '../../src/sts/session-token.js';

const ACCOUNT = '000000000000';
const ISSUER = 'https://127.0.0.1:8443';
const PROVIDER = `arn:aws:iam::${ACCOUNT}:oidc-provider/127.0.0.1:8443`;
const ROLE = `arn:aws:iam::${ACCOUNT}:role/team-a-app`;
const SEALING = { id: 'sk-bench', key: Buffer.alloc(32, 7) };
const ROUNDS = process.argv.includes('--quick') ? 3 : 7;
const PER_ROUND = process.argv.includes('--quick') ? 2_000 : 5_000;
/** As many calls at a time as bench/sts/run.ts's keep-alive connections. */
const IN_FLIGHT = 16;

/** ns this thread has run on a CPU (proc(5) `/proc/[pid]/task/[tid]/schedstat`, field 1); NaN without /proc. */
function threadCpuNanos(): number {
  try {
    return Number(readFileSync('/proc/thread-self/schedstat', 'ascii').split(' ')[0]);
  } catch {
    return NaN;
  }
}

/**
 * Best-of-rounds µs per call of a synchronous or asynchronous `work`: process CPU and main-thread CPU.
 * `inFlight` calls at a time, as a server under load has several requests waiting on the threadpool.
 */
async function measure(
  name: string,
  work: () => unknown,
  inFlight = 1,
): Promise<{ cpu: number; main: number }> {
  const round = async () => {
    let started = 0;
    const lane = async () => {
      while (started++ < PER_ROUND) await work();
    };
    await Promise.all(Array.from({ length: inFlight }, lane));
  };
  await round();
  let best = Infinity;
  let bestMain = Infinity;
  for (let r = 0; r < ROUNDS; r++) {
    // CPU time of this process (user + system), not wall time: other processes share the cores.
    const start = process.cpuUsage();
    const mainStart = threadCpuNanos();
    await round();
    const spent = process.cpuUsage(start);
    bestMain = Math.min(bestMain, (threadCpuNanos() - mainStart) / 1000 / PER_ROUND);
    best = Math.min(best, (spent.user + spent.system) / PER_ROUND);
  }
  console.log(
    `  ${name.padEnd(44)} ${best.toFixed(2).padStart(8)} µs   main thread ${bestMain.toFixed(2).padStart(8)} µs`,
  );
  return { cpu: best, main: bestMain };
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(os.tmpdir(), 'openirsa-bench-arwwi-'));
  const clock = systemClock;
  const ids = pooledRandomIds();
  const store = openSqliteStore({ path: join(dir, 'openirsa.db'), clock });
  try {
    const now = clock.now();
    await store.accounts.create({ id: ACCOUNT, createdAt: now });
    await store.oidcProviders.create({
      accountId: ACCOUNT,
      arn: PROVIDER,
      url: ISSUER,
      clientIds: ['sts.amazonaws.com'],
      thumbprints: [],
      createdAt: now,
    });
    await store.roles.create({
      accountId: ACCOUNT,
      name: 'team-a-app',
      id: 'AROAEXAMPLETEAMAAPP01',
      path: '/',
      arn: ROLE,
      maxSessionDuration: 3600,
      trustPolicy: JSON.stringify({
        Version: '2012-10-17',
        Statement: [
          {
            Effect: 'Allow',
            Principal: { Federated: PROVIDER },
            Action: 'sts:AssumeRoleWithWebIdentity',
            Condition: {
              StringEquals: {
                '127.0.0.1:8443:sub': 'system:serviceaccount:team-a:app',
                '127.0.0.1:8443:aud': 'sts.amazonaws.com',
              },
            },
          },
        ],
      }),
      createdAt: now,
    });
    const ring = KeyRing.create(await generateSigningKey({ clock }), {
      clock,
      maxTokenLifetimeSeconds: 86400,
    });
    const issuer = parseIssuer(ISSUER);
    if (!issuer.ok) throw new Error('bad issuer');
    const minted = mintToken(
      { serviceAccount: { namespace: 'team-a', name: 'app' }, audiences: ['sts.amazonaws.com'] },
      { issuer: issuer.issuer, signer: ring, clock, ids },
    );
    if (!minted.ok) throw new Error('mint failed');
    const token = minted.token;
    const action = assumeRoleWithWebIdentity({
      builtInIssuer: () => Promise.resolve({ url: ISSUER, keyFor: (kid) => ring.keyFor(kid) }),
      sealingKey: () => Promise.resolve(SEALING),
      recordDecision: () => undefined,
    });
    const ctx: ActionContext = {
      store,
      clock,
      ids,
      caller: { kind: 'anonymous' },
      requestId: 'req-bench',
      region: 'us-east-1',
      policies: new PolicyCache(),
      sourceIp: '127.0.0.1',
    };
    const request = { RoleArn: ROLE, RoleSessionName: 'bench', WebIdentityToken: token };
    const first = await action.handle(request, ctx);
    const sealed = first.Credentials?.SessionToken ?? '';
    const opened = openSession(sealed, () => SEALING);
    if (!opened.ok) throw new Error('the sealed session does not open');
    const session = opened.context as SessionContext;

    const decoded = decodeJwt(token);
    if (!decoded.ok) throw new Error('bad token');
    const kid = decoded.header.kid ?? '';
    const key = ring.keyFor(kid);
    if (key === undefined) throw new Error('no key');
    const signingInput = Buffer.from(decoded.signingInput, 'ascii');

    console.log(`AssumeRoleWithWebIdentity handler, in-process, node ${process.version}, best of ${ROUNDS}`);
    await measure('handle (everything)', () => action.handle(request, ctx));
    const total = await measure(
      `handle, ${IN_FLIGHT} in flight`,
      () => action.handle(request, ctx),
      IN_FLIGHT,
    );
    if (process.argv.includes('--handle-only')) return;
    await measure('crypto.verify alone (RS256)', () =>
      verify(
        'sha256',
        signingInput,
        { key: key.publicKey, padding: constants.RSA_PKCS1_PADDING },
        decoded.signature,
      ),
    );
    const pooled = await measure(
      `crypto.verify in the threadpool, ${IN_FLIGHT} in flight`,
      () =>
        new Promise<boolean>((resolve) =>
          verify(
            'sha256',
            signingInput,
            { key: key.publicKey, padding: constants.RSA_PKCS1_PADDING },
            decoded.signature,
            (error, valid) => resolve(error === null && valid),
          ),
        ),
      IN_FLIGHT,
    );
    // What the handler does with the signature: the action's SignatureWorker (identity/signature-worker.ts).
    const worker = new SignatureWorker();
    const offThread = await measure(
      `SignatureWorker.check, ${IN_FLIGHT} in flight`,
      () =>
        worker.check(
          'sha256',
          decoded.signingInput,
          { key: key.publicKey, padding: constants.RSA_PKCS1_PADDING },
          decoded.signature,
        ),
      IN_FLIGHT,
    );
    await worker.close();
    await measure('decodeJwt', () => decodeJwt(token));
    await measure('sealSession', () => sealSession(session, SEALING, ids.bytes(12)));
    await measure('openSession', () => openSession(sealed, () => SEALING));
    await measure('store.roles.get (cached)', () => store.roles.get(ACCOUNT, 'team-a-app'));
    await measure('store.oidcProviders.get (cached)', () => store.oidcProviders.get(ACCOUNT, PROVIDER));
    // The action's own main-thread work: the handler's, less what handing the signature to the
    // worker costs the main thread (the threadpool's share, for comparison with earlier sessions).
    console.log(
      `  ${'handle minus verify, main thread'.padEnd(44)} ${(total.main - offThread.main).toFixed(2).padStart(8)} µs   (less the threadpool's share: ${(total.main - pooled.main).toFixed(2)} µs)`,
    );
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
