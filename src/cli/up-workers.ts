import cluster, { type Worker } from 'node:cluster';
import { fileURLToPath } from 'node:url';
import type { LogFormat, Logger } from '../shared/logger.js';
import type { Serving, ServingConfig } from './serving.js';
import { isMessage, type FromWorker, type ToWorker } from './worker-messages.js';

/** How long `close` waits for a worker to stop (its in-flight requests, its audit flush) before killing it. */
const STOP_TIMEOUT_MS = 30_000;

/** The workers of `openirsa up --workers N`, serving. */
export interface WorkerPool extends Serving {
  /** Resolves, with what happened, when a worker exits without being told to: the pool is broken. */
  readonly failure: Promise<string>;
}

/**
 * Forks `count` workers (up-worker.ts) with node:cluster, each serving `config` on the same port:
 * node:cluster's primary (this process) accepts the connections and hands them to the workers in turn,
 * and a connection stays with the worker it was handed to. Each worker opens the store on its own
 * connection and, once per request, checks for the others' commits before it serves a cached read
 * (store/sqlite/database.ts `checkOthersPerRequest`), so what one worker wrote is what the next
 * request sees, whichever worker serves it. The workers are started one after another,
 * so that a port that cannot be bound is said once (by the first); `undefined` then, with every worker
 * stopped.
 *
 * A rotation of the issuer's signing key (held in memory by each worker) is relayed: the rotating
 * worker answers its client only once every other worker has dropped its copy (issuer-routes.ts
 * `SigningKeyPeers`).
 */
export async function startWorkers(
  count: number,
  config: ServingConfig,
  logFormat: LogFormat,
  logger: Logger,
  /** Ctrl-C or SIGTERM while the workers start: they are stopped, and 'stopped' is answered. */
  stop: AbortSignal,
): Promise<WorkerPool | 'stopped' | undefined> {
  cluster.setupPrimary({ exec: fileURLToPath(new URL('./up-worker.js', import.meta.url)), args: [] });
  const workers: Worker[] = [];
  let stopping = false;
  let reportFailure: (what: string) => void = () => undefined;
  const failure = new Promise<string>((resolve) => {
    reportFailure = resolve;
  });
  // Rotations in progress, by relay id: the worker that rotated, its own id, the acks still awaited.
  const relays = new Map<number, { from: Worker; id: number; awaiting: Set<Worker> }>();
  let nextRelay = 0;
  const settleRelays = (gone?: Worker) => {
    for (const [relayId, relay] of relays) {
      if (gone !== undefined) relay.awaiting.delete(gone);
      if (relay.awaiting.size > 0) continue;
      relays.delete(relayId);
      if (relay.from.isConnected())
        relay.from.send({ type: 'rotated-done', id: relay.id } satisfies ToWorker);
    }
  };
  const onMessage = (worker: Worker, message: unknown) => {
    if (!isMessage<FromWorker>(message)) return;
    if (message.type === 'rotated') {
      const relayId = ++nextRelay;
      const others = workers.filter((w) => w !== worker && w.isConnected());
      relays.set(relayId, { from: worker, id: message.id, awaiting: new Set(others) });
      for (const other of others) other.send({ type: 'rotated', id: relayId } satisfies ToWorker);
      settleRelays();
    } else if (message.type === 'rotated-ack') {
      relays.get(message.id)?.awaiting.delete(worker);
      settleRelays();
    }
  };

  const stopAll = async () => {
    stopping = true;
    await Promise.all(workers.map((w) => stopWorker(w)));
  };

  let first: Extract<FromWorker, { type: 'listening' }> | undefined;
  for (let i = 0; i < count; i++) {
    if (stop.aborted) {
      await stopAll();
      return 'stopped';
    }
    const worker = cluster.fork();
    workers.push(worker);
    // A message to a worker that has just died fails with EPIPE; its 'exit' says what happened.
    worker.on('error', () => undefined);
    worker.on('message', (message: unknown) => onMessage(worker, message));
    const started = await new Promise<Extract<FromWorker, { type: 'listening' }> | string | undefined>(
      (resolve) => {
        const onStart = (message: unknown) => {
          if (!isMessage<FromWorker>(message)) return;
          if (message.type === 'ready') worker.send({ type: 'serve', config, logFormat } satisfies ToWorker);
          else if (message.type === 'listening') resolve(message);
          else if (message.type === 'not-listening') resolve(undefined);
        };
        worker.on('message', onStart);
        worker.once('exit', (code, signal) => resolve(exitDescription(worker, code, signal)));
        // A worker still loading when Ctrl-C reaches the process group dies of it: that is no failure.
        stop.addEventListener('abort', () => resolve('stopped'), { once: true });
      },
    );
    if (started === 'stopped' || stop.aborted) {
      await stopAll();
      return 'stopped';
    }
    if (typeof started !== 'object') {
      if (typeof started === 'string') {
        logger.error(
          'a worker exited while starting',
          { worker: worker.id },
          `openirsa: ${started} while starting`,
        );
      }
      await stopAll();
      return undefined;
    }
    first ??= started;
    worker.once('exit', (code, signal) => {
      settleRelays(worker);
      if (!stopping) reportFailure(exitDescription(worker, code, signal));
    });
  }
  // INVARIANT: count >= 1 (parseUpArgs), so the loop ran and `first` is set.
  if (first === undefined) throw new Error('no worker was started');
  return {
    failure,
    address: first.address,
    ...(first.proxyAddress !== undefined ? { proxyAddress: first.proxyAddress } : {}),
    ...(first.proxyCaFile !== undefined ? { proxyCaFile: first.proxyCaFile } : {}),
    close: stopAll,
  };
}

/** Asks a worker to stop and resolves once it has exited; kills it after STOP_TIMEOUT_MS. */
function stopWorker(worker: Worker): Promise<void> {
  if (worker.isDead()) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => worker.process.kill('SIGKILL'), STOP_TIMEOUT_MS);
    worker.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    // A worker ignores SIGTERM (the primary stops it), and one whose channel is gone stops on its own.
    if (worker.isConnected()) worker.send({ type: 'stop' } satisfies ToWorker);
    else worker.process.kill('SIGKILL');
  });
}

function exitDescription(worker: Worker, code: number | null, signal: string | null): string {
  const how = signal !== null ? `was killed by ${signal}` : `exited with code ${String(code)}`;
  return `worker ${worker.id} (pid ${String(worker.process.pid)}) ${how}`;
}
