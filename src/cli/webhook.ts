import { access } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { DEFAULT_WEBHOOK_SETTINGS, type WebhookSettings } from '../identity/pod-mutation.js';
import { parseGoInt64 } from '../identity/service-account-identity.js';
import { close, DEFAULT_HOST } from '../server/listen.js';
import { createWebhookServer } from '../server/webhook-server.js';
import { openSqliteStore, SQLITE_FILE_NAME } from '../store/sqlite/sqlite-store.js';
import { EXIT_FINDINGS, UsageError, type CommandIo } from './io.js';
import { processStopSignal } from './up.js';
import { commandLogger } from './log-format.js';
import { listenOrSay } from './listen-or-say.js';

export const webhookHelp = `usage: openirsa webhook [--tls-cert FILE] [--tls-key FILE] [--port 443] [--host 127.0.0.1]
                       [--data DIR] [--annotation-prefix P] [--token-audience A]
                       [--token-mount-path PATH] [--token-expiration S]
                       [--aws-default-region R] [--sts-regional-endpoint] [--log-format text|json]

Serves the pod-identity mutating webhook over TLS as amazon-eks-pod-identity-webhook does (IRSA mode):
POST /mutate (AdmissionReview admission.k8s.io/v1 in, JSONPatch out) and GET /healthz (\`ok\`). The
certificate files are reloaded when they change (checked every 10 s).

Service accounts and their annotations come from the data directory's store (the ServiceAccount
manifests given to \`openirsa up -f\` or \`openirsa apply -f\`). Reading them from the cluster's API
server (in-cluster, --kubeconfig) is not available, nor are --watch-config-map, --compose-role-arn
and the container-credentials (Pod Identity) mode.

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
  --log-format F             text (default) or json: one JSON object a line (time, level, msg, fields);
                             default $OPENIRSA_LOG_FORMAT
  -h, --help                 print this help

Example:
  openssl req -x509 -newkey rsa:2048 -nodes -days 30 -subj /CN=pod-identity-webhook.default.svc \\
    -addext subjectAltName=DNS:pod-identity-webhook.default.svc -keyout tls.key -out tls.crt
  openirsa webhook --tls-cert tls.crt --tls-key tls.key --port 8443 --data ./.openirsa
`;

/** How often the certificate files are checked for a change. */
const CERT_CHECK_INTERVAL_MS = 10_000;

export function parseWebhookArgs(
  args: string[],
  env: Readonly<Record<string, string | undefined>>,
): { tlsCert: string; tlsKey: string; port: number; host: string; data: string; settings: WebhookSettings } {
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
  return {
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
    },
  };
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
  const storePath = join(options.data, SQLITE_FILE_NAME);
  try {
    await access(storePath);
  } catch {
    logger.error(
      'no store in the data directory',
      { dataDir: options.data },
      `openirsa: no store in \`${options.data}\`; start \`openirsa up --data ${options.data}\` once first`,
    );
    return EXIT_FINDINGS;
  }
  const store = openSqliteStore({ path: storePath, clock: io.clock });
  try {
    let created;
    try {
      created = await createWebhookServer({
        certFile: options.tlsCert,
        keyFile: options.tlsKey,
        serviceAccounts: store.serviceAccounts,
        settings: options.settings,
        logger,
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
      { mutate: `${base}/mutate`, healthz: `${base}/healthz`, port: address.port, dataDir: options.data },
      `openirsa webhook is up\n  mutate   ${base}/mutate\n  healthz  ${base}/healthz\n  port     ${address.port}`,
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
    await store.close();
  }
}
