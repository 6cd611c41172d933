import { parseArgs } from 'node:util';
import { DEFAULT_WEBHOOK_SETTINGS, type WebhookSettings } from '../identity/pod-mutation.js';
import { parseGoInt64 } from '../identity/service-account-identity.js';
import { close, DEFAULT_HOST } from '../server/listen.js';
import type { KubeConfigSource } from '../server/k8s-api.js';
import { createWebhookServer } from '../server/webhook-server.js';
import { EXIT_FINDINGS, UsageError, type CommandIo } from './io.js';
import { processStopSignal } from './up.js';
import { openWebhookSource } from './webhook-source.js';
import { commandLogger } from './log-format.js';
import { listenOrSay } from './listen-or-say.js';

export const webhookHelp = `usage: openirsa webhook [--tls-cert FILE] [--tls-key FILE] [--port 443] [--host 127.0.0.1]
                       [--data DIR] [--annotation-prefix P] [--token-audience A]
                       [--token-mount-path PATH] [--token-expiration S]
                       [--aws-default-region R] [--sts-regional-endpoint]
                       [--kubeconfig PATH] [--service-account-lookup-grace-period D]
                       [--aws-endpoint-url URL] [--log-format text|json]

Serves the pod-identity mutating webhook over TLS as amazon-eks-pod-identity-webhook does (IRSA mode):
POST /mutate (AdmissionReview admission.k8s.io/v1 in, JSONPatch out) and GET /healthz (\`ok\`). The
certificate files are reloaded when they change (checked every 10 s).

Service accounts and their annotations come from the cluster's API server when --kubeconfig is
given, or inside a pod (KUBERNETES_SERVICE_HOST set, no --data): the in-cluster service-account
token and CA. An informer lists every namespace's ServiceAccounts, then watches them; GET /healthz
answers 503 until that first list has arrived (GET /livez answers \`ok\` at once). A service account
the cache lacks is fetched directly (rate limited, within the grace period); when that fails too,
the pod is admitted without a patch and a line is logged. Otherwise (and always with --data) they
come from the data directory's store (the ServiceAccount manifests given to \`openirsa up -f\` or
\`openirsa apply -f\`). --watch-config-map, --compose-role-arn and the container-credentials (Pod
Identity) mode are not available.

  --tls-cert FILE            certificate chain, PEM (default /etc/webhook/certs/tls.crt)
  --tls-key FILE             its private key, PEM (default /etc/webhook/certs/tls.key)
  --port N                   TLS port (default 443)
  --host H                   address to bind (default 127.0.0.1; 0.0.0.0 inside a cluster)
  --data DIR                 the data directory (default $OPENIRSA_DATA, else ./.openirsa)
  --annotation-prefix P      annotation domain (default eks.amazonaws.com)
  --token-audience A         default token audience (default sts.amazonaws.com)
  --token-mount-path PATH    where the token volume is mounted
                             (default /var/run/secrets/eks.amazonaws.com/serviceaccount)
  --token-expiration S       default token lifetime in seconds (default 86400; below 600 means 600)
  --aws-default-region R     also inject AWS_DEFAULT_REGION and AWS_REGION
  --sts-regional-endpoint    inject AWS_STS_REGIONAL_ENDPOINTS=regional by default
  --kubeconfig PATH          read service accounts from the API server of this kubeconfig's
                             current context
  --service-account-lookup-grace-period D
                             how long an admission waits for a direct GET of a service account
                             the cache lacks, e.g. 500ms or 2s (default 1s, at most 30s); 0: no GET
  --aws-endpoint-url URL     also inject AWS_ENDPOINT_URL, AWS_ENDPOINT_URL_STS, _IAM and _S3 (those
                             a container does not define), so that its AWS clients call openirsa
                             instead of real AWS, e.g. http://openirsa.openirsa.svc:4566
  --log-format F             text (default) or json: one JSON object a line (time, level, msg, fields);
                             default $OPENIRSA_LOG_FORMAT
  -h, --help                 print this help

Example:
  openssl req -x509 -newkey rsa:2048 -nodes -days 30 -subj /CN=pod-identity-webhook.default.svc \\
    -addext subjectAltName=DNS:pod-identity-webhook.default.svc -keyout tls.key -out tls.crt
  openirsa webhook --tls-cert tls.crt --tls-key tls.key --port 8443 --data ./.openirsa
  openirsa webhook --tls-cert tls.crt --tls-key tls.key --port 8443 --kubeconfig ~/.kube/config \\
    --aws-endpoint-url http://openirsa.openirsa.svc:4566
`;

/** How often the certificate files are checked for a change. */
const CERT_CHECK_INTERVAL_MS = 10_000;

