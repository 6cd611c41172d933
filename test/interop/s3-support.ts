/**
 * The harness the S3 interop tests share: an in-process server on 127.0.0.1 with a data directory (S3
 * bytes included), S3 clients whose every host name resolves to 127.0.0.1 (so `bucket.localhost` works and
 * nothing leaves the host), service-account tokens from the admin route, and role sessions from
 * AssumeRoleWithWebIdentity.
 */
import assert from 'node:assert/strict';
import { Agent } from 'node:http';
import type { LookupFunction } from 'node:net';
import { S3Client } from '@aws-sdk/client-s3';
import { AssumeRoleWithWebIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { systemClock } from '../../src/shared/clock.js';
import { randomIds } from '../../src/shared/ids.js';
import { webIdentityTrust } from '../shared/web-identity-trust.js';
import {
  ACCOUNT,
  REGION,
  bootServer,
  serviceAccountToken,
  type Booted,
  type Credentials,
} from './support.js';

export { ACCOUNT, REGION } from './support.js';

/** A server with the built-in issuer's keys at hand and S3 bytes in its data directory. */
export type Env = Booted;

export function boot(): Promise<Env> {
  return bootServer(systemClock, { issuerKeyRing: true });
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

/** A service-account token of the built-in issuer for `default/<serviceAccount>`. */
export function token(env: Env, serviceAccount: string): Promise<string> {
  return serviceAccountToken(env, serviceAccount);
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
    trustPolicy: webIdentityTrust(providerArn, {
      [`${hostPath}:sub`]: `system:serviceaccount:default:${name}`,
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
