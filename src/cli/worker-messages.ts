import type { AddressInfo } from 'node:net';
import type { LogFormat } from '../shared/logger.js';
import type { ServingConfig } from './serving.js';

/**
 * The messages between `openirsa up --workers N` (the primary, up-workers.ts) and its workers
 * (up-worker.ts), over the IPC channel node:cluster opens. Plain data.
 */
export type ToWorker =
  /** The first message: serve with this config. */
  | { readonly type: 'serve'; readonly config: ServingConfig; readonly logFormat: LogFormat }
  /** Close the listeners, flush the audit sink, close the store and exit. */
  | { readonly type: 'stop' }
  /** Another worker rotated the signing key: drop the held ring, then answer `rotated-ack` with `id`. */
  | { readonly type: 'rotated'; readonly id: number }
  /** Every other worker has dropped its ring after this worker's rotation `id`. */
  | { readonly type: 'rotated-done'; readonly id: number };

export type FromWorker =
  /**
   * The worker listens for messages now: the primary sends `serve` only then. A message that arrives
   * before the worker's module has loaded (ES modules load asynchronously) has no listener and is lost.
   */
  | { readonly type: 'ready' }
  | {
      readonly type: 'listening';
      readonly address: AddressInfo;
      readonly proxyAddress?: AddressInfo;
      readonly proxyCaFile?: string;
    }
  /** A port could not be bound; the worker has said why on stderr, and exits. */
  | { readonly type: 'not-listening' }
  /** This worker rotated the signing key (its own number `id`): tell the others, then `rotated-done`. */
  | { readonly type: 'rotated'; readonly id: number }
  | { readonly type: 'rotated-ack'; readonly id: number };

/** Whether an IPC message has the shape of one of `T`'s (a `type` string); the channel is ours alone. */
export function isMessage<T extends { readonly type: string }>(value: unknown): value is T {
  return (
    typeof value === 'object' && value !== null && typeof (value as { type?: unknown }).type === 'string'
  );
}
