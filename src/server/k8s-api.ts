import { access } from 'node:fs/promises';
import { request as httpsRequest, type RequestOptions } from 'node:https';
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { KubeConfig } from '@kubernetes/client-node';

/**
 * Access to the Kubernetes API server for the webhook's service-account lookup, through
 * `@kubernetes/client-node`'s KubeConfig: it reads the kubeconfig (or the in-cluster service-account
 * files), and applies the cluster CA, client certificates and bearer token (the in-cluster token file
 * is read again every minute, as bound tokens rotate). Our GETs go through node:http(s) with that
 * agent and those headers, so each has a timeout and a size limit, which the library's generated
 * client has neither of.
 */

/** Where the API server's address and credentials come from. */
export type KubeConfigSource =
  { readonly kind: 'in-cluster' } | { readonly kind: 'file'; readonly path: string };

/** The service-account files every pod gets (KubeConfig.loadFromCluster reads the same). */
const IN_CLUSTER_DIR = '/var/run/secrets/kubernetes.io/serviceaccount';

/** A kubeconfig that does not load, or has no cluster to talk to. */
export class KubeConfigError extends Error {
  override readonly name = 'KubeConfigError';
}

/**
 * Loads the source. In-cluster: `KUBERNETES_SERVICE_HOST`/`_PORT` of this process and the token and CA
 * files under `pathPrefix` + the standard directory (tests pass a prefix; the files must exist). A
 * file: its current context, whose cluster must have a server.
 */
export async function loadKubeConfig(source: KubeConfigSource, pathPrefix = ''): Promise<KubeConfig> {
  const kc = new KubeConfig();
  if (source.kind === 'in-cluster') {
    for (const file of ['token', 'ca.crt']) {
      try {
        await access(`${pathPrefix}${IN_CLUSTER_DIR}/${file}`);
      } catch {
        throw new KubeConfigError(
          `not inside a pod: \`${pathPrefix}${IN_CLUSTER_DIR}/${file}\` is missing (use --kubeconfig outside a cluster)`,
        );
      }
    }
    kc.loadFromCluster(pathPrefix);
  } else {
    try {
      kc.loadFromFile(source.path);
    } catch (error) {
      throw new KubeConfigError(
        `cannot load the kubeconfig \`${source.path}\`: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
  }
  const cluster = kc.getCurrentCluster();
  if (cluster === null) {
    throw new KubeConfigError('the kubeconfig has no current context naming a cluster');
  }
  let url: URL;
  try {
    url = new URL(cluster.server);
  } catch {
    throw new KubeConfigError(`the cluster's server \`${cluster.server.slice(0, 300)}\` is not a URL`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new KubeConfigError(`the cluster's server \`${cluster.server.slice(0, 300)}\` is not http(s)`);
  }
  return kc;
}

/** The API server's base URL (no trailing slash), for messages and the watch. */
export function apiServerUrl(kc: KubeConfig): string {
  return (kc.getCurrentCluster()?.server ?? '').replace(/\/+$/, '');
}

/** A JSON answer of the API server: its status, and the body parsed (undefined when not JSON). */
export interface ApiAnswer {
  readonly status: number;
  readonly body: unknown;
}

export interface GetOptions {
  readonly timeoutMs: number;
  /** A larger body fails the request (the connection is dropped). */
  readonly maxBytes: number;
  /** Aborts the request (on shutdown). */
  readonly signal?: AbortSignal;
}

/** A request that failed before an answer: no connection, a timeout, too large a body. */
export class ApiRequestError extends Error {
  override readonly name = 'ApiRequestError';
}

/** GET `path` (with its query) from the API server, authenticated as the kubeconfig says. */
export async function getJson(kc: KubeConfig, path: string, options: GetOptions): Promise<ApiAnswer> {
  const opts: RequestOptions = {};
  // Sets the agent (CA, client certificate) and the Authorization header, as the library's own calls.
  await kc.applyToHTTPSOptions(opts);
  const url = new URL(`${apiServerUrl(kc)}${path}`);
  const send = url.protocol === 'http:' ? httpRequest : httpsRequest;
  return new Promise<ApiAnswer>((resolveAnswer, rejectAnswer) => {
    // A deadline for the whole exchange, not the socket's idle timeout: an API server that trickles
    // bytes, or sends headers and then nothing, must not hold a lookup past its grace period.
    const deadline = setTimeout(
      () => req.destroy(new ApiRequestError(`no answer within ${options.timeoutMs} ms`)),
      options.timeoutMs,
    );
    const resolve = (answer: ApiAnswer) => {
      clearTimeout(deadline);
      resolveAnswer(answer);
    };
    const reject = (error: Error) => {
      clearTimeout(deadline);
      rejectAnswer(error);
    };
    const req = send(
      url,
      {
        ...opts,
        method: 'GET',
        headers: { ...opts.headers, Accept: 'application/json' },
        ...(options.signal !== undefined ? { signal: options.signal } : {}),
      },
      (res) => {
        readAll(res, options.maxBytes).then(
          (text) => resolve({ status: res.statusCode ?? 0, body: parseJson(text) }),
          (error: unknown) => {
            req.destroy();
            reject(error instanceof Error ? error : new ApiRequestError(String(error)));
          },
        );
      },
    );
    req.on('error', (error) =>
      reject(error instanceof ApiRequestError ? error : new ApiRequestError(error.message)),
    );
    req.end();
  });
}

function readAll(res: IncomingMessage, maxBytes: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    res.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBytes) {
        reject(new ApiRequestError(`the answer is larger than ${maxBytes} bytes`));
        res.destroy();
        return;
      }
      chunks.push(chunk);
    });
    res.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    res.on('error', (error) => reject(new ApiRequestError(error.message)));
  });
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/** The `message` of a Kubernetes `Status` body, bounded, for a log line (it never holds a secret). */
export function statusMessage(answer: ApiAnswer): string {
  const body = answer.body;
  const message =
    body !== null && typeof body === 'object' && 'message' in body && typeof body.message === 'string'
      ? body.message
      : '';
  return message === '' ? `HTTP ${answer.status}` : `HTTP ${answer.status}: ${message.slice(0, 300)}`;
}
