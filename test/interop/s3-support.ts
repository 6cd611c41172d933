/**
 * The harness the S3 interop tests share: an in-process server on 127.0.0.1 with a data directory (S3
 * bytes included), S3 clients whose every host name resolves to 127.0.0.1 (so `bucket.localhost` works and
 * nothing leaves the host), service-account tokens from the admin route, and role sessions from
 * AssumeRoleWithWebIdentity.
 */
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { Agent } from 'node:http';
import type { LookupFunction } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { S3Client } from '@aws-sdk/client-s3';
import { AssumeRoleWithWebIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { Hash } from '@smithy/hash-node';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { SignatureV4 } from '@smithy/signature-v4';
import { MemoryRing } from '../../src/audit/memory-ring.js';
import { openDataDir, type DataDir } from '../../src/server/data-dir.js';
import { close, listen } from '../../src/server/listen.js';
import { createServer } from '../../src/server/server.js';
import { systemClock } from '../../src/shared/clock.js';
import { randomIds } from '../../src/shared/ids.js';
import { send, type Credentials } from './support.js';

export const ACCOUNT = '111122223333';
export const REGION = 'us-east-1';

export interface Env {
  readonly port: number;
  readonly data: DataDir;
  readonly audit: MemoryRing;
  readonly root: Credentials;
  readonly tmp: string;
  readonly logged: string[];
  stop(): Promise<void>;
}

export async function boot(): Promise<Env> {
  const tmp = await mkdtemp(join(tmpdir(), 'openirsa-s3-'));
  const data = await openDataDir({
    dir: join(tmp, 'data'),
    accountId: ACCOUNT,
    clock: systemClock,
    ids: randomIds,
  });
  const audit = new MemoryRing();
  const logged: string[] = [];
  const server = createServer({
    store: data.store,
    clock: systemClock,
    ids: randomIds,
    region: REGION,
    audit,
    logger: { error: (m, f) => logged.push(`${m} ${JSON.stringify(f)}`) },
    issuer: { keyRing: data.keyRing },
    dataDir: data.dir,
  });
  const { port } = await listen(server, 0);
  const secret =
    /aws_secret_access_key = (\S+)/.exec(await readFile(data.credentialsPath, 'utf8'))?.[1] ?? '';
  return {
    port,
    data,
    audit,
    root: { accessKeyId: data.accessKeyId, secretAccessKey: secret },
    tmp,
    logged,
    stop: async () => {
      await close(server);
      await data.store.close();
      await rm(tmp, { recursive: true, force: true });
    },
  };
}

/** Every name resolves to 127.0.0.1, so `bucket.localhost` reaches the server and nothing leaves the host. */
export const loopback: LookupFunction = (_host, options, callback) => {
  if (options.all === true) callback(null, [{ address: '127.0.0.1', family: 4 }]);
  else callback(null, '127.0.0.1', 4);
};

export function s3(env: Env, credentials: Credentials, style: 'path' | 'virtual' = 'path'): S3Client {
  return new S3Client({
    region: REGION,
    endpoint: style === 'path' ? `http://127.0.0.1:${env.port}` : `http://localhost:${env.port}`,
    forcePathStyle: style === 'path',
    credentials,
    requestHandler: new NodeHttpHandler({ httpAgent: new Agent({ lookup: loopback }) }),
  });
}

/** POST /_openirsa/token signed by the account root (as sts-web-identity.test.ts does). */
export async function token(env: Env, serviceAccount: string): Promise<string> {
  const body = JSON.stringify({ namespace: 'default', serviceAccount });
  const signer = new SignatureV4({
    credentials: env.root,
    region: REGION,
    service: 'sts',
    sha256: Hash.bind(null, 'sha256'),
  });
  const signed = await signer.sign({
    method: 'POST',
    protocol: 'http:',
    hostname: '127.0.0.1',
    port: env.port,
    path: '/_openirsa/token',
    query: {},
    headers: { host: `127.0.0.1:${env.port}`, 'content-type': 'application/json' },
    body,
  });
  const res = await send(env.port, 'POST', '/_openirsa/token', signed.headers, body);
  assert.equal(res.status, 200, res.body);
  return (JSON.parse(res.body) as { token: string }).token;
}

/** A role whose trust admits the built-in issuer's `default/<name>` service account, with one inline policy. */
export async function roleSession(env: Env, name: string, policy: object): Promise<Credentials> {
  const hostPath = `127.0.0.1:${env.port}`;
  const providerArn = `arn:aws:iam::${ACCOUNT}:oidc-provider/${hostPath}`;
  const roleArn = `arn:aws:iam::${ACCOUNT}:role/${name}`;
  await env.data.store.roles.create({
    accountId: ACCOUNT,
    name,
    id: randomIds.uniqueId('AROA'),
    path: '/',
    arn: roleArn,
    trustPolicy: JSON.stringify({
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Allow',
          Principal: { Federated: providerArn },
          Action: 'sts:AssumeRoleWithWebIdentity',
          Condition: { StringEquals: { [`${hostPath}:sub`]: `system:serviceaccount:default:${name}` } },
        },
      ],
    }),
    createdAt: Date.now(),
  });
  await env.data.store.roles.putPolicy(ACCOUNT, name, { name: 's3', document: JSON.stringify(policy) });
  const sts = new STSClient({
    region: REGION,
    endpoint: `http://127.0.0.1:${env.port}`,
    credentials: { accessKeyId: 'unused', secretAccessKey: 'unused' },
  });
  const out = await sts.send(
    new AssumeRoleWithWebIdentityCommand({
      RoleArn: roleArn,
      RoleSessionName: `${name}-session`,
      WebIdentityToken: await token(env, name),
    }),
  );
  const c = out.Credentials;
  assert.ok(c?.AccessKeyId && c.SecretAccessKey && c.SessionToken);
  return { accessKeyId: c.AccessKeyId, secretAccessKey: c.SecretAccessKey, sessionToken: c.SessionToken };
}
