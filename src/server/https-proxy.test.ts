import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer as createHttpServer, request as httpRequest, type Server } from 'node:http';
import { connect as netConnect, createServer as createNetServer, Socket, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { connect as tlsConnect, TLSSocket } from 'node:tls';
import { randomIds } from '../shared/ids.js';
import {
  createHttpsProxy,
  isInterceptedHost,
  parseAuthority,
  type Dial,
  type HttpsProxy,
} from './https-proxy.js';
import { close, listen } from './listen.js';
import { LocalCa } from './local-ca.js';

interface Seen {
  readonly host: string | undefined;
  readonly url: string | undefined;
  readonly secure: boolean;
  readonly remote: string | undefined;
}

/** A raw exchange with the proxy: what it answers to `text`, until it closes or `until` matches. */
function raw(port: number, text: string | Buffer, until = /\r\n\r\n/): Promise<string> {
  return new Promise((resolve, reject) => {
    const s = netConnect({ host: '127.0.0.1', port }, () => s.write(text));
    let got = '';
    s.on('data', (c: Buffer) => {
      got += c.toString('latin1');
      if (until.test(got)) {
        s.destroy();
        resolve(got);
      }
    });
    s.on('end', () => resolve(got));
    s.on('error', reject);
  });
}

/** CONNECT through the proxy, then TLS to `host` trusting only `ca`: the TLS socket. */
function connectVia(proxyPort: number, host: string, ca: string): Promise<TLSSocket> {
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port: proxyPort, method: 'CONNECT', path: `${host}:443` });
    req.on('connect', (res, socket) => {
      if (res.statusCode !== 200) return reject(new Error(`CONNECT answered ${res.statusCode}`));
      const tls = tlsConnect({ socket, servername: host, ca }, () => resolve(tls));
      tls.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

/**
 * One https request to `host` through the proxy: status and body. The HTTP layer writes on the TLS
 * socket given, so no name is ever resolved.
 */
async function httpsVia(
  proxyPort: number,
  host: string,
  ca: string,
  path: string,
): Promise<{ status: number; body: string }> {
  const tls = await connectVia(proxyPort, host, ca);
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      { host, path, method: 'GET', headers: { host }, createConnection: () => tls },
      (res) => {
        let body = '';
        res.on('data', (c: Buffer) => (body += c.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      },
    );
    req.on('error', reject);
    req.end();
  });
}

describe('the transparent HTTPS proxy', () => {
  let dir: string;
  let ca: LocalCa;
  let target: Server;
  let proxy: HttpsProxy;
  let proxyPort: number;
  let echo: ReturnType<typeof createNetServer>;
  let echoPort: number;
  let origin: Server;
  let originPort: number;
  const seen: Seen[] = [];
  const dialed: string[] = [];

  // Only loopback is ever dialled; anything else fails like an unreachable host, and is recorded.
  const dial: Dial = (host, port) => {
    dialed.push(`${host}:${port}`);
    if (host === '127.0.0.1') return netConnect({ host, port });
    const s = new Socket();
    process.nextTick(() => s.destroy(new Error('non-loopback dial refused by the test')));
    return s;
  };

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'openirsa-proxy-'));
    ca = await LocalCa.open({ dataDir: dir, clock: { now: () => Date.now() }, ids: randomIds });
    target = createHttpServer((req, res) => {
      seen.push({
        host: req.headers.host,
        url: req.url,
        secure: req.socket instanceof TLSSocket,
        remote: req.socket.remoteAddress,
      });
      res.end(`served ${req.headers.host ?? ''} ${req.url ?? ''}`);
    });
    proxy = createHttpsProxy({ ca, target, dial });
    proxyPort = (await listen(proxy.server, 0)).port;
    echo = createNetServer((s) => s.pipe(s));
    await new Promise<void>((r) => echo.listen(0, '127.0.0.1', () => r()));
    echoPort = (echo.address() as AddressInfo).port;
    origin = createHttpServer((req, res) => {
      res.setHeader('X-Origin', 'yes');
      res.end(
        `origin ${req.method ?? ''} ${req.url ?? ''} host=${req.headers.host ?? ''} pc=${String(req.headers['proxy-connection'] ?? '-')}`,
      );
    });
    originPort = (await listen(origin, 0)).port;
  });

  after(async () => {
    await proxy.close();
    target.closeAllConnections();
    await close(origin);
    await new Promise<void>((r) => echo.close(() => r()));
    await rm(dir, { recursive: true, force: true });
  });

  test('CONNECT sts.amazonaws.com:443 is terminated with a leaf of the local CA and served in-process', async () => {
    dialed.length = 0;
    seen.length = 0;
    const answer = await httpsVia(
      proxyPort,
      'sts.amazonaws.com',
      ca.certificatePem,
      '/?Action=GetCallerIdentity',
    );
    assert.deepEqual(answer, { status: 200, body: 'served sts.amazonaws.com /?Action=GetCallerIdentity' });
    assert.equal(seen.length, 1);
    assert.equal(seen[0]?.secure, true);
    assert.equal(seen[0]?.remote, '127.0.0.1');
    // Nothing left the process: the intercepted host was never dialled.
    assert.deepEqual(dialed, []);
  });

  test('each AWS host gets a certificate for its own name, virtual-hosted buckets included', async () => {
    for (const host of [
      'iam.amazonaws.com',
      'bucket.s3.us-east-1.amazonaws.com',
      'sts.cn-north-1.amazonaws.com.cn',
    ]) {
      const tls = await connectVia(proxyPort, host, ca.certificatePem);
      assert.equal(tls.authorized, true);
      assert.equal(tls.getPeerCertificate().subjectaltname, `DNS:${host}`);
      tls.destroy();
    }
    assert.deepEqual(dialed, []);
  });

  test('a client that does not trust the local CA fails the handshake', async () => {
    await withOtherCa(async (otherCa) => {
      await assert.rejects(connectVia(proxyPort, 'sts.amazonaws.com', otherCa), {
        code: 'SELF_SIGNED_CERT_IN_CHAIN',
      });
    });
    // The proxy still serves.
    assert.equal((await httpsVia(proxyPort, 'iam.amazonaws.com', ca.certificatePem, '/')).status, 200);
  });

  test('CONNECT to any other host is a plain TCP tunnel, loopback included', async () => {
    dialed.length = 0;
    const got = await raw(
      proxyPort,
      `CONNECT 127.0.0.1:${echoPort} HTTP/1.1\r\nHost: 127.0.0.1:${echoPort}\r\n\r\nhello`,
      /hello$/,
    );
    assert.equal(got, 'HTTP/1.1 200 Connection Established\r\n\r\nhello');
    assert.deepEqual(dialed, [`127.0.0.1:${echoPort}`]);
  });

  test('a tunnel whose host cannot be reached answers 502', async () => {
    dialed.length = 0;
    const got = await raw(proxyPort, 'CONNECT example.org:443 HTTP/1.1\r\nHost: example.org:443\r\n\r\n');
    assert.match(got, /^HTTP\/1\.1 502 Bad Gateway\r\n/);
    assert.deepEqual(dialed, ['example.org:443']);
  });

  test('malformed CONNECT targets are 400, AWS hosts on other ports 403, oversized heads 431', async () => {
    for (const target of [
      'sts.amazonaws.com',
      'sts.amazonaws.com:0',
      'a:99999',
      ':443',
      'a..b:443',
      '[zz]:443',
      'a b:443',
    ]) {
      const got = await raw(proxyPort, `CONNECT ${target} HTTP/1.1\r\nHost: x\r\n\r\n`);
      assert.match(got, /^HTTP\/1\.1 400 /, target);
    }
    assert.match(
      await raw(proxyPort, 'CONNECT sts.amazonaws.com:80 HTTP/1.1\r\nHost: x\r\n\r\n'),
      /^HTTP\/1\.1 403 Forbidden\r\n/,
    );
    assert.match(
      await raw(proxyPort, 'CONNECT iam.amazonaws.com:8443 HTTP/1.1\r\n\r\n'),
      /^HTTP\/1\.1 403 Forbidden\r\n/,
    );
    const big = `CONNECT sts.amazonaws.com:443 HTTP/1.1\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`;
    assert.match(await raw(proxyPort, big), /^HTTP\/1\.1 431 /);
    assert.deepEqual(
      dialed.filter((d) => !d.startsWith('127.0.0.1:')),
      ['example.org:443'],
    );
  });

  test('absolute http:// requests for AWS hosts are served in-process, without TLS', async () => {
    seen.length = 0;
    const got = await raw(
      proxyPort,
      'GET http://iam.amazonaws.com/?Action=ListRoles HTTP/1.1\r\nHost: iam.amazonaws.com\r\nConnection: close\r\n\r\n',
      /served .*$/,
    );
    assert.match(got, /^HTTP\/1\.1 200 /);
    assert.match(got, /served iam\.amazonaws\.com \/\?Action=ListRoles$/);
    assert.deepEqual(seen, [
      { host: 'iam.amazonaws.com', url: '/?Action=ListRoles', secure: false, remote: '127.0.0.1' },
    ]);
  });

  test('absolute http:// requests for other hosts are forwarded without hop-by-hop headers', async () => {
    const got = await raw(
      proxyPort,
      `GET http://127.0.0.1:${originPort}/p?q=1 HTTP/1.1\r\nHost: 127.0.0.1:${originPort}\r\nProxy-Connection: keep-alive\r\nConnection: close\r\n\r\n`,
      /pc=.*$/,
    );
    assert.match(got, /^HTTP\/1\.1 200 /);
    assert.match(got, /\r\nx-origin: yes\r\n/i);
    assert.match(got, new RegExp(`origin GET /p\\?q=1 host=127\\.0\\.0\\.1:${originPort} pc=-$`));
  });

  test('an origin-form request is not a proxy request: 400', async () => {
    assert.match(
      await raw(proxyPort, 'GET /x HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n'),
      /^HTTP\/1\.1 400 /,
    );
  });
});

