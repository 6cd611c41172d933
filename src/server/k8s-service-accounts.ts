import { ListWatch, type KubeConfig, type KubernetesListObject } from '@kubernetes/client-node';
import type { Clock } from '../shared/clock.js';
import type { ServiceAccountLookup } from './admission.js';
import { apiServerUrl, getJson, statusMessage, ApiRequestError } from './k8s-api.js';
import {
  isServiceAccountKey,
  reduceServiceAccount,
  type CachedServiceAccount,
} from './k8s-service-account.js';
import { ReducingWatch } from './k8s-watch.js';
import type { Logger } from './server.js';
import { TokenBucket } from './token-bucket.js';
import { isJsonObject } from '../shared/json.js';

/** The collection of every namespace's service accounts (core v1). */
const SERVICE_ACCOUNTS_PATH = '/api/v1/serviceaccounts';
/** Page size of the list, as client-go's reflector pages its first list. */
const LIST_PAGE_SIZE = 500;
/** Pages of one list: 1,000 × 500 service accounts is beyond any cluster; a server paging forever fails. */
const MAX_LIST_PAGES = 1000;
const LIST_TIMEOUT_MS = 30_000;
const MAX_LIST_PAGE_BYTES = 64 * 1024 * 1024;
/** One ServiceAccount: the API server's object size limit is about 1.5 MiB (etcd's request limit). */
const MAX_OBJECT_BYTES = 2 * 1024 * 1024;
/** Service accounts found by a direct GET, held until the informer has them or this long has passed. */
const FETCHED_TTL_MS = 60_000;
const MAX_FETCHED = 1024;
/** The rate of direct GETs: amazon-eks-pod-identity-webhook's cache.go (10 per second, burst 20). */
const GET_PER_SECOND = 10;
const GET_BURST = 20;

export interface KubernetesServiceAccountsOptions {
  readonly kubeConfig: KubeConfig;
  /** `--annotation-prefix`: only annotations under it are kept. */
  readonly annotationPrefix: string;
  readonly logger: Logger;
  readonly clock: Clock;
  /**
   * `--service-account-lookup-grace-period`: how long an admission may wait for a direct GET of a
   * service account the cache does not hold; 0 means no GET (the pod is admitted unmutated).
   */
  readonly lookupGraceMs: number;
  /** The first retry after a failed list or watch; doubled on each failure up to `retryMaxMs`. */
  readonly retryBaseMs?: number;
  readonly retryMaxMs?: number;
  /** Told once, when the first list has arrived, with the number of service accounts. */
  readonly onSynced?: (count: number) => void;
  /** A watch silent this long is given up and resumed (default `WATCH_SILENCE_MS`; tests shorten it). */
  readonly watchSilenceMs?: number;
}

interface Fetched {
  readonly account: CachedServiceAccount;
  readonly until: number;
}

/**
 * The webhook's service accounts from the Kubernetes API server: an informer (list, then watch, of
 * every namespace's ServiceAccounts, from `@kubernetes/client-node`) keeps a cache that each admission
 * reads without a request. As amazon-eks-pod-identity-webhook with a lookup grace period (cache.go,
 * handler.go `buildPodPatchConfig`; irsa-wire.md §2.3): a service account the cache lacks (created an
 * instant before its pod, before the watch delivered it) is fetched directly, rate limited, within the
 * grace period; when that fails too (not found, the API server unreachable or slow) the pod is
 * admitted without a patch, and a line is logged. The informer retries a failed list or watch with
 * backoff, and resumes from the last resourceVersion when the server closes a watch.
 */
export class KubernetesServiceAccounts implements ServiceAccountLookup {
  private readonly informer: ListWatch<CachedServiceAccount>;
  private readonly watch: ReducingWatch;
  private readonly limiter: TokenBucket;
  private readonly fetched = new Map<string, Fetched>();
  private readonly inflight = new Map<string, Promise<CachedServiceAccount | undefined>>();
  private readonly requests = new AbortController();
  private readonly retryBaseMs: number;
  private readonly retryMaxMs: number;
  private listedOnce = false;
  private stopped = false;
  private failures = 0;
  private retryTimer: NodeJS.Timeout | undefined;
  private starting: Promise<void> | undefined;

