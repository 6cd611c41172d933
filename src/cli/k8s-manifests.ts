import { createPrivateKey, X509Certificate, type KeyObject } from 'node:crypto';
import { parseArgs } from 'node:util';
import { clusterManifests, renderManifests } from '../config/k8s-manifests.js';
import { webhookDnsNames, type ClusterOptions } from '../config/k8s-names.js';
import { parseIssuer } from '../identity/issuer.js';
import { parseCaBundle } from '../sts/ca-bundle.js';
import { UsageError, type CommandIo } from './io.js';

export const k8sManifestsHelp = `usage: openirsa k8s manifests [--namespace N] [--issuer URL] [--image IMAGE] [--ca-bundle FILE]
                              [--tls-cert FILE --tls-key FILE] [--replicas 1]

Prints, as multi-document YAML on stdout, what runs openirsa in a Kubernetes cluster: a Namespace, a
ServiceAccount, RBAC to read service accounts (get, list, watch; nothing more), the webhook's TLS
Secret, a PersistentVolumeClaim for the data directory, a Deployment (one pod: \`openirsa up\` on 4566
for STS, IAM and S3, and \`openirsa webhook\` on 8443), the Services \`openirsa\` (4566) and
\`openirsa-webhook\` (443), and the MutatingWebhookConfiguration of the pod-identity webhook. The
webhook reads service accounts from the API server and injects AWS_ENDPOINT_URL (and _STS, _IAM,
_S3) = http://openirsa.NAMESPACE.svc:4566, so that mutated pods call openirsa, not real AWS.

Options:
  --namespace N     the namespace to install into (default openirsa)
  --issuer URL      the cluster's own service-account issuer (kube-apiserver
                    --service-account-issuer, https): adds a ConfigMap with an ACK
                    OpenIDConnectProvider for it (client id sts.amazonaws.com) that openirsa applies at
                    start, so its STS accepts the tokens the cluster projects into pods
  --image IMAGE     the container image with \`openirsa\` on its PATH (default openirsa:0.1.0)
  --ca-bundle FILE  PEM of the CA that signed the webhook certificate: the webhook's caBundle
  --tls-cert FILE   the webhook's certificate (PEM), with --tls-key: printed as a kubernetes.io/tls
  --tls-key FILE    Secret. Without them, a certificate is minted for the webhook's Service names
                    (openirsa-webhook, .NAMESPACE, .NAMESPACE.svc, .NAMESPACE.svc.cluster.local;
                    ECDSA P-256, valid one year) by a CA made for it alone, whose key is discarded;
                    its certificate becomes the caBundle (unless --ca-bundle). Printing the
                    manifests again mints a new pair: apply it to roll the certificate
  --replicas N      pod replicas (default 1; only 1: the SQLite data directory has one writer)
  -h, --help        print this help

Examples:
  openirsa k8s manifests | kubectl apply -f -
  openirsa k8s manifests --issuer https://kubernetes.default.svc.cluster.local \\
    --tls-cert tls.crt --tls-key tls.key --ca-bundle ca.crt > openirsa.yaml
  kubectl get --raw /.well-known/openid-configuration   # shows the cluster's issuer
`;

/** Larger than any certificate chain or key worth reading. */
const MAX_PEM_BYTES = 64 * 1024;
const MAX_IMAGE_LENGTH = 512;
/** DNS-1123 label, as Kubernetes requires of a namespace name. */
const NAMESPACE = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
/** A reference of `[registry/]path[:tag][@digest]`, checked loosely: no spaces, no control characters. */
const IMAGE = /^[A-Za-z0-9][A-Za-z0-9._\-/:@]*$/;

/** The webhook's certificate, its key and the CA that signed it, all PEM. */
export interface WebhookCertificate {
  readonly certPem: string;
  readonly keyPem: string;
  readonly caPem: string;
}

/**
 * Where the webhook certificate comes from when neither `--tls-cert` nor `--tls-key` is given: the
 * command line passes `mintWebhookCertificate` (`src/server/webhook-certificate.ts`, the local CA's
 * X.509 writer); without a minter the output explains how to create the Secret instead.
 */
export type MintWebhookCertificate = (dnsNames: readonly string[]) => Promise<WebhookCertificate>;

interface ParsedFlags {
  readonly namespace: string;
  readonly image: string;
  readonly replicas: number;
  readonly issuer?: string;
  readonly caBundle?: string;
  readonly tlsCert?: string;
  readonly tlsKey?: string;
}

