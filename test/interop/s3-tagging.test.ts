/**
 * S3 object tagging with real clients against an in-process server on 127.0.0.1: the JS SDK puts an object
 * with tags and reads them back, and a role session from AssumeRoleWithWebIdentity whose policy allows
 * tagging only through `s3:ExistingObjectTag/team` is allowed on a blue object and denied on a red one;
 * boto3 reads the tag count. Every client runs with AWS_EC2_METADATA_DISABLED=true.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { Agent } from 'node:http';
import type { LookupFunction } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { promisify } from 'node:util';
import {
  CreateBucketCommand,
  GetObjectTaggingCommand,
  HeadObjectCommand,
  PutObjectCommand,
  PutObjectTaggingCommand,
  DeleteObjectTaggingCommand,
  S3Client,
  S3ServiceException,
} from '@aws-sdk/client-s3';
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

process.env.AWS_EC2_METADATA_DISABLED = 'true';

const run = promisify(execFile);
const ACCOUNT = '111122223333';
const REGION = 'us-east-1';

interface Env {
  readonly port: number;
  readonly data: DataDir;
  readonly audit: MemoryRing;
  readonly root: Credentials;
  readonly tmp: string;
  readonly logged: string[];
  stop(): Promise<void>;
}

async function boot(): Promise<Env> {
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
const loopback: LookupFunction = (_host, options, callback) => {
  if (options.all === true) callback(null, [{ address: '127.0.0.1', family: 4 }]);
  else callback(null, '127.0.0.1', 4);
};

function s3(env: Env, credentials: Credentials, style: 'path' | 'virtual' = 'path'): S3Client {
  return new S3Client({
    region: REGION,
    endpoint: style === 'path' ? `http://127.0.0.1:${env.port}` : `http://localhost:${env.port}`,
    forcePathStyle: style === 'path',
    credentials,
    requestHandler: new NodeHttpHandler({ httpAgent: new Agent({ lookup: loopback }) }),
  });
}

/** POST /_openirsa/token signed by the account root (as sts-web-identity.test.ts does). */
async function token(env: Env, serviceAccount: string): Promise<string> {
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
async function roleSession(env: Env, name: string, policy: object): Promise<Credentials> {
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

describe('S3 object tagging with real clients', () => {
  let env: Env;
  before(async () => {
    env = await boot();
  });
  after(async () => {
    await env.stop();
  });

  test('the JS SDK tags objects; a role session is allowed and denied by s3:ExistingObjectTag', async () => {
    const root = s3(env, env.root);
    await root.send(new CreateBucketCommand({ Bucket: 'tagged' }));
    await root.send(
      new PutObjectCommand({ Bucket: 'tagged', Key: 'blue.txt', Body: 'b', Tagging: 'team=blue&env=dev' }),
    );
    await root.send(
      new PutObjectCommand({ Bucket: 'tagged', Key: 'red.txt', Body: 'r', Tagging: 'team=red' }),
    );
    const head = await root.send(new HeadObjectCommand({ Bucket: 'tagged', Key: 'blue.txt' }));
    assert.equal(head.$metadata.httpStatusCode, 200);
    const got = await root.send(new GetObjectTaggingCommand({ Bucket: 'tagged', Key: 'blue.txt' }));
    assert.deepEqual(got.TagSet, [
      { Key: 'team', Value: 'blue' },
      { Key: 'env', Value: 'dev' },
    ]);

    const session = s3(
      env,
      await roleSession(env, 'tagger', {
        Version: '2012-10-17',
        Statement: [
          {
            Effect: 'Allow',
            Action: ['s3:GetObjectTagging', 's3:PutObjectTagging', 's3:DeleteObjectTagging'],
            Resource: 'arn:aws:s3:::tagged/*',
            Condition: { StringEquals: { 's3:ExistingObjectTag/team': 'blue' } },
          },
          {
            Effect: 'Deny',
            Action: 's3:PutObjectTagging',
            Resource: 'arn:aws:s3:::tagged/*',
            Condition: { 'ForAnyValue:StringEquals': { 's3:RequestObjectTagKeys': 'owner' } },
          },
        ],
      }),
    );
    const blue = await session.send(new GetObjectTaggingCommand({ Bucket: 'tagged', Key: 'blue.txt' }));
    assert.equal(blue.TagSet?.length, 2);
    await denied(session.send(new GetObjectTaggingCommand({ Bucket: 'tagged', Key: 'red.txt' })));
    await session.send(
      new PutObjectTaggingCommand({
        Bucket: 'tagged',
        Key: 'blue.txt',
        Tagging: {
          TagSet: [
            { Key: 'team', Value: 'blue' },
            { Key: 'reviewed', Value: 'yes' },
          ],
        },
      }),
    );
    await denied(
      session.send(
        new PutObjectTaggingCommand({
          Bucket: 'tagged',
          Key: 'blue.txt',
          Tagging: { TagSet: [{ Key: 'owner', Value: 'me' }] },
        }),
      ),
    );
    await denied(
      session.send(
        new PutObjectTaggingCommand({
          Bucket: 'tagged',
          Key: 'red.txt',
          Tagging: { TagSet: [{ Key: 'team', Value: 'blue' }] },
        }),
      ),
    );
    await session.send(new DeleteObjectTaggingCommand({ Bucket: 'tagged', Key: 'blue.txt' }));
    await denied(session.send(new GetObjectTaggingCommand({ Bucket: 'tagged', Key: 'blue.txt' })));

    const pyEnv = {
      PATH: process.env.PATH ?? '',
      HOME: env.tmp,
      AWS_EC2_METADATA_DISABLED: 'true',
      AWS_ACCESS_KEY_ID: env.root.accessKeyId,
      AWS_SECRET_ACCESS_KEY: env.root.secretAccessKey,
      AWS_DEFAULT_REGION: REGION,
      AWS_CONFIG_FILE: join(env.tmp, 'none'),
      AWS_SHARED_CREDENTIALS_FILE: join(env.tmp, 'none'),
    };
    const script = `
import boto3, sys
s3 = boto3.client('s3', endpoint_url=sys.argv[1])
print(s3.get_object(Bucket='tagged', Key='red.txt')['TagCount'])
s3.put_object_tagging(Bucket='tagged', Key='red.txt', Tagging={'TagSet': [{'Key': 'a', 'Value': '1'}, {'Key': 'b', 'Value': '2'}]})
print(s3.head_object(Bucket='tagged', Key='red.txt')['TagCount'], len(s3.get_object_tagging(Bucket='tagged', Key='red.txt')['TagSet']))
`;
    const boto = await run('python3', ['-c', script, `http://127.0.0.1:${env.port}`], { env: pyEnv });
    assert.equal(boto.stdout, '1\n2 2\n');
    assert.deepEqual(env.logged, []);
  });
});

async function denied(promise: Promise<unknown>): Promise<void> {
  await assert.rejects(promise, (e: unknown) => {
    assert.ok(e instanceof S3ServiceException, String(e));
    assert.equal(e.name, 'AccessDenied');
    assert.equal(e.$metadata.httpStatusCode, 403);
    return true;
  });
}
