/**
 * One worker of `openirsa up --workers N` (up-workers.ts forks it with node:cluster): it opens the
 * store the primary prepared, serves the shared port (serving.ts) and stops when the primary says so,
 * or when the primary is gone. Run on its own it refuses to start.
 */
import cluster from 'node:cluster';
import { join } from 'node:path';
import type { SigningKeyPeers } from '../server/issuer-routes.js';
import { systemClock } from '../shared/clock.js';
import { pooledRandomIds } from '../shared/ids.js';
import { createLogger } from '../shared/logger.js';
import { openSqliteStore, SQLITE_FILE_NAME } from '../store/sqlite/sqlite-store.js';
import type { Store } from '../store/types.js';
import { startServing, type Serving } from './serving.js';
import { isMessage, type FromWorker, type ToWorker } from './worker-messages.js';

/** How long a worker waits for its own stop to finish before it exits anyway. */
const STOP_GRACE_MS = 30_000;

function send(message: FromWorker): void {
  process.send?.(message);
}

/** The rotation peers of this worker: the primary relays between workers (up-workers.ts). */
function ipcPeers(): SigningKeyPeers & { receive(message: ToWorker): void } {
  const listeners: (() => void)[] = [];
  const waiting = new Map<number, () => void>();
  let next = 0;
  return {
    rotated: () =>
      new Promise<void>((resolve) => {
        const id = ++next;
        waiting.set(id, resolve);
        send({ type: 'rotated', id });
      }),
    onRotated: (listener) => {
      listeners.push(listener);
    },
    receive: (message) => {
      if (message.type === 'rotated') {
        for (const listener of listeners) listener();
        send({ type: 'rotated-ack', id: message.id });
      } else if (message.type === 'rotated-done') {
        waiting.get(message.id)?.();
        waiting.delete(message.id);
      }
    },
  };
}

function run(): void {
  // Ctrl-C reaches every process of the terminal's group: the primary stops the workers itself, in
  // order, so a worker does not act on the signals.
  process.on('SIGINT', () => undefined);
  process.on('SIGTERM', () => undefined);
  // node:cluster's own 'disconnect' handler exits the worker at once unless this is set: the stop
  // below (requests finished, audit lines flushed, store closed) would never run.
  if (cluster.worker !== undefined) cluster.worker.exitedAfterDisconnect = true;
  const peers = ipcPeers();
  let store: Store | undefined;
  let starting: Promise<Serving | undefined> | undefined;
  let stopping: Promise<void> | undefined;
  const stop = () => {
    stopping ??= (async () => {
      setTimeout(() => process.exit(1), STOP_GRACE_MS).unref();
      const serving = await starting?.catch(() => undefined);
      await serving?.close().catch(() => undefined);
      await store?.close().catch(() => undefined);
      // Explicitly, with the code set on the way (1 when the worker could not start).
      process.exit(process.exitCode ?? 0);
    })();
    return stopping;
  };
  // The primary gone (killed, crashed): nobody would stop this worker any more.
  process.on('disconnect', () => void stop());
  process.on('message', (message: unknown) => {
    if (!isMessage<ToWorker>(message)) return;
    if (message.type === 'stop') {
      void stop();
    } else if (message.type === 'serve') {
      if (starting !== undefined) return;
      const logger = createLogger(
        message.logFormat,
        { stdout: (t) => process.stdout.write(t), stderr: (t) => process.stderr.write(t) },
        systemClock,
      );
      const { config } = message;
      // Each request's cached reads look for the other workers' commits once (database.ts
      // `checkOthersPerRequest`): what one worker wrote is what the next request sees, whichever worker
      // serves it.
      // In a promise, so that a store that does not open (a newer schema, a broken file) is said as
      // any other start failure below.
      starting = Promise.resolve().then(() => {
        const opened = openSqliteStore({
          path: join(config.dataDir, SQLITE_FILE_NAME),
          clock: systemClock,
          checkOthersPerRequest: true,
        });
        store = opened;
        return startServing(config, {
          store: opened,
          clock: systemClock,
          ids: pooledRandomIds(),
          logger,
          peers,
        });
      });
      starting.then(
        (started) => {
          if (started === undefined) {
            send({ type: 'not-listening' });
            void stop();
            return;
          }
          if (stopping !== undefined) return;
          send({
            type: 'listening',
            address: started.address,
            ...(started.proxyAddress !== undefined ? { proxyAddress: started.proxyAddress } : {}),
            ...(started.proxyCaFile !== undefined ? { proxyCaFile: started.proxyCaFile } : {}),
          });
        },
        (error: unknown) => {
          logger.error('a worker could not start', {
            error: error instanceof Error ? error.message : String(error),
          });
          process.exitCode = 1;
          void stop();
        },
      );
    } else {
      peers.receive(message);
    }
  });
  send({ type: 'ready' });
}

if (cluster.isWorker) {
  run();
} else {
  process.stderr.write('openirsa: up-worker.js is started by `openirsa up --workers N`, not on its own\n');
  process.exitCode = 2;
}
