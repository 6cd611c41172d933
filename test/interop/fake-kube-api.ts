import { readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { close, listen } from '../../src/server/listen.js';

/** A self-signed certificate for IP 127.0.0.1 (made for the tests with openssl), and its key. */
export const TESTDATA = join(import.meta.dirname, '..', '..', '..', 'test', 'interop', 'testdata');
export const LOOPBACK_CERT = join(TESTDATA, 'loopback-tls.crt');
export const LOOPBACK_KEY = join(TESTDATA, 'loopback-tls.key');

export interface FakeServiceAccount {
  readonly namespace: string;
  readonly name: string;
  readonly annotations?: Readonly<Record<string, string>>;
}

interface Stored {
  readonly object: Record<string, unknown>;
}

interface WatchEvent {
  readonly rv: number;
  readonly line: string;
}

/**
 * A Kubernetes API server, as much of it as a ServiceAccount informer uses, over https on 127.0.0.1
 * with a bearer token: `GET /api/v1/serviceaccounts` (a list with a resourceVersion), the same with
 * `?watch=true` (newline-delimited JSON events, kept open, replayed from the `resourceVersion` asked
 * for) and `GET /api/v1/namespaces/NS/serviceaccounts/NAME`. Every request is recorded.
 */
export class FakeKubeApi {
  readonly token = 'fake-kube-token-0123456789';
  /** `METHOD path?query` of every request, in order. */
  readonly requests: string[] = [];
  /** The Authorization header of every request. */
  readonly authorizations: string[] = [];
  private readonly accounts = new Map<string, Stored>();
  private readonly events: WatchEvent[] = [];
  private readonly watches = new Set<ServerResponse>();
  private rv = 100;
  private compactedAt = 0;
  private holdList: Promise<void> | undefined;
  private releaseList: (() => void) | undefined;
  private constructor(
    private readonly server: Server,
    readonly port: number,
    readonly dir: string,
  ) {}

  static async start(): Promise<FakeKubeApi> {
    const dir = await mkdtemp(join(tmpdir(), 'openirsa-fake-kube-'));
    const server = createServer({ cert: readFileSync(LOOPBACK_CERT), key: readFileSync(LOOPBACK_KEY) });
    const address = await listen(server, 0, '127.0.0.1');
    const api = new FakeKubeApi(server, address.port, dir);
    server.on('request', (req: IncomingMessage, res: ServerResponse) => api.answer(req, res));
    return api;
  }

  get url(): string {
    return `https://127.0.0.1:${this.port}`;
  }

  /** Watches opened so far. */
  get watchCount(): number {
    return this.requests.filter((r) => r.includes('watch=')).length;
  }

  /** Lists answered so far. */
  get listCount(): number {
    return this.requests.filter((r) => r.startsWith('GET /api/v1/serviceaccounts?') && !r.includes('watch='))
      .length;
  }

  /** A kubeconfig file whose current context is this server, its CA and token. */
  async writeKubeconfig(): Promise<string> {
    const ca = readFileSync(LOOPBACK_CERT).toString('base64');
    const text = [
      'apiVersion: v1',
      'kind: Config',
      'clusters:',
      `- name: fake\n  cluster:\n    server: ${this.url}\n    certificate-authority-data: ${ca}`,
      'users:',
      `- name: tester\n  user:\n    token: ${this.token}`,
      'contexts:',
      '- name: fake\n  context:\n    cluster: fake\n    user: tester',
      'current-context: fake',
      '',
    ].join('\n');
    const path = join(this.dir, 'kubeconfig');
    await writeFile(path, text);
    return path;
  }

  /** Creates or updates a service account; the open watches get ADDED or MODIFIED. */
  set(account: FakeServiceAccount): void {
    const type = this.accounts.has(key(account)) ? 'MODIFIED' : 'ADDED';
    this.emit(type, this.store(account));
  }

  /** Creates a service account without telling the watches: only a list or a GET finds it. */
  setQuietly(account: FakeServiceAccount): void {
    this.store(account);
  }

  delete(namespace: string, name: string): void {
    const stored = this.accounts.get(`${namespace}/${name}`);
    if (stored === undefined) return;
    this.accounts.delete(`${namespace}/${name}`);
    this.rv++;
    const object = {
      ...stored.object,
      metadata: { ...(stored.object.metadata as object), resourceVersion: String(this.rv) },
    };
    this.emit('DELETED', object);
  }

  /** Sends a line as it is to every open watch (a malformed event, say). */
  emitRaw(line: string): void {
    for (const res of this.watches) res.write(`${line}\n`);
  }

  /**
   * Forgets the event history, as etcd compaction does: a watch from an older resourceVersion gets
   * an ERROR event with a 410 Gone Status and is closed, so the informer must list again.
   */
  compact(): void {
    this.compactedAt = this.rv;
    this.events.length = 0;
  }

  /** Ends every open watch stream, as the API server does at its watch timeout. */
  closeWatches(): void {
    for (const res of this.watches) res.end();
    this.watches.clear();
  }

  /** Holds list answers until `release` (to see the webhook before its first list). */
  holdLists(): void {
    this.holdList = new Promise((resolve) => (this.releaseList = resolve));
  }

  release(): void {
    this.releaseList?.();
    this.holdList = undefined;
  }

  async stop(): Promise<void> {
    this.release();
    this.closeWatches();
    this.server.closeAllConnections();
    await close(this.server);
    await rm(this.dir, { recursive: true, force: true });
  }

  private store(account: FakeServiceAccount): Record<string, unknown> {
    this.rv++;
    const object = {
      kind: 'ServiceAccount',
      apiVersion: 'v1',
      metadata: {
        name: account.name,
        namespace: account.namespace,
        uid: `uid-${account.namespace}-${account.name}`,
        resourceVersion: String(this.rv),
        annotations: { 'kubectl.kubernetes.io/last-applied-configuration': '{}', ...account.annotations },
      },
      secrets: [{ name: `${account.name}-token` }],
    };
    this.accounts.set(key(account), { object });
    return object;
  }

  private emit(type: string, object: Record<string, unknown>): void {
    const line = `${JSON.stringify({ type, object })}\n`;
    this.events.push({ rv: this.rv, line });
    for (const res of this.watches) res.write(line);
  }

  private answer(req: IncomingMessage, res: ServerResponse): void {
    this.requests.push(`${req.method ?? ''} ${req.url ?? ''}`);
    this.authorizations.push(req.headers.authorization ?? '');
    const url = new URL(req.url ?? '/', this.url);
    if (req.headers.authorization !== `Bearer ${this.token}`) {
      return status(res, 401, 'Unauthorized', 'Unauthorized');
    }
    if (req.method !== 'GET') return status(res, 405, 'MethodNotAllowed', 'the fake serves GET only');
    if (url.pathname === '/api/v1/serviceaccounts') {
      const watch = url.searchParams.get('watch');
      if (watch === 'true' || watch === '1') return this.watch(url, res);
      void this.list(res);
      return;
    }
    const m = /^\/api\/v1\/namespaces\/([^/]+)\/serviceaccounts\/([^/]+)$/.exec(url.pathname);
    if (m !== null) {
      const stored = this.accounts.get(`${m[1]}/${m[2]}`);
      if (stored === undefined) {
        return status(res, 404, 'NotFound', `serviceaccounts "${m[2]}" not found`);
      }
      return json(res, 200, stored.object);
    }
    status(res, 404, 'NotFound', 'the server could not find the requested resource');
  }

  private async list(res: ServerResponse): Promise<void> {
    if (this.holdList !== undefined) await this.holdList;
    // Items of a list carry no kind or apiVersion, as the API server sends them.
    const items = [...this.accounts.values()].map((s) => {
      const item: Record<string, unknown> = { ...s.object };
      delete item.kind;
      delete item.apiVersion;
      return item;
    });
    json(res, 200, {
      kind: 'ServiceAccountList',
      apiVersion: 'v1',
      metadata: { resourceVersion: String(this.rv) },
      items,
    });
  }

  private watch(url: URL, res: ServerResponse): void {
    const from = Number(url.searchParams.get('resourceVersion') ?? '0');
    res.writeHead(200, { 'Content-Type': 'application/json', 'Transfer-Encoding': 'chunked' });
    res.flushHeaders();
    if (from < this.compactedAt) {
      const gone = {
        kind: 'Status',
        apiVersion: 'v1',
        metadata: {},
        status: 'Failure',
        reason: 'Expired',
        code: 410,
      };
      res.end(
        `${JSON.stringify({ type: 'ERROR', object: { ...gone, message: `too old resource version: ${from}` } })}\n`,
      );
      return;
    }
    for (const event of this.events) if (event.rv > from) res.write(event.line);
    this.watches.add(res);
    res.on('close', () => this.watches.delete(res));
  }
}

function key(account: FakeServiceAccount): string {
  return `${account.namespace}/${account.name}`;
}

function json(res: ServerResponse, code: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(code, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}

function status(res: ServerResponse, code: number, reason: string, message: string): void {
  json(res, code, {
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Failure',
    message,
    reason,
    code,
  });
}
