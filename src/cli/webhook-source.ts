import { access } from 'node:fs/promises';
import { join } from 'node:path';
import type { ServiceAccountLookup } from '../server/admission.js';
import type { Logger } from '../shared/logger.js';
import { openSqliteStore, SQLITE_FILE_NAME } from '../store/sqlite/sqlite-store.js';
import type { CommandIo } from './io.js';
import type { WebhookSource } from './webhook.js';

/** The service accounts the webhook serves from, opened: what to read, when ready, how to close. */
export interface OpenedSource {
  readonly serviceAccounts: ServiceAccountLookup;
  /** Absent: ready at once. */
  readonly ready?: () => boolean;
  /** One line for the start-up summary. */
  readonly summary: string;
  close(): Promise<void>;
}

/**
 * Opens the source, or returns the one-line reason it cannot (for stderr; exit 1). The Kubernetes
 * side (and `@kubernetes/client-node`, slow to load) is imported only when it is used.
 */
export async function openWebhookSource(
  source: WebhookSource,
  data: string,
  annotationPrefix: string,
  io: CommandIo,
  logger: Logger,
): Promise<OpenedSource | string> {
  if (source.kind === 'store') {
    const storePath = join(data, SQLITE_FILE_NAME);
    try {
      await access(storePath);
    } catch {
      return `no store in \`${data}\`; start \`openirsa up --data ${data}\` once first`;
    }
    const store = openSqliteStore({ path: storePath, clock: io.clock });
    return {
      serviceAccounts: store.serviceAccounts,
      summary: `the store in ${data}`,
      close: () => store.close(),
    };
  }
  const k8sApi = await import('../server/k8s-api.js');
  const { KubernetesServiceAccounts } = await import('../server/k8s-service-accounts.js');
  let kubeConfig;
  try {
    kubeConfig = await k8sApi.loadKubeConfig(source.kubeConfig);
  } catch (error) {
    return error instanceof k8sApi.KubeConfigError ? error.message : String(error);
  }
  const accounts = new KubernetesServiceAccounts({
    kubeConfig,
    annotationPrefix,
    logger,
    clock: io.clock,
    lookupGraceMs: source.lookupGraceMs,
    onSynced: (count) =>
      logger.info(
        'service accounts listed from the API server; ready',
        { count },
        `openirsa webhook: ${count} service accounts listed from the API server; ready`,
      ),
  });
  accounts.start();
  const where =
    source.kubeConfig.kind === 'file' ? `kubeconfig ${source.kubeConfig.path}` : 'in-cluster config';
  return {
    serviceAccounts: accounts,
    ready: () => accounts.synced,
    summary: `the Kubernetes API server ${k8sApi.apiServerUrl(kubeConfig)} (${where})`,
    close: () => accounts.stop(),
  };
}
