import {
  createServer as createHttpServer,
  request as httpRequest,
  type IncomingHttpHeaders,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import { connect as netConnect, isIP, type Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { TLSSocket } from 'node:tls';
import { isCertificateHost, type LocalCa } from './local-ca.js';

/**
 * The largest request head the proxy reads (request line and headers), for CONNECT and plain
 * requests alike; beyond it node answers 431.
 */
export const MAX_PROXY_HEADER_BYTES = 16 * 1024;

/** A CONNECT connection (tunnel or intercepted TLS) idle this long is closed. */
export const PROXY_IDLE_TIMEOUT_MS = 5 * 60_000;

/** Opens the TCP connection of a tunnel or of a forwarded plain-http request. */
export type Dial = (host: string, port: number) => Socket;

export interface HttpsProxyOptions {
  readonly ca: LocalCa;
  /**
   * The main listener (server.ts `createServer`): each intercepted TLS connection is handed to it as
   * a connection of its own, so requests run the same pipeline as on its port.
   */
  readonly target: Server;
  /** Default: `net.connect`. Tests pass one that refuses anything but loopback. */
  readonly dial?: Dial;
  /** Which CONNECT hosts are answered by openirsa (default `isInterceptedHost`). */
  readonly intercepts?: (host: string) => boolean;
  /** Default `PROXY_IDLE_TIMEOUT_MS`. */
  readonly idleTimeoutMs?: number;
}

export interface HttpsProxy {
  /** Bind it with listen.ts `listen`. */
  readonly server: Server;
  /** Stops accepting and ends every tunnel and intercepted connection it opened. */
  close(): Promise<void>;
}

/**
 * The AWS API domains the proxy terminates TLS for: `amazonaws.com` and `amazonaws.com.cn` (the
 * China partition's suffix, so that a client set to a China region does not reach real AWS either)
 * and their subdomains. Every other host is tunnelled untouched.
 */
export function isInterceptedHost(host: string): boolean {
  const h = host.toLowerCase();
  return AWS_SUFFIXES.some((suffix) => h === suffix || h.endsWith(`.${suffix}`));
}
const AWS_SUFFIXES = ['amazonaws.com', 'amazonaws.com.cn'] as const;

/**
 * The "transparent mode" for SDKs too old to read `AWS_ENDPOINT_URL` (irsa-wire.md §6.2, §6.3, §8.3
 * option A): an HTTP proxy for `HTTPS_PROXY`. `CONNECT <aws host>:443` is answered 200 and the TLS
 * inside is terminated here with a leaf of the local CA (SNI), then handed to the main server, so the
 * requests keep their AWS `Host` and count as secure transport. `CONNECT` to any other host is a
 * plain TCP tunnel; absolute-URI requests (`GET http://host/...`) are forwarded, and those for an AWS
 * host are served by the main server too.
 *
 * Decisions (our own, documented in `openirsa up --help`): a CONNECT line whose target is not
 * `host:port` is 400; CONNECT to an AWS host on a port other than 443 is 403, because openirsa would
 * have to either answer a port AWS does not serve or let the request reach real AWS.
 */
export function createHttpsProxy(options: HttpsProxyOptions): HttpsProxy {
  const dial = options.dial ?? ((host, port) => netConnect({ host, port }));
  const intercepts = options.intercepts ?? isInterceptedHost;
  const sockets = new Set<Duplex>();
  const track = (socket: Duplex) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  };
  const server = createHttpServer({ maxHeaderSize: MAX_PROXY_HEADER_BYTES }, (req, res) =>
    forward(req, res, { ...options, dial, intercepts }),
  );
  server.on('connect', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    track(socket);
    socket.on('error', () => socket.destroy());
    // INVARIANT: node hands 'connect' listeners the net.Socket of the connection.
    const raw = socket as Socket;
    raw.setTimeout(options.idleTimeoutMs ?? PROXY_IDLE_TIMEOUT_MS, () => raw.destroy());
    const target = parseAuthority(req.url ?? '');
    if (target === undefined) return refuse(socket, 400, 'Bad Request');
    if (!intercepts(target.host)) return tunnel(socket, head, target, dial);
    if (target.port !== 443 || !isCertificateHost(target.host)) return refuse(socket, 403, 'Forbidden');
    socket.write('HTTP/1.1 200 Connection Established\r\n\r\n');
    if (head.length > 0) socket.unshift(head);
    terminateTls(socket, target.host, options);
  });
  return {
    server,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
        for (const socket of sockets) socket.destroy();
      }),
  };
}

interface Authority {
  readonly host: string;
  readonly port: number;
}

