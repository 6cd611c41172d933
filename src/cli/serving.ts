import type { AddressInfo } from 'node:net';
import { join, resolve } from 'node:path';
import { JsonlFileSink } from '../audit/jsonl-file-sink.js';
import { teeSink } from '../audit/sink.js';
import type { IssuerSigningAlgorithm } from '../server/data-dir.js';
import { createHttpsProxy, type HttpsProxy } from '../server/https-proxy.js';
import { close } from '../server/listen.js';
import { LocalCa } from '../server/local-ca.js';
import type { TransparentProxyInfo } from '../server/pod-identity-routes.js';
import type { SigningKeyPeers } from '../server/issuer-routes.js';
import { createServer } from '../server/server.js';
import type { Clock } from '../shared/clock.js';
import type { IdGenerator } from '../shared/ids.js';
import type { Logger } from '../shared/logger.js';
import type { StoreScope } from '../store/types.js';
import { denialLogSink } from './denial-log.js';
import { listenOrSay } from './listen-or-say.js';

/**
 * What one serving process needs to know: `openirsa up`'s options once its data directory is open.
 * Plain data (no functions), so that `up --workers N` can send it to each worker over IPC.
 */
export interface ServingConfig {
  /** The data directory, absolute. */
  readonly dataDir: string;
  /** ` --data DIR` as the user gave it, for the `openirsa explain` hint of denial lines; '' for the default. */
  readonly dataFlag: string;
  readonly port: number;
  readonly host: string;
  readonly region: string;
  readonly issuer?: string;
  readonly signingAlgorithm: IssuerSigningAlgorithm;
  readonly explainDenials: boolean;
  readonly caCertificates: readonly string[];
  readonly allowInsecureIssuers: boolean;
  readonly proxyPort?: number;
}

/** A serving process's listeners, up. */
export interface Serving {
  readonly address: AddressInfo;
  /** The transparent proxy's address, when `proxyPort` was given. */
  readonly proxyAddress?: AddressInfo;
  /** Its CA certificate file (for AWS_CA_BUNDLE), when the proxy runs. */
  readonly proxyCaFile?: string;
  /** Stops the listeners (in-flight requests finish), then flushes and closes the audit sink. */
  close(): Promise<void>;
}

export interface ServingDeps {
  readonly store: StoreScope;
  readonly clock: Clock;
  readonly ids: IdGenerator;
  readonly logger: Logger;
  /** Other processes serving the same store (`up --workers`); absent when this one serves alone. */
  readonly peers?: SigningKeyPeers;
}

/**
 * The audit sink, the HTTP listener and, with `proxyPort`, the transparent proxy: what `openirsa up`
 * serves, in the one process of `up` or in each worker of `up --workers N` (up-workers.ts). Returns
 * `undefined` when a port cannot be bound, after saying why (listen-or-say.ts); everything it opened
 * is closed again then.
 */
export async function startServing(config: ServingConfig, deps: ServingDeps): Promise<Serving | undefined> {
  const { logger } = deps;
  // The audit files are what `openirsa explain` reads; no copy is kept in memory.
  const audit = teeSink(
    new JsonlFileSink({ dir: join(config.dataDir, 'audit'), clock: deps.clock }),
    denialLogSink(logger, (requestId) => `openirsa explain ${requestId}${config.dataFlag}`),
  );
  // Set once the proxy listens; the service-account lookup route reports it to `exec --old-sdk`.
  let proxyInfo: TransparentProxyInfo | undefined;
  const server = createServer({
    store: deps.store,
    clock: deps.clock,
    ids: deps.ids,
    region: config.region,
    audit,
    issuer: {
      signingAlgorithm: config.signingAlgorithm,
      ...(config.issuer !== undefined ? { url: config.issuer } : {}),
    },
    explainDenials: config.explainDenials,
    logger,
    externalIssuers: {
      caCertificates: config.caCertificates,
      allowInsecureIssuers: config.allowInsecureIssuers,
    },
    dataDir: config.dataDir,
    transparentProxy: () => proxyInfo,
    ...(deps.peers !== undefined ? { peers: deps.peers } : {}),
  });
  let proxy: HttpsProxy | undefined;
  const closeAll = async () => {
    await proxy?.close().catch(() => undefined);
    if (server.listening) await close(server).catch(() => undefined);
    await audit.close();
  };
  try {
    const address = await listenOrSay(server, config.port, config.host, logger);
    if (address === undefined) {
      await closeAll();
      return undefined;
    }
    let proxyAddress: AddressInfo | undefined;
    let proxyCaFile: string | undefined;
    if (config.proxyPort !== undefined) {
      const ca = await LocalCa.open({ dataDir: config.dataDir, clock: deps.clock, ids: deps.ids });
      proxy = createHttpsProxy({ ca, target: server });
      proxyAddress = await listenOrSay(proxy.server, config.proxyPort, config.host, logger);
      if (proxyAddress === undefined) {
        await closeAll();
        return undefined;
      }
      const host = hostForUrl(address);
      proxyInfo = { url: `http://${host}:${proxyAddress.port}`, caFile: resolve(ca.certificatePath) };
      proxyCaFile = ca.certificatePath;
    }
    return {
      address,
      ...(proxyAddress !== undefined ? { proxyAddress } : {}),
      ...(proxyCaFile !== undefined ? { proxyCaFile } : {}),
      // Each part on its own: one that fails to close does not leave the others open.
      close: closeAll,
    };
  } catch (error) {
    await closeAll();
    throw error;
  }
}

/** An address as it goes into a URL: IPv6 in brackets. */
export function hostForUrl(address: AddressInfo): string {
  return address.family === 'IPv6' ? `[${address.address}]` : address.address;
}