/**
 * Where the webhook reads service accounts: the data directory's store, or the Kubernetes API server
 * (a kubeconfig file, or the in-cluster service-account files), with the direct-GET grace period.
 */
export type WebhookSource =
  | { readonly kind: 'store' }
  | { readonly kind: 'kubernetes'; readonly kubeConfig: KubeConfigSource; readonly lookupGraceMs: number };

/** `--service-account-lookup-grace-period`: upstream's flag, a Go duration; ours accepts `ms` and `s`. */
const DEFAULT_LOOKUP_GRACE = '1s';
const MAX_LOOKUP_GRACE_MS = 30_000;
const MAX_ENDPOINT_URL_LENGTH = 1024;

export function parseWebhookArgs(
  args: string[],
  env: Readonly<Record<string, string | undefined>>,
): {
  tlsCert: string;
  tlsKey: string;
  port: number;
  host: string;
  data: string;
  settings: WebhookSettings;
  source: WebhookSource;
} {
  const { values } = parseArgs({
    args,
    strict: true,
    allowPositionals: false,
    options: {
      'tls-cert': { type: 'string', default: '/etc/webhook/certs/tls.crt' },
      'tls-key': { type: 'string', default: '/etc/webhook/certs/tls.key' },
      port: { type: 'string', default: '443' },
      host: { type: 'string', default: DEFAULT_HOST },
      data: { type: 'string' },
      'annotation-prefix': { type: 'string', default: DEFAULT_WEBHOOK_SETTINGS.annotationPrefix },
      'token-audience': { type: 'string', default: DEFAULT_WEBHOOK_SETTINGS.audience },
      'token-mount-path': { type: 'string', default: DEFAULT_WEBHOOK_SETTINGS.mountPath },
      'token-expiration': {
        type: 'string',
        default: String(DEFAULT_WEBHOOK_SETTINGS.tokenExpirationSeconds),
      },
      'aws-default-region': { type: 'string', default: '' },
      'sts-regional-endpoint': { type: 'boolean', default: false },
      kubeconfig: { type: 'string' },
      'service-account-lookup-grace-period': { type: 'string', default: DEFAULT_LOOKUP_GRACE },
      'aws-endpoint-url': { type: 'string' },
    },
  });
  if (!/^\d{1,5}$/.test(values.port) || Number(values.port) > 65535) {
    throw new UsageError(`\`--port\` expects a port number 0-65535, got \`${values.port}\``);
  }
  const expiration = parseGoInt64(values['token-expiration']);
  if (expiration === undefined) {
    throw new UsageError(
      `\`--token-expiration\` expects a whole number of seconds, got \`${values['token-expiration']}\``,
    );
  }
  if (!/^[A-Za-z0-9.-]{1,253}$/.test(values['annotation-prefix'])) {
    throw new UsageError(
      `\`--annotation-prefix\` expects a DNS name, got \`${values['annotation-prefix']}\``,
    );
  }
  if (!values['token-mount-path'].startsWith('/')) {
    throw new UsageError(
      `\`--token-mount-path\` expects an absolute path, got \`${values['token-mount-path']}\``,
    );
  }
  for (const flag of ['tls-cert', 'tls-key', 'host', 'token-audience'] as const) {
    if (values[flag] === '') throw new UsageError(`\`--${flag}\` expects a value, got an empty string`);
  }
  const endpointUrl = values['aws-endpoint-url'];
  if (endpointUrl !== undefined) checkEndpointUrl(endpointUrl);
  return {
    source: webhookSource(values, env),
    tlsCert: values['tls-cert'],
    tlsKey: values['tls-key'],
    port: Number(values.port),
    host: values.host,
    data: values.data ?? env.OPENIRSA_DATA ?? './.openirsa',
    settings: {
      annotationPrefix: values['annotation-prefix'],
      audience: values['token-audience'],
      mountPath: values['token-mount-path'],
      // main.go clamps the flag to at least 600 s at startup (irsa-wire.md §2.2); no upper clamp.
      tokenExpirationSeconds: Math.max(600, Number(expiration)),
      ...(values['aws-default-region'] !== '' ? { region: values['aws-default-region'] } : {}),
      regionalSts: values['sts-regional-endpoint'],
      ...(endpointUrl !== undefined ? { endpointUrl } : {}),
    },
  };
}

/**
 * The API server with `--kubeconfig`, or inside a pod (`KUBERNETES_SERVICE_HOST` set) unless `--data`
 * names a store; the store otherwise. `--data` and `--kubeconfig` together are a contradiction.
 */
