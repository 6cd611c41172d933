import { stat, readFile } from 'node:fs/promises';
import { createServer as createHttpsServer, type Server as HttpsServer } from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { WebhookSettings } from '../identity/pod-mutation.js';
import type { WireResponse } from '../protocol/query-response.js';
import { answerAdmissionReview, MAX_ADMISSION_REVIEW_BYTES, type ServiceAccountLookup } from './admission.js';
import { readBody } from './body.js';
import { headerList } from './response-batch.js';
import type { Logger } from './server.js';

/** The certificate files the webhook serves (`--tls-cert`, `--tls-key`). */
export interface CertificateFiles {
  readonly certFile: string;
  readonly keyFile: string;
}

export interface WebhookServerOptions extends CertificateFiles {
  readonly serviceAccounts: ServiceAccountLookup;
  readonly settings: WebhookSettings;
  readonly logger: Logger;
  /**
   * Whether the service accounts are there to answer with (the informer's first list has arrived):
   * until then `GET /healthz` answers 503. Default: always ready (the store).
   */
  readonly ready?: () => boolean;
}

/** `GET /healthz` before the service accounts are known: the readiness probe keeps the pod out. */
export const NOT_READY_BODY = 'service accounts not synced yet\n';

/** Go's `http.NotFound` body. */
const NOT_FOUND_BODY = '404 page not found\n';

/**
 * The standalone webhook, as amazon-eks-pod-identity-webhook serves it (irsa-wire.md §2.1): TLS,
 * `POST /mutate` (AdmissionReview) and `GET /healthz` → `ok` (ours: 503 until `ready`, where upstream
 * answers `ok` at once), plus `GET /livez` → `ok`; anything else is Go's 404. The
 * certificate is reloaded when its files change (`CertificateReloader`), as the upstream certwatcher
 * does, so a renewed cert-manager secret needs no restart.
 */
export async function createWebhookServer(
  options: WebhookServerOptions,
): Promise<{ server: HttpsServer; reloader: CertificateReloader }> {
  const initial = await readPair(options);
  const server = createHttpsServer({ cert: initial.cert, key: initial.key }, (req, res) => {
    answer(options, req)
      .then((wire) => send(res, wire))
      .catch((error: unknown) => {
        options.logger.error('the webhook failed with an internal error', {
          error: error instanceof Error ? (error.stack ?? error.message) : String(error),
        });
        if (!res.headersSent) send(res, text(500, 'internal error\n'));
        else res.destroy();
      });
  });
  const reloader = new CertificateReloader(
    options,
    initial.version,
    (pair) => server.setSecureContext(pair),
    options.logger,
  );
  return { server, reloader };
}

async function answer(options: WebhookServerOptions, req: IncomingMessage): Promise<WireResponse> {
  const url = req.url ?? '/';
  const path = url.includes('?') ? url.slice(0, url.indexOf('?')) : url;
  if (path === '/healthz') {
    return options.ready === undefined || options.ready() ? text(200, 'ok') : text(503, NOT_READY_BODY);
  }
  // Liveness (our addition): the process serves, synced or not; a restart would not sync it sooner.
  if (path === '/livez') return text(200, 'ok');
  if (path !== '/mutate') return text(404, NOT_FOUND_BODY);
  const body = await readBody(req, MAX_ADMISSION_REVIEW_BYTES);
  if (!body.ok) {
    const wire = text(413, `the AdmissionReview is larger than ${MAX_ADMISSION_REVIEW_BYTES} bytes\n`);
    return { ...wire, headers: { ...wire.headers, Connection: 'close' } };
  }
  return answerAdmissionReview(
    req.headers['content-type'],
    body.body,
    options.serviceAccounts,
    options.settings,
  );
}

function text(status: number, body: string): WireResponse {
  return { status, headers: { 'Content-Type': 'text/plain; charset=utf-8' }, body };
}

function send(res: ServerResponse, wire: WireResponse): void {
  res.writeHead(wire.status, headerList(wire.status, wire.headers, Buffer.byteLength(wire.body)));
  res.end(wire.body);
}

interface CertificatePair {
  readonly cert: Buffer;
  readonly key: Buffer;
  /** What the files looked like when read: a change means reload. */
  readonly version: string;
}

async function fileVersion(path: string): Promise<string> {
  const s = await stat(path);
  return `${s.ino}:${s.size}:${s.mtimeMs}`;
}

async function readPair(files: CertificateFiles): Promise<CertificatePair> {
  const version = `${await fileVersion(files.certFile)}|${await fileVersion(files.keyFile)}`;
  const [cert, key] = await Promise.all([readFile(files.certFile), readFile(files.keyFile)]);
  return { cert, key, version };
}

/**
 * Watches the certificate files by polling their inode, size and mtime (robust to the symlink swap a
 * Kubernetes secret volume does) and installs a changed pair; a pair that does not load (e.g. caught
 * between the two writes) is logged and the current one kept until the next check.
 */
export class CertificateReloader {
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly files: CertificateFiles,
    private version: string,
    private readonly install: (pair: { cert: Buffer; key: Buffer }) => void,
    private readonly logger: Logger,
  ) {}

  /** Checks now; resolves `true` when a new pair was installed. */
  async check(): Promise<boolean> {
    let pair: CertificatePair;
    try {
      pair = await readPair(this.files);
    } catch (error) {
      this.logger.error('cannot read the TLS certificate files; keeping the current ones', {
        error: error instanceof Error ? error.message : String(error),
      });
      return false;
    }
    if (pair.version === this.version) return false;
    try {
      this.install({ cert: pair.cert, key: pair.key });
    } catch (error) {
      this.logger.error('the new TLS certificate files do not load; keeping the current ones', {
        error: error instanceof Error ? error.message : String(error),
      });
      return false;
    }
    this.version = pair.version;
    return true;
  }

  /** Checks every `intervalMs` until `stop`. */
  start(intervalMs: number): void {
    this.timer = setInterval(() => void this.check(), intervalMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer !== undefined) clearInterval(this.timer);
  }
}