  constructor(private readonly options: KubernetesServiceAccountsOptions) {
    this.retryBaseMs = options.retryBaseMs ?? 1000;
    this.retryMaxMs = options.retryMaxMs ?? 30_000;
    this.limiter = new TokenBucket(GET_PER_SECOND, GET_BURST, options.clock);
    this.watch = new ReducingWatch(
      options.kubeConfig,
      options.annotationPrefix,
      this.retryBaseMs,
      () => {
        this.failures = 0;
      },
      (silentMs) =>
        options.logger.error('the service-account watch was silent; resuming it on a new connection', {
          silentMs,
        }),
      options.watchSilenceMs,
    );
    this.informer = new ListWatch(SERVICE_ACCOUNTS_PATH, this.watch, () => this.list(), false);
    const forget = (account: CachedServiceAccount) => {
      // The informer's word is newer than a direct GET's.
      this.fetched.delete(`${account.metadata.namespace}/${account.metadata.name}`);
    };
    this.informer.on('add', forget);
    this.informer.on('update', forget);
    this.informer.on('delete', forget);
    this.informer.on('error', (error) => this.failed(error));
  }

  /** Whether the first list has arrived (and is in the cache): the webhook is ready from then on. */
  get synced(): boolean {
    return this.listedOnce;
  }