function webhookSource(
  values: { kubeconfig?: string; data?: string; 'service-account-lookup-grace-period': string },
  env: Readonly<Record<string, string | undefined>>,
): WebhookSource {
  const grace = values['service-account-lookup-grace-period'];
  const lookupGraceMs = parseGraceMs(grace);
  if (lookupGraceMs === undefined) {
    throw new UsageError(
      `\`--service-account-lookup-grace-period\` expects a duration such as \`500ms\` or \`2s\` (at most 30s), got \`${grace}\``,
    );
  }
  if (values.kubeconfig !== undefined) {
    if (values.kubeconfig === '') throw new UsageError('`--kubeconfig` expects a file, got an empty string');
    if (values.data !== undefined) {
      throw new UsageError(
        '`--kubeconfig` and `--data` name two sources of service accounts: give one (the API server or the store)',
      );
    }
    return { kind: 'kubernetes', kubeConfig: { kind: 'file', path: values.kubeconfig }, lookupGraceMs };
  }
  if (values.data === undefined && (env.KUBERNETES_SERVICE_HOST ?? '') !== '') {
    return { kind: 'kubernetes', kubeConfig: { kind: 'in-cluster' }, lookupGraceMs };
  }
  return { kind: 'store' };
}

function parseGraceMs(value: string): number | undefined {
  const m = /^(0|[1-9][0-9]{0,5})(ms|s)?$/.exec(value);
  if (m === null) return undefined;
  const unit = m[2];
  if (unit === undefined && m[1] !== '0') return undefined; // Go durations need a unit, except 0
  const ms = Number(m[1]) * (unit === 's' ? 1000 : 1);
  return ms > MAX_LOOKUP_GRACE_MS ? undefined : ms;
}

/** An absolute http(s) URL without credentials, query or fragment: what the SDKs take as an endpoint. */
function checkEndpointUrl(value: string): void {
  let url: URL | undefined;
  try {
    url = new URL(value);
  } catch {
    url = undefined;
  }
  if (
    value.length > MAX_ENDPOINT_URL_LENGTH ||
    url === undefined ||
    (url.protocol !== 'http:' && url.protocol !== 'https:') ||
    url.username !== '' ||
    url.password !== '' ||
    url.search !== '' ||
    url.hash !== '' ||
    /\s/.test(value)
  ) {
    throw new UsageError(
      `\`--aws-endpoint-url\` expects an http(s) URL such as \`http://openirsa.openirsa.svc:4566\`, got \`${value.slice(0, 300)}\``,
    );
  }
}

/** `openirsa webhook`: serves until SIGINT/SIGTERM (or `stop`), then closes and returns 0. */
export async function webhook(
  args: string[],
  io: CommandIo,
  stop?: AbortSignal,
  env: Readonly<Record<string, string | undefined>> = process.env,
): Promise<number> {
  const { rest, logger } = commandLogger(args, io, env);
  const options = parseWebhookArgs(rest, env);
  const source = await openWebhookSource(
    options.source,
    options.data,
    options.settings.annotationPrefix,
    io,
    logger,
  );
  if (typeof source === 'string') {
    logger.error('cannot open the service-account source', { reason: source }, `openirsa: ${source}`);
    return EXIT_FINDINGS;
  }
  try {
    let created;
    try {
      created = await createWebhookServer({
        certFile: options.tlsCert,
        keyFile: options.tlsKey,
        serviceAccounts: source.serviceAccounts,
        settings: options.settings,
        logger,
        ...(source.ready !== undefined ? { ready: source.ready } : {}),
      });
    } catch (e) {
      const why = e instanceof Error ? e.message : String(e);
      logger.error(
        'cannot load the TLS certificate',
        { certFile: options.tlsCert, keyFile: options.tlsKey, error: why },
        `openirsa: cannot load the TLS certificate: ${why}`,
      );
      return EXIT_FINDINGS;
    }
    const { server, reloader } = created;
    const address = await listenOrSay(server, options.port, options.host, logger);
    if (address === undefined) return EXIT_FINDINGS;
    reloader.start(CERT_CHECK_INTERVAL_MS);
    const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
    const base = `https://${host}:${address.port}`;
    logger.info(
      'openirsa webhook is up',
      {
        mutate: `${base}/mutate`,
        healthz: `${base}/healthz`,
        port: address.port,
        serviceAccounts: source.summary,
      },
      `openirsa webhook is up\n  mutate   ${base}/mutate\n  healthz  ${base}/healthz\n  port     ${address.port}\n  service accounts from ${source.summary}`,
    );
    // Only now: an early return must not leave signal handlers behind.
    const signal = stop ?? processStopSignal();
    if (!signal.aborted) {
      await new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
    }
    reloader.stop();
    await close(server);
    return 0;
  } finally {
    await source.close();
  }
}