/** A CONNECT target (RFC 9110 §9.3.6: `authority-form`, host and port both required). */
export function parseAuthority(text: string): Authority | undefined {
  const m = /^(?:\[([0-9a-fA-F:.]+)\]|([A-Za-z0-9.-]{1,253})):(\d{1,5})$/.exec(text);
  if (m === null) return undefined;
  const port = Number(m[3]);
  if (port < 1 || port > 65535) return undefined;
  const v6 = m[1];
  if (v6 !== undefined) return isIP(v6) === 6 ? { host: v6, port } : undefined;
  // INVARIANT: one of the two alternatives matched.
  const host = m[2]!.toLowerCase();
  if (host.startsWith('.') || host.endsWith('.') || host.includes('..')) return undefined;
  return { host, port };
}

function refuse(socket: Duplex, status: 400 | 403 | 502, reason: string): void {
  socket.end(`HTTP/1.1 ${status} ${reason}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n`);
}

function tunnel(client: Duplex, head: Buffer, target: Authority, dial: Dial): void {
  const upstream = dial(target.host, target.port);
  let connected = false;
  upstream.once('connect', () => {
    connected = true;
    client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
    if (head.length > 0) upstream.write(head);
    client.pipe(upstream).pipe(client);
  });
  upstream.on('error', () => {
    if (!connected) refuse(client, 502, 'Bad Gateway');
    else client.destroy();
  });
  client.once('close', () => upstream.destroy());
  upstream.once('close', () => client.destroy());
}

function terminateTls(socket: Duplex, host: string, options: HttpsProxyOptions): void {
  const tls = new TLSSocket(socket, {
    isServer: true,
    secureContext: options.ca.leaf(host).context,
    ALPNProtocols: ['http/1.1'],
    // The client's SNI normally is the CONNECT host; another AWS name gets its own leaf.
    SNICallback: (name, done) => {
      const n = name.toLowerCase();
      if (n !== host && isInterceptedHost(n) && isCertificateHost(n)) done(null, options.ca.leaf(n).context);
      else done(null, undefined);
    },
  });
  // A client that does not trust the local CA aborts the handshake: nothing to answer.
  tls.on('error', () => tls.destroy());
  socket.once('close', () => tls.destroy());
  options.target.emit('connection', tls);
}

/** Hop-by-hop fields (RFC 9110 §7.6.1) and the ones `Connection` names: not forwarded. */
function endToEnd(headers: IncomingHttpHeaders): Record<string, string | string[]> {
  const hop = new Set([
    'connection',
    'proxy-connection',
    'keep-alive',
    'proxy-authenticate',
    'proxy-authorization',
    'te',
    'trailer',
    'transfer-encoding',
    'upgrade',
  ]);
  for (const name of String(headers.connection ?? '').split(',')) hop.add(name.trim().toLowerCase());
  const out: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined && !hop.has(name)) out[name] = value;
  }
  return out;
}

type ForwardOptions = HttpsProxyOptions & {
  readonly dial: Dial;
  readonly intercepts: (host: string) => boolean;
};

/** A plain-http proxy request: absolute-form (RFC 9112 §3.2.2), `http:` only. */
function forward(req: IncomingMessage, res: ServerResponse, options: ForwardOptions): void {
  let url: URL | undefined;
  try {
    url = /^http:\/\//i.test(req.url ?? '') ? new URL(req.url ?? '') : undefined;
  } catch {
    url = undefined;
  }
  if (url === undefined || url.hostname === '') {
    res.writeHead(400, { 'Content-Type': 'text/plain', Connection: 'close' });
    res.end('this is an HTTP proxy: send CONNECT host:port, or a request with an absolute http:// URL\n');
    return;
  }
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  if (options.intercepts(host)) {
    // Served by openirsa itself, in origin form, as if it had arrived on the main port.
    req.url = `${url.pathname}${url.search}`;
    options.target.emit('request', req, res);
    return;
  }
  const port = url.port === '' ? 80 : Number(url.port);
  const upstream = httpRequest(
    {
      method: req.method ?? 'GET',
      path: `${url.pathname}${url.search}`,
      headers: endToEnd(req.headers),
      createConnection: () => options.dial(host, port),
    },
    (answer) => {
      res.writeHead(answer.statusCode ?? 502, endToEnd(answer.headers));
      answer.pipe(res);
    },
  );
  upstream.on('error', () => {
    if (!res.headersSent) res.writeHead(502, { 'Content-Type': 'text/plain', Connection: 'close' });
    res.end();
  });
  req.pipe(upstream);
}