async function withOtherCa(fn: (pem: string) => Promise<void>): Promise<void> {
  const other = await mkdtemp(join(tmpdir(), 'openirsa-proxy-other-'));
  try {
    const ca = await LocalCa.open({ dataDir: other, clock: { now: () => Date.now() }, ids: randomIds });
    await fn(ca.certificatePem);
  } finally {
    await rm(other, { recursive: true, force: true });
  }
}

test('the intercepted hosts are amazonaws.com and amazonaws.com.cn and their subdomains', () => {
  for (const h of [
    'amazonaws.com',
    'sts.amazonaws.com',
    'STS.US-EAST-1.AMAZONAWS.COM',
    'iam.cn-north-1.amazonaws.com.cn',
  ]) {
    assert.equal(isInterceptedHost(h), true, h);
  }
  for (const h of ['notamazonaws.com', 'amazonaws.com.evil.org', 'example.org', '127.0.0.1', 'sts.api.aws']) {
    assert.equal(isInterceptedHost(h), false, h);
  }
});

test('CONNECT authorities are host:port with a port 1-65535; IPv6 in brackets', () => {
  assert.deepEqual(parseAuthority('STS.amazonaws.com:443'), { host: 'sts.amazonaws.com', port: 443 });
  assert.deepEqual(parseAuthority('[::1]:8080'), { host: '::1', port: 8080 });
  for (const bad of ['', 'host', 'host:', 'host:65536', 'host:0', '::1:80', '[::g]:80', 'a/b:80', '.a:80']) {
    assert.equal(parseAuthority(bad), undefined, bad);
  }
});

test('an idle CONNECT connection is closed after the idle timeout', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'openirsa-proxy-idle-'));
  const ca = await LocalCa.open({ dataDir: dir, clock: { now: () => Date.now() }, ids: randomIds });
  const target = createHttpServer((_req, res) => res.end());
  const proxy = createHttpsProxy({ ca, target, idleTimeoutMs: 50 });
  try {
    const port = (await listen(proxy.server, 0)).port;
    // The proxy answers 200, then nothing happens: it closes the connection itself.
    const got = await raw(port, 'CONNECT sts.amazonaws.com:443 HTTP/1.1\r\n\r\n', /never/);
    assert.equal(got, 'HTTP/1.1 200 Connection Established\r\n\r\n');
  } finally {
    await proxy.close();
    await rm(dir, { recursive: true, force: true });
  }
});