  /** Starts the informer; failures are logged and retried until `stop`. */
  start(): void {
    if (this.stopped) return;
    this.starting = this.informer.start().catch((error: unknown) => this.failed(error));
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.retryTimer !== undefined) clearTimeout(this.retryTimer);
    this.requests.abort();
    this.watch.close();
    await this.informer.stop();
    await this.starting;
    // A list that was in flight may have started a watch after the first stop.
    this.watch.close();
    await this.informer.stop();
  }

  async get(
    namespace: string,
    name: string,
  ): Promise<{ readonly annotations: Readonly<Record<string, string>> } | undefined> {
    if (!isServiceAccountKey(namespace, name)) return undefined;
    const cached = this.informer.get(name, namespace);
    if (cached !== undefined) return cached.metadata;
    const key = `${namespace}/${name}`;
    const fetched = this.fetched.get(key);
    if (fetched !== undefined && fetched.until > this.options.clock.now()) return fetched.account.metadata;
    this.fetched.delete(key);
    if (this.options.lookupGraceMs === 0) {
      this.unmutated(key, 'it is not in the cache, and the lookup grace period is 0');
      return undefined;
    }
    let pending = this.inflight.get(key);
    if (pending === undefined) {
      if (!this.limiter.take()) {
        this.unmutated(key, 'it is not in the cache, and direct lookups are rate limited (10 per second)');
        return undefined;
      }
      pending = this.fetch(namespace, name).finally(() => this.inflight.delete(key));
      this.inflight.set(key, pending);
    }
    return (await pending)?.metadata;
  }

  private async fetch(namespace: string, name: string): Promise<CachedServiceAccount | undefined> {
    const key = `${namespace}/${name}`;
    const path = `/api/v1/namespaces/${namespace}/serviceaccounts/${name}`;
    let answer;
    try {
      answer = await getJson(this.options.kubeConfig, path, {
        timeoutMs: this.options.lookupGraceMs,
        maxBytes: MAX_OBJECT_BYTES,
        signal: this.requests.signal,
      });
    } catch (error) {
      this.unmutated(
        key,
        `the API server ${apiServerUrl(this.options.kubeConfig)} did not answer: ${describe(error)}`,
      );
      return undefined;
    }
    if (answer.status === 404) {
      this.unmutated(key, 'the API server says it does not exist');
      return undefined;
    }
    if (answer.status !== 200) {
      this.unmutated(key, `the API server refused the lookup (${statusMessage(answer)})`);
      return undefined;
    }
    const account = reduceServiceAccount(answer.body, this.options.annotationPrefix);
    if (account === undefined || account.metadata.namespace !== namespace || account.metadata.name !== name) {
      this.unmutated(key, 'the API server answered something that is not this ServiceAccount');
      return undefined;
    }
    // The informer may have caught up while the GET was in flight: its entry wins.
    if (this.informer.get(name, namespace) === undefined) {
      if (this.fetched.size >= MAX_FETCHED) {
        // INVARIANT: the map is not empty here, so it has a first (oldest) key.
        this.fetched.delete(this.fetched.keys().next().value!);
      }
      this.fetched.set(key, { account, until: this.options.clock.now() + FETCHED_TTL_MS });
    }
    return account;
  }

  /** The first list: every page, reduced; its resourceVersion is where the watch starts. */
  private async list(): Promise<KubernetesListObject<CachedServiceAccount>> {
    const items: CachedServiceAccount[] = [];
    let resourceVersion = '';
    let next = '';
    for (let page = 0; ; page++) {
      if (page === MAX_LIST_PAGES) {
        throw new ApiRequestError(`listing service accounts took more than ${MAX_LIST_PAGES} pages`);
      }
      const query = new URLSearchParams({ limit: String(LIST_PAGE_SIZE) });
      if (next !== '') query.set('continue', next);
      const answer = await getJson(this.options.kubeConfig, `${SERVICE_ACCOUNTS_PATH}?${query.toString()}`, {
        timeoutMs: LIST_TIMEOUT_MS,
        maxBytes: MAX_LIST_PAGE_BYTES,
        signal: this.requests.signal,
      });
      if (answer.status !== 200) {
        throw new ApiRequestError(`listing service accounts: ${statusMessage(answer)}`);
      }
      const body = answer.body;
      if (!isJsonObject(body) || !Array.isArray(body.items) || !isJsonObject(body.metadata)) {
        throw new ApiRequestError('listing service accounts: the answer is not a ServiceAccountList');
      }
      if (page === 0 && typeof body.metadata.resourceVersion === 'string') {
        resourceVersion = body.metadata.resourceVersion;
      }
      for (const item of body.items as unknown[]) {
        const account = reduceServiceAccount(item, this.options.annotationPrefix);
        if (account !== undefined) items.push(account);
      }
      next = typeof body.metadata.continue === 'string' ? body.metadata.continue : '';
      if (next === '') break;
    }
    this.failures = 0;
    if (!this.listedOnce) {
      // The informer adds the items once this promise resolves, in the microtasks that follow; a
      // macrotask runs after them, so `synced` turns true only when the cache holds the list.
      setImmediate(() => {
        if (this.listedOnce) return;
        this.listedOnce = true;
        this.options.onSynced?.(items.length);
      });
    }
    return { apiVersion: 'v1', kind: 'ServiceAccountList', metadata: { resourceVersion }, items };
  }

  /** A failed list or watch: logged, and the informer started again after a backoff. */
  private failed(error: unknown): void {
    if (this.stopped) return;
    this.failures++;
    const delay = Math.min(this.retryMaxMs, this.retryBaseMs * 2 ** Math.min(this.failures - 1, 20));
    this.options.logger.error('the service-account informer failed; retrying', {
      apiServer: apiServerUrl(this.options.kubeConfig),
      error: describe(error),
      retryInMs: delay,
    });
    if (this.retryTimer !== undefined) return;
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      this.start();
    }, delay);
  }

  private unmutated(key: string, why: string): void {
    this.options.logger.error(`service account \`${key}\` not found; the pod is admitted without a patch`, {
      serviceAccount: key,
      reason: why,
    });
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message.slice(0, 300) : String(error).slice(0, 300);
}
