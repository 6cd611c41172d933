import assert from 'node:assert/strict';
import { request as httpRequest, type Server } from 'node:http';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Hash } from '@smithy/hash-node';
import { SignatureV4 } from '@smithy/signature-v4';
import { MemoryRing } from '../../src/audit/memory-ring.js';
import { openDataDir, type DataDir } from '../../src/server/data-dir.js';
import { close, listen } from '../../src/server/listen.js';
import { createServer, type Logger } from '../../src/server/server.js';
import { systemClock, type Clock } from '../../src/shared/clock.js';
import { randomIds } from '../../src/shared/ids.js';
import type { Store } from '../../src/store/types.js';

export const ACCOUNT = '111122223333';
export const REGION = 'us-east-1';

export interface Credentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken?: string;
}

export interface Booted {
  readonly endpoint: string;
  readonly port: number;
  readonly dir: string;
  readonly store: Store;
  readonly audit: MemoryRing;
  readonly root: Credentials;
  readonly logged: string[];
  /** The main listener, for tests that hand it connections (the transparent proxy). */
  readonly server: Server;
  /** The opened data directory (store, signing keys, credentials file). */
  readonly data: DataDir;
  /** The temporary directory that holds the data directory; removed by `stop`. */
  readonly tmp: string;
  stop(): Promise<void>;
}

/** How `bootServer` differs from a plain `openirsa up`. */
export interface BootOptions {
  /**
   * Hands the data directory's signing keys to the built-in issuer up front; without it the issuer
   * reads them from the store on first use (as `openirsa up` does).
   */
  readonly issuerKeyRing?: boolean;
}

/** A server as `openirsa up` runs it, in-process, on 127.0.0.1 and a free port, in a fresh data dir. */
export async function bootServer(clock: Clock = systemClock, options: BootOptions = {}): Promise<Booted> {
  const dir = await mkdtemp(join(tmpdir(), 'openirsa-interop-'));
  const data = await openDataDir({ dir: join(dir, 'data'), accountId: ACCOUNT, clock, ids: randomIds });
  const audit = new MemoryRing();
  const logged: string[] = [];
  const logger: Logger = { error: (message, fields) => logged.push(`${message} ${JSON.stringify(fields)}`) };
  const server = createServer({
    store: data.store,
    clock,
    ids: randomIds,
    region: REGION,
    audit,
    logger,
    ...(options.issuerKeyRing === true ? { issuer: { keyRing: data.keyRing } } : {}),
    dataDir: data.dir,
  });
  const address = await listen(server, 0);
  const text = await readFile(data.credentialsPath, 'utf8');
  const secret = /aws_secret_access_key = (\S+)/.exec(text)?.[1] ?? '';
  return {
    endpoint: `http://127.0.0.1:${address.port}`,
    port: address.port,
    dir: data.dir,
    store: data.store,
    audit,
    root: { accessKeyId: data.accessKeyId, secretAccessKey: secret },
    logged,
    server,
    data,
    tmp: dir,
    stop: async () => {
      await close(server);
      await data.store.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

export interface RawResponse {
  readonly status: number;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  readonly body: string;
}

/** Sends one HTTP request as given (no header added beyond what node:http adds). */
export function send(
  port: number,
  method: string,
  path: string,
  headers: Record<string, string>,
  body = '',
): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port, method, path, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () =>
        resolve({
          status: res.statusCode ?? 0,
          headers: res.headers,
          body: Buffer.concat(chunks).toString('utf8'),
        }),
      );
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}

/**
 * An awsQuery POST signed the way the AWS SDK for JavaScript v3 signs it: `@smithy/signature-v4`, the
 * signer `@aws-sdk/client-sts` uses, with the headers of docs/raw-requests.md §1.3.
 */
export async function signedQuery(
  port: number,
  body: string,
  credentials: Credentials,
  options: { service?: string; region?: string; signingDate?: Date } = {},
): Promise<RawResponse> {
  const signer = new SignatureV4({
    credentials,
    region: options.region ?? REGION,
    service: options.service ?? 'sts',
    sha256: Hash.bind(null, 'sha256'),
  });
  const signed = await signer.sign(
    {
      method: 'POST',
      protocol: 'http:',
      hostname: '127.0.0.1',
      port,
      path: '/',
      query: {},
      headers: {
        host: `127.0.0.1:${port}`,
        'content-type': 'application/x-www-form-urlencoded',
        'content-length': String(Buffer.byteLength(body)),
        'x-amz-user-agent': 'aws-sdk-js/3.1177.0',
      },
      body,
    },
    options.signingDate !== undefined ? { signingDate: options.signingDate } : {},
  );
  return send(port, 'POST', '/', signed.headers, body);
}

/** The text of the first `<name>` element. */
export function xmlText(xml: string, name: string): string | undefined {
  return new RegExp(`<${name}>([^<]*)</${name}>`).exec(xml)?.[1];
}

/**
 * The error `fn` must throw, when it is an instance of one of `types` (a client's service exception
 * classes); any other error is rethrown, and success fails the test. The JS SDK names a modeled error by
 * its exception (`awsQueryError` trait: wire code `NoSuchEntity` → `NoSuchEntityException`), so a name
 * ending in `Exception` proves the wire code; unmodeled codes (`ValidationError`, `AccessDenied`) keep
 * their code.
 */
export async function serviceErrorOf<E>(
  fn: () => Promise<unknown>,
  types: readonly (abstract new (...args: never[]) => E)[],
): Promise<E> {
  try {
    await fn();
  } catch (e) {
    for (const type of types) if (e instanceof type) return e;
    throw e;
  }
  assert.fail('the call succeeded');
}

/** POST /_openirsa/token with `body`, signed by `credentials` with `@smithy/signature-v4` (service sts). */
export async function requestToken(
  port: number,
  credentials: Credentials,
  body: Readonly<Record<string, unknown>>,
): Promise<{ status: number; json: Record<string, unknown> }> {
  const text = JSON.stringify(body);
  const signer = new SignatureV4({
    credentials,
    region: REGION,
    service: 'sts',
    sha256: Hash.bind(null, 'sha256'),
  });
  const signed = await signer.sign({
    method: 'POST',
    protocol: 'http:',
    hostname: '127.0.0.1',
    port,
    path: '/_openirsa/token',
    query: {},
    headers: { host: `127.0.0.1:${port}`, 'content-type': 'application/json' },
    body: text,
  });
  const res = await send(port, 'POST', '/_openirsa/token', signed.headers, text);
  return { status: res.status, json: JSON.parse(res.body) as Record<string, unknown> };
}

/** A token of the built-in issuer for the service account `default/<serviceAccount>`, minted by the root. */
export async function serviceAccountToken(
  server: { readonly port: number; readonly root: Credentials },
  serviceAccount: string,
  audience?: string,
): Promise<string> {
  const res = await requestToken(server.port, server.root, {
    namespace: 'default',
    serviceAccount,
    ...(audience !== undefined ? { audience } : {}),
  });
  assert.equal(res.status, 200, JSON.stringify(res.json));
  const token = res.json.token;
  assert.ok(typeof token === 'string');
  return token;
}