export function parseK8sManifestsArgs(args: string[]): ParsedFlags {
  const { values } = parseArgs({
    args,
    strict: true,
    allowPositionals: false,
    options: {
      namespace: { type: 'string', default: 'openirsa' },
      issuer: { type: 'string' },
      image: { type: 'string', default: 'openirsa:0.1.0' },
      'ca-bundle': { type: 'string' },
      'tls-cert': { type: 'string' },
      'tls-key': { type: 'string' },
      replicas: { type: 'string', default: '1' },
    },
  });
  const ns = values.namespace;
  if (ns.length > 63 || !NAMESPACE.test(ns)) {
    throw new UsageError(
      `\`--namespace\` expects a DNS-1123 label (lower-case letters, digits and \`-\`, at most 63), got \`${ns}\``,
    );
  }
  if (values.image.length > MAX_IMAGE_LENGTH || !IMAGE.test(values.image)) {
    throw new UsageError(
      `\`--image\` expects an image reference such as \`openirsa:0.1.0\`, got \`${values.image}\``,
    );
  }
  if (!/^[0-9]{1,3}$/.test(values.replicas)) {
    throw new UsageError(`\`--replicas\` expects a whole number, got \`${values.replicas}\``);
  }
  const replicas = Number(values.replicas);
  if (replicas !== 1) {
    // Fail closed: replicas with their own SQLite data directories would not share IAM state, and one
    // would reject the session credentials another issued. A shared PostgreSQL store is the way out.
    throw new UsageError(
      `\`--replicas\` must be 1: the embedded SQLite data directory has one writer, got \`${values.replicas}\``,
    );
  }
  if ((values['tls-cert'] === undefined) !== (values['tls-key'] === undefined)) {
    throw new UsageError('`--tls-cert` and `--tls-key` go together: give both or neither');
  }
  for (const flag of ['ca-bundle', 'tls-cert', 'tls-key'] as const) {
    if (values[flag] === '') throw new UsageError(`\`--${flag}\` expects a file, got an empty string`);
  }
  let issuer: string | undefined;
  if (values.issuer !== undefined) {
    const parsed = parseIssuer(values.issuer);
    if (!parsed.ok) throw new UsageError(`\`--issuer\` expects the cluster's issuer URL: ${parsed.message}`);
    // IAM accepts only https:// OIDC provider URLs (irsa-wire.md §4.1); loopback http means nothing in a pod.
    if (!parsed.issuer.url.startsWith('https://')) {
      throw new UsageError(`\`--issuer\` must be an https:// URL, got \`${values.issuer}\``);
    }
    if (parsed.issuer.url.length > 255) {
      throw new UsageError(
        '`--issuer` is longer than the 255 characters IAM allows for an OIDC provider URL',
      );
    }
    issuer = parsed.issuer.url;
  }
  return {
    namespace: ns,
    image: values.image,
    replicas,
    ...(issuer !== undefined ? { issuer } : {}),
    ...(values['ca-bundle'] !== undefined ? { caBundle: values['ca-bundle'] } : {}),
    ...(values['tls-cert'] !== undefined ? { tlsCert: values['tls-cert'] } : {}),
    ...(values['tls-key'] !== undefined ? { tlsKey: values['tls-key'] } : {}),
  };
}

/** `openirsa k8s manifests`: prints the manifests; 0 on success, usage errors as `UsageError`. */
export async function k8sManifests(
  args: string[],
  io: CommandIo,
  mint?: MintWebhookCertificate,
): Promise<number> {
  const flags = parseK8sManifestsArgs(args);
  let caBundlePem = flags.caBundle !== undefined ? await readCaBundle(flags.caBundle, io) : undefined;
  let tls: ClusterOptions['tls'];
  if (flags.tlsCert !== undefined && flags.tlsKey !== undefined) {
    tls = await readKeyPair(flags.tlsCert, flags.tlsKey, flags.namespace, io);
  } else if (mint) {
    const minted = await mint(webhookDnsNames(flags.namespace));
    tls = { certPem: minted.certPem, keyPem: minted.keyPem };
    caBundlePem ??= minted.caPem;
  }
  const options: ClusterOptions = {
    namespace: flags.namespace,
    image: flags.image,
    replicas: flags.replicas,
    ...(flags.issuer !== undefined ? { issuer: flags.issuer } : {}),
    ...(caBundlePem !== undefined ? { caBundlePem } : {}),
    ...(tls !== undefined ? { tls } : {}),
  };
  io.stdout(renderManifests(clusterManifests(options)));
  return 0;
}

async function readPem(path: string, flag: string, io: CommandIo): Promise<string> {
  const text = await io.readFile(path);
  if (Buffer.byteLength(text) > MAX_PEM_BYTES) {
    throw new UsageError(`\`--${flag}\` \`${path}\` is larger than ${MAX_PEM_BYTES} bytes`);
  }
  return text;
}

async function readCaBundle(path: string, io: CommandIo): Promise<string> {
  const text = await readPem(path, 'ca-bundle', io);
  const bundle = parseCaBundle(text);
  if (!bundle.ok) throw new UsageError(`\`--ca-bundle\` \`${path}\`: ${bundle.message}`);
  return `${bundle.certificates.join('\n')}\n`;
}

async function readKeyPair(
  certPath: string,
  keyPath: string,
  namespace: string,
  io: CommandIo,
): Promise<{ certPem: string; keyPem: string }> {
  const certPem = await readPem(certPath, 'tls-cert', io);
  const keyPem = await readPem(keyPath, 'tls-key', io);
  const chain = parseCaBundle(certPem);
  if (!chain.ok)
    throw new UsageError(
      `\`--tls-cert\` \`${certPath}\`: ${chain.message.replace('the CA bundle', 'the file')}`,
    );
  // INVARIANT: parseCaBundle returns at least one certificate when ok; the leaf comes first.
  const leaf = new X509Certificate(chain.certificates[0]!);
  let key: KeyObject;
  try {
    key = createPrivateKey(keyPem);
  } catch {
    // Never echo the key file's content: it is a secret.
    throw new UsageError(`\`--tls-key\` \`${keyPath}\` is not an unencrypted PEM private key`);
  }
  if (!leaf.checkPrivateKey(key)) {
    throw new UsageError(
      `\`--tls-key\` \`${keyPath}\` is not the private key of \`--tls-cert\` \`${certPath}\``,
    );
  }
  // The API server dials `openirsa-webhook.NAMESPACE.svc`; a certificate without that name fails every
  // call, which failurePolicy Ignore would turn into silently unmutated pods.
  const host = webhookDnsNames(namespace)[2];
  if (host !== undefined && leaf.checkHost(host) === undefined) {
    throw new UsageError(
      `\`--tls-cert\` \`${certPath}\` is not valid for \`${host}\`, the name the API server calls the webhook by`,
    );
  }
  return { certPem, keyPem };
}
