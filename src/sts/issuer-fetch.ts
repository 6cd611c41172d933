import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { rootCertificates } from 'node:tls';

/** Whole-request deadline (connect, TLS, headers and body): an issuer slower than this is unreachable. */
export const DEFAULT_FETCH_TIMEOUT_MS = 5_000;
/**
 * Largest discovery document or JWKS read. kube-apiserver's JWKS holds a handful of keys (a few KiB);
 * 512 KiB leaves room for any real issuer while bounding what one token can make the server buffer.
 */
export const DEFAULT_MAX_RESPONSE_BYTES = 512 * 1024;

export interface FetchOptions {
  /** Plain `http:` for any host; without it only for loopback hosts (DESIGN.md, "Security stance"). */
  readonly allowInsecure: boolean;
  /** Extra trusted CA certificates (PEM), on top of Node's root store (`tls.rootCertificates`). */
  readonly caCertificates?: readonly string[];
  readonly timeoutMs: number;
  readonly maxBytes: number;
}

export type FetchResult =
  | { readonly ok: true; readonly body: string; readonly cacheControl: string | undefined }
  | { readonly ok: false; readonly message: string };

/** One GET of an issuer document; `fetchIssuerDocument` in production, a spy in tests. */
export type Fetcher = (url: URL, options: FetchOptions) => Promise<FetchResult>;

export type CheckedFetchUrl =
  { readonly ok: true; readonly url: URL } | { readonly ok: false; readonly message: string };

/**
 * Whether openirsa may fetch `text` at all, decided before any connection: an absolute `https:` URL, or
 * `http:` for a loopback host (127.0.0.0/8, `::1`, `localhost`) unless `allowInsecure`; no user name or
 * password (they would be sent to the issuer). A non-loopback `http:` issuer is refused here, so no
 * byte of it ever leaves the machine.
 */
export function checkFetchUrl(text: string, allowInsecure: boolean): CheckedFetchUrl {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return { ok: false, message: `\`${clip(text)}\` is not an absolute URL` };
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    return { ok: false, message: `\`${clip(text)}\` is not an https URL` };
  }
  if (url.protocol === 'http:' && !allowInsecure && !isLoopbackHost(url.hostname)) {
    return {
      ok: false,
      message: `\`${clip(text)}\` is plain http to a host that is not loopback; only https is fetched (start openirsa with \`--allow-insecure-issuers\` to allow it)`,
    };
  }
  if (url.username !== '' || url.password !== '') {
    return { ok: false, message: `\`${clip(url.origin)}\` URL carries a user name or password` };
  }
  return { ok: true, url };
}

/** A loopback host name as `URL` normalizes it: `localhost`, `[::1]`, or an address in 127.0.0.0/8. */
export function isLoopbackHost(hostname: string): boolean {
  return hostname === 'localhost' || hostname === '[::1]' || /^127(?:\.\d{1,3}){3}$/.test(hostname);
}

/** A connected socket's peer address is loopback (IPv4, IPv6, or IPv4-mapped IPv6). */
function isLoopbackAddress(address: string | undefined): boolean {
  if (address === undefined) return false;
  const v4 = address.replace(/^::ffff:/i, '');
  return v4 === '::1' || /^127(?:\.\d{1,3}){3}$/.test(v4);
}

const UTF8 = new TextDecoder('utf-8', { fatal: true });

/**
 * GETs one issuer document with the bounds of `options`, and never throws. Decisions:
 * - redirects are not followed (a 3xx is a failure): the discovery URL is fixed by the registered issuer
 *   (OpenID Connect Discovery 1.0 §4) and the JWKS URL by its discovery document, so a redirect can only
 *   move the fetch somewhere nobody registered; kube-apiserver serves both without redirecting;
 * - no proxy: node's `http`/`https` ignore `HTTP(S)_PROXY`, and `agent: false` shares no pooled socket;
 * - plain http to a loopback name is also refused when the connected peer is not a loopback address
 *   (`localhost` mapped elsewhere in /etc/hosts);
 * - only status 200 is accepted; the body must be UTF-8 and at most `maxBytes` (checked on
 *   `Content-Length` first, then while reading).
 */
export function fetchIssuerDocument(url: URL, options: FetchOptions): Promise<FetchResult> {
  const checked = checkFetchUrl(url.href, options.allowInsecure);
  if (!checked.ok) return Promise.resolve(checked);
  return new Promise<FetchResult>((resolve) => {
    const secure = url.protocol === 'https:';
    const request = {
      method: 'GET',
      host: url.hostname.replace(/^\[(.*)\]$/, '$1'),
      port: url.port === '' ? (secure ? 443 : 80) : Number(url.port),
      path: `${url.pathname}${url.search}`,
      headers: { accept: 'application/json', 'user-agent': 'openirsa' },
      agent: false as const,
    };
    const req = secure
      ? httpsRequest({
          ...request,
          ...(options.caCertificates !== undefined && options.caCertificates.length > 0
            ? { ca: [...rootCertificates, ...options.caCertificates] }
            : {}),
        })
      : httpRequest(request);
    let settled = false;
    const finish = (result: FetchResult) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      req.destroy();
      resolve(result);
    };
    const timer = setTimeout(
      () => finish({ ok: false, message: `no complete answer within ${options.timeoutMs} ms` }),
      options.timeoutMs,
    );
    if (!secure && !options.allowInsecure) {
      req.once('socket', (socket) => {
        socket.once('connect', () => {
          if (!isLoopbackAddress(socket.remoteAddress)) {
            finish({ ok: false, message: `\`${url.host}\` resolved to an address that is not loopback` });
          }
        });
      });
    }
    req.on('error', (e: NodeJS.ErrnoException) => {
      finish({ ok: false, message: e.code !== undefined ? `${e.code}: ${e.message}` : e.message });
    });
    req.on('response', (res: IncomingMessage) => readResponse(res, options.maxBytes, finish));
    req.end();
  });
}

function readResponse(res: IncomingMessage, maxBytes: number, finish: (result: FetchResult) => void): void {
  const status = res.statusCode ?? 0;
  if (status !== 200) {
    const redirect = status >= 300 && status < 400 ? ' (redirects are not followed)' : '';
    finish({ ok: false, message: `the answer is HTTP ${status}, expected 200${redirect}` });
    return;
  }
  const declared = Number(res.headers['content-length']);
  if (Number.isFinite(declared) && declared > maxBytes) {
    finish({ ok: false, message: `the answer is ${declared} bytes, more than the ${maxBytes} allowed` });
    return;
  }
  const chunks: Buffer[] = [];
  let size = 0;
  res.on('data', (chunk: Buffer) => {
    size += chunk.length;
    if (size > maxBytes) {
      finish({ ok: false, message: `the answer is more than the ${maxBytes} bytes allowed` });
      return;
    }
    chunks.push(chunk);
  });
  res.on('error', (e) => finish({ ok: false, message: `the answer broke off: ${e.message}` }));
  res.on('end', () => {
    let body: string;
    try {
      body = UTF8.decode(Buffer.concat(chunks));
    } catch {
      finish({ ok: false, message: 'the answer is not UTF-8 text' });
      return;
    }
    const cacheControl = res.headers['cache-control'];
    finish({ ok: true, body, cacheControl });
  });
}

function clip(s: string): string {
  return s.length > 200 ? `${s.slice(0, 200)}…` : s;
}
