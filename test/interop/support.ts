import { request as httpRequest } from 'node:http';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Hash } from '@smithy/hash-node';
import { SignatureV4 } from '@smithy/signature-v4';
import { MemoryRing } from '../../src/audit/memory-ring.js';
import { openDataDir } from '../../src/server/data-dir.js';
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
  stop(): Promise<void>;
}

/** A server as `openirsa up` runs it, in-process, on 127.0.0.1 and a free port, in a fresh data dir. */
export async function bootServer(clock: Clock = systemClock): Promise<Booted> {
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
