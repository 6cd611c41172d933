import type { IncomingMessage } from 'node:http';
import { serviceAccountIdentity } from '../identity/service-account-identity.js';
import type { WireResponse } from '../protocol/query-response.js';
import { AwsError } from '../shared/aws-error.js';
import type { StoreScope } from '../store/types.js';
import { answerAdmissionReview, MAX_ADMISSION_REVIEW_BYTES } from './admission.js';
import { authenticate, type AuthenticateDeps } from './authenticate.js';
import { readBody } from './body.js';

/** The pod-identity webhook on the main listener: AdmissionReview in, JSONPatch out. */
export const MUTATE_ROUTE = '/_openirsa/mutate';
/** `GET /_openirsa/service-accounts/NAMESPACE/NAME`: what `openirsa exec` asks before it mints. */
export const SERVICE_ACCOUNT_ROUTE_PREFIX = '/_openirsa/service-accounts/';

/** Kubernetes names: a DNS subdomain (RFC 1123), at most 253 characters. */
const K8S_NAME = /^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$/;

export interface PodIdentityRouteContext {
  readonly store: StoreScope;
  readonly auth: AuthenticateDeps;
  /** The region the server answers for: exec gives it to the command as AWS_REGION. */
  readonly region: string;
  /** Where the transparent proxy listens, while it does (`openirsa up --proxy-port`). */
  readonly transparentProxy?: () => TransparentProxyInfo | undefined;
}

/** The transparent HTTPS proxy for old SDKs, as `openirsa exec --old-sdk` needs it. */
export interface TransparentProxyInfo {
  /** `http://HOST:PORT`, for HTTPS_PROXY. */
  readonly url: string;
  /** The absolute path of the local CA certificate (PEM), for AWS_CA_BUNDLE. */
  readonly caFile: string;
}

/** The service account as the lookup route answers it. */
export interface ServiceAccountReply {
  readonly namespace: string;
  readonly name: string;
  readonly annotations: Readonly<Record<string, string>>;
  readonly roleArn?: string;
  readonly audience?: string;
  readonly regionalSts?: boolean;
  readonly tokenExpirationSeconds?: number;
  readonly region: string;
  /** Present while the server runs the transparent proxy: what `exec --old-sdk` points clients at. */
  readonly transparentProxy?: TransparentProxyInfo;
}

/**
 * Answers `POST /_openirsa/mutate` and `GET /_openirsa/service-accounts/NS/NAME`, or returns
 * `undefined` for any other request. The mutate route is unauthenticated, as the webhook is (the
 * apiserver calls it without credentials; what it reveals is what a pod spec gets anyway); the lookup
 * route answers the account root only (SigV4-signed), like `POST /_openirsa/token`.
 */
export async function handlePodIdentityRoute(
  ctx: PodIdentityRouteContext,
  req: IncomingMessage,
  path: string,
  query: string,
  requestId: string,
): Promise<WireResponse | undefined> {
  const method = req.method ?? 'GET';
  if (path === MUTATE_ROUTE) return mutateRoute(ctx, req, method, requestId);
  if (path.startsWith(SERVICE_ACCOUNT_ROUTE_PREFIX)) {
    return serviceAccountRoute(ctx, req, method, path, query, requestId);
  }
  return undefined;
}

function json(
  status: number,
  requestId: string,
  body: unknown,
  extra: Record<string, string> = {},
): WireResponse {
  return {
    status,
    headers: { 'Content-Type': 'application/json', 'x-amzn-RequestId': requestId, ...extra },
    body: JSON.stringify(body),
  };
}

async function mutateRoute(
  ctx: PodIdentityRouteContext,
  req: IncomingMessage,
  method: string,
  requestId: string,
): Promise<WireResponse> {
  // The apiserver always POSTs; the upstream handler does not check the method (our decision: 405).
  if (method !== 'POST') return json(405, requestId, { error: 'use POST' }, { Allow: 'POST' });
  const body = await readBody(req, MAX_ADMISSION_REVIEW_BYTES);
  if (!body.ok) {
    // The unread rest of the body makes the connection unusable: close it.
    return json(
      413,
      requestId,
      { error: `the AdmissionReview is larger than ${MAX_ADMISSION_REVIEW_BYTES} bytes` },
      { Connection: 'close' },
    );
  }
  return answerAdmissionReview(req.headers['content-type'], body.body, ctx.store.serviceAccounts);
}

async function serviceAccountRoute(
  ctx: PodIdentityRouteContext,
  req: IncomingMessage,
  method: string,
  path: string,
  query: string,
  requestId: string,
): Promise<WireResponse> {
  if (method !== 'GET') return json(405, requestId, { error: 'use GET' }, { Allow: 'GET' });
  const rest = path.slice(SERVICE_ACCOUNT_ROUTE_PREFIX.length).split('/');
  const [namespace, name] = rest;
  if (rest.length !== 2 || namespace === undefined || name === undefined) {
    return json(404, requestId, {
      error: 'NotFound',
      message: 'expected /_openirsa/service-accounts/NS/NAME',
    });
  }
  try {
    const caller = await authenticate(
      { method, path, query, headers: req.headersDistinct, body: Buffer.alloc(0) },
      ctx.auth,
    );
    if (caller.kind !== 'root') {
      return json(403, requestId, {
        error: 'AccessDenied',
        message: `only the account root may read service accounts, not \`${caller.kind === 'anonymous' ? 'anonymous' : caller.arn}\``,
      });
    }
  } catch (error) {
    if (error instanceof AwsError)
      return json(error.status, requestId, { error: error.code, message: error.message });
    throw error;
  }
  if (!K8S_NAME.test(namespace) || !K8S_NAME.test(name)) {
    return json(400, requestId, {
      error: 'InvalidRequest',
      message: `\`${`${namespace}/${name}`.slice(0, 200)}\` is not NAMESPACE/NAME of Kubernetes names`,
    });
  }
  const account = await ctx.store.serviceAccounts.get(namespace, name);
  if (account === undefined) {
    return json(404, requestId, {
      error: 'NotFound',
      message: `no service account \`${namespace}/${name}\``,
    });
  }
  const reply: ServiceAccountReply = {
    namespace,
    name,
    annotations: account.annotations,
    ...serviceAccountIdentity(account.annotations),
    region: ctx.region,
  };
  const proxy = ctx.transparentProxy?.();
  if (proxy !== undefined) return json(200, requestId, { ...reply, transparentProxy: proxy });
  return json(200, requestId, reply);
}
