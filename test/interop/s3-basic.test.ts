/**
 * S3 against an in-process server with real clients: `@aws-sdk/client-s3` path-style (127.0.0.1) and
 * virtual-hosted-style (`bucket.localhost`, resolved to 127.0.0.1 by the test's own lookup), root and
 * role-session credentials from AssumeRoleWithWebIdentity, bucket policies, presigned URLs, python3
 * boto3 and the AWS CLI v1. Every client runs with AWS_EC2_METADATA_DISABLED=true against 127.0.0.1.
 *
 * Every client runs with its DEFAULT flexible checksums (requestChecksumCalculation WHEN_SUPPORTED): the
 * JS SDK sends a stream aws-chunked with a CRC32 trailer, and a buffer with an `x-amz-checksum-crc32`
 * header; GetObject asks `x-amz-checksum-mode: ENABLED` and validates the answer.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readdirSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { promisify } from 'node:util';
import {
  CopyObjectCommand,
  CreateBucketCommand,
  DeleteBucketCommand,
  DeleteBucketPolicyCommand,
  DeleteObjectCommand,
  DeleteObjectsCommand,
  DeletePublicAccessBlockCommand,
  GetBucketLocationCommand,
  GetBucketPolicyCommand,
  GetObjectCommand,
  GetPublicAccessBlockCommand,
  HeadBucketCommand,
  HeadObjectCommand,
  ListBucketsCommand,
  ListObjectsCommand,
  ListObjectsV2Command,
  PutBucketPolicyCommand,
  PutObjectCommand,
  PutPublicAccessBlockCommand,
  S3ServiceException,
  ListObjectVersionsCommand,
} from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { Hash } from '@smithy/hash-node';
import { SignatureV4 } from '@smithy/signature-v4';
import { checksumOf } from '../../src/s3/checksums.js';
import { credentialsEnv } from './boto3.js';
import { ACCOUNT, boot, REGION, roleSession, s3, type Env } from './s3-support.js';
import { send } from './support.js';

process.env.AWS_EC2_METADATA_DISABLED = 'true';

const run = promisify(execFile);

async function rejectsWith(promise: Promise<unknown>, name: string, status: number): Promise<void> {
  await assert.rejects(promise, (e: unknown) => {
    assert.ok(e instanceof S3ServiceException, String(e));
    assert.equal(e.name, name);
    assert.equal(e.$metadata.httpStatusCode, status);
    return true;
  });
}

function teamPolicy(bucket: string): object {
  return {
    Version: '2012-10-17',
    Statement: [
      { Effect: 'Allow', Action: 's3:ListBucket', Resource: `arn:aws:s3:::${bucket}` },
      { Effect: 'Allow', Action: ['s3:GetObject', 's3:PutObject'], Resource: `arn:aws:s3:::${bucket}/*` },
    ],
  };
}

describe('S3 with @aws-sdk/client-s3', () => {
  let env: Env;
  before(async () => {
    env = await boot();
  });
  after(async () => {
    await env.stop();
  });

  for (const style of ['path', 'virtual'] as const) {
    test(`${style}-style: buckets and objects round-trip with the root credentials`, async () => {
      const client = s3(env, env.root, style);
      const bucket = `demo-${style}`;
      await client.send(new CreateBucketCommand({ Bucket: bucket }));
      // us-east-1 answers 200 to its owner creating the bucket again (legacy compatibility).
      await client.send(new CreateBucketCommand({ Bucket: bucket }));
      const listed = await client.send(new ListBucketsCommand({}));
      assert.ok(listed.Buckets?.some((b) => b.Name === bucket));
      await client.send(new HeadBucketCommand({ Bucket: bucket }));
      const location = await client.send(new GetBucketLocationCommand({ Bucket: bucket }));
      assert.equal(location.LocationConstraint ?? '', '');

      const put = await client.send(
        new PutObjectCommand({
          Bucket: bucket,
          Key: 'dir/hello world.txt',
          Body: 'hello',
          ContentType: 'text/plain',
          CacheControl: 'no-cache',
          Metadata: { owner: 'team-a' },
        }),
      );
      assert.equal(put.ETag, `"${createHash('md5').update('hello').digest('hex')}"`);
      await client.send(new PutObjectCommand({ Bucket: bucket, Key: 'dir/sub/x', Body: 'x' }));
      await client.send(new PutObjectCommand({ Bucket: bucket, Key: 'top+plus', Body: '' }));

      const got = await client.send(new GetObjectCommand({ Bucket: bucket, Key: 'dir/hello world.txt' }));
      assert.equal(await got.Body?.transformToString(), 'hello');
      assert.equal(got.ContentType, 'text/plain');
      assert.equal(got.CacheControl, 'no-cache');
      assert.deepEqual(got.Metadata, { owner: 'team-a' });
      assert.equal(got.ETag, put.ETag);

      const ranged = await client.send(
        new GetObjectCommand({ Bucket: bucket, Key: 'dir/hello world.txt', Range: 'bytes=1-3' }),
      );
      assert.equal(await ranged.Body?.transformToString(), 'ell');
      assert.equal(ranged.ContentRange, 'bytes 1-3/5');
      await rejectsWith(
        client.send(new GetObjectCommand({ Bucket: bucket, Key: 'dir/hello world.txt', Range: 'bytes=9-' })),
        'InvalidRange',
        416,
      );
      await rejectsWith(
        client.send(new GetObjectCommand({ Bucket: bucket, Key: 'dir/hello world.txt', IfMatch: '"nope"' })),
        'PreconditionFailed',
        412,
      );
      const head = await client.send(new HeadObjectCommand({ Bucket: bucket, Key: 'dir/hello world.txt' }));
      assert.equal(head.ContentLength, 5);
      await rejectsWith(
        client.send(new HeadObjectCommand({ Bucket: bucket, Key: 'missing' })),
        'NotFound',
        404,
      );
      await rejectsWith(
        client.send(new GetObjectCommand({ Bucket: bucket, Key: 'missing' })),
        'NoSuchKey',
        404,
      );

      const v2 = await client.send(
        new ListObjectsV2Command({ Bucket: bucket, Prefix: 'dir/', Delimiter: '/' }),
      );
      assert.deepEqual(
        v2.Contents?.map((o) => o.Key),
        ['dir/hello world.txt'],
      );
      assert.deepEqual(
        v2.CommonPrefixes?.map((p) => p.Prefix),
        ['dir/sub/'],
      );
      assert.equal(v2.KeyCount, 2);
      const page1 = await client.send(new ListObjectsV2Command({ Bucket: bucket, MaxKeys: 2 }));
      assert.equal(page1.IsTruncated, true);
      const page2 = await client.send(
        new ListObjectsV2Command({
          Bucket: bucket,
          MaxKeys: 2,
          ContinuationToken: page1.NextContinuationToken,
        }),
      );
      assert.deepEqual(
        [...(page1.Contents ?? []), ...(page2.Contents ?? [])].map((o) => o.Key),
        ['dir/hello world.txt', 'dir/sub/x', 'top+plus'],
      );
      assert.equal(page2.IsTruncated, false);
      const v1 = await client.send(new ListObjectsCommand({ Bucket: bucket, Delimiter: '/', MaxKeys: 1 }));
      assert.deepEqual(
        v1.CommonPrefixes?.map((p) => p.Prefix),
        ['dir/'],
      );
      assert.equal(v1.NextMarker, 'dir/');
      const v1next = await client.send(
        new ListObjectsCommand({ Bucket: bucket, Delimiter: '/', Marker: v1.NextMarker }),
      );
      assert.deepEqual(
        v1next.Contents?.map((o) => o.Key),
        ['top+plus'],
      );

      await rejectsWith(client.send(new DeleteBucketCommand({ Bucket: bucket })), 'BucketNotEmpty', 409);
      for (const key of ['dir/hello world.txt', 'dir/sub/x', 'top+plus', 'never-there']) {
        await client.send(new DeleteObjectCommand({ Bucket: bucket, Key: key }));
      }
      await client.send(new DeleteBucketCommand({ Bucket: bucket }));
      await rejectsWith(client.send(new HeadBucketCommand({ Bucket: bucket })), 'NotFound', 404);
    });
  }

  test('bad bucket names are InvalidBucketName; a streamed body goes aws-chunked with a CRC32 trailer, checked and stored', async () => {
    const client = s3(env, env.root);
    await rejectsWith(client.send(new CreateBucketCommand({ Bucket: 'Bad_Name' })), 'InvalidBucketName', 400);
    await client.send(new CreateBucketCommand({ Bucket: 'chunked' }));
    const { Readable } = await import('node:stream');
    const bytes = Buffer.alloc(70_000, 'z');
    const put = await client.send(
      new PutObjectCommand({
        Bucket: 'chunked',
        Key: 'k',
        Body: Readable.from([bytes.subarray(0, 30_000), bytes.subarray(30_000)]),
        ContentLength: bytes.length,
        ContentEncoding: 'identity',
      }),
    );
    assert.equal(put.ChecksumCRC32, checksumOf('CRC32', bytes));
    const stored = await env.data.store.objects.get('chunked', 'k');
    assert.equal(stored?.contentEncoding, 'identity');
    assert.deepEqual(stored?.checksums, { CRC32: checksumOf('CRC32', bytes) });
    const got = await client.send(new GetObjectCommand({ Bucket: 'chunked', Key: 'k' }));
    assert.equal(got.ChecksumCRC32, checksumOf('CRC32', bytes));
    assert.ok(Buffer.from((await got.Body?.transformToByteArray()) ?? []).equals(bytes));
  });

  test('a body that differs from its signed SHA-256 is XAmzContentSHA256Mismatch and is not stored', async () => {
    const client = s3(env, env.root);
    await client.send(new CreateBucketCommand({ Bucket: 'sha-check' }));
    const signer = new SignatureV4({
      credentials: env.root,
      region: REGION,
      service: 's3',
      sha256: Hash.bind(null, 'sha256'),
      uriEscapePath: false,
    });
    const declared = createHash('sha256').update('other').digest('hex');
    const signed = await signer.sign({
      method: 'PUT',
      protocol: 'http:',
      hostname: '127.0.0.1',
      port: env.port,
      path: '/sha-check/k',
      query: {},
      headers: { host: `127.0.0.1:${env.port}`, 'x-amz-content-sha256': declared, 'content-length': '5' },
    });
    const res = await send(env.port, 'PUT', '/sha-check/k', signed.headers, 'hello');
    assert.equal(res.status, 400, res.body);
    assert.match(res.body, /<Code>XAmzContentSHA256Mismatch<\/Code>/);
    await rejectsWith(client.send(new HeadObjectCommand({ Bucket: 'sha-check', Key: 'k' })), 'NotFound', 404);
    // Nothing was left behind: no temporary file, no blob file that no object names.
    const objects = join(env.data.dir, 'objects');
    const files = readdirSync(objects, { recursive: true, withFileTypes: true }).filter((d) => d.isFile());
    const orphans: string[] = [];
    for (const f of files) if (!(await env.data.store.objects.hasBlob(f.name))) orphans.push(f.name);
    assert.deepEqual(orphans, []);
  });

  test('an 8 MiB object streams in and out intact; an expired presigned URL is AccessDenied', async () => {
    const client = s3(env, env.root);
    await client.send(new CreateBucketCommand({ Bucket: 'big-objects' }));
    const bytes = Buffer.alloc(8 * 1024 * 1024);
    for (let i = 0; i < bytes.length; i += 4096) bytes.writeUInt32BE(i, i);
    const put = await client.send(
      new PutObjectCommand({ Bucket: 'big-objects', Key: 'big.bin', Body: bytes }),
    );
    assert.equal(put.ETag, `"${createHash('md5').update(bytes).digest('hex')}"`);
    const got = await client.send(new GetObjectCommand({ Bucket: 'big-objects', Key: 'big.bin' }));
    const back = Buffer.from((await got.Body?.transformToByteArray()) ?? []);
    assert.equal(back.length, bytes.length);
    assert.ok(back.equals(bytes));

    const url = new URL(
      await getSignedUrl(client, new GetObjectCommand({ Bucket: 'big-objects', Key: 'big.bin' }), {
        expiresIn: 60,
        signingDate: new Date(Date.now() - 3600_000),
      }),
    );
    const expired = await send(env.port, 'GET', url.pathname + url.search, { host: url.host });
    assert.equal(expired.status, 403);
    assert.match(expired.body, /<Code>AccessDenied<\/Code>/);
    assert.match(expired.body, /<Message>Request has expired<\/Message>/);
  });

  test('a presigned GetObject URL works unsigned-payload; anonymous access needs a bucket policy', async () => {
    const client = s3(env, env.root);
    await client.send(new CreateBucketCommand({ Bucket: 'public-ish' }));
    await client.send(new PutObjectCommand({ Bucket: 'public-ish', Key: 'pub/a.txt', Body: 'public' }));
    const url = new URL(
      await getSignedUrl(client, new GetObjectCommand({ Bucket: 'public-ish', Key: 'pub/a.txt' }), {
        expiresIn: 300,
      }),
    );
    const presigned = await send(env.port, 'GET', url.pathname + url.search, { host: url.host });
    assert.equal(presigned.status, 200, presigned.body);
    assert.equal(presigned.body, 'public');

    const anonymous = await send(env.port, 'GET', '/public-ish/pub/a.txt', {});
    assert.equal(anonymous.status, 403);
    assert.match(anonymous.body, /<Code>AccessDenied<\/Code>/);
    assert.match(anonymous.body, /<Message>Access Denied<\/Message>/);
    const policy = JSON.stringify({
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Allow',
          Principal: '*',
          Action: 's3:GetObject',
          Resource: 'arn:aws:s3:::public-ish/pub/*',
        },
      ],
    });
    await client.send(new PutBucketPolicyCommand({ Bucket: 'public-ish', Policy: policy }));
    assert.equal((await client.send(new GetBucketPolicyCommand({ Bucket: 'public-ish' }))).Policy, policy);
    const allowed = await send(env.port, 'GET', '/public-ish/pub/a.txt', {});
    assert.equal(allowed.status, 200);
    assert.equal(allowed.body, 'public');
    // A missing key without s3:ListBucket is 403, not 404.
    const missing = await send(env.port, 'GET', '/public-ish/pub/none', {});
    assert.equal(missing.status, 403);
    await rejectsWith(
      client.send(new PutBucketPolicyCommand({ Bucket: 'public-ish', Policy: 'not json' })),
      'MalformedPolicy',
      400,
    );
    await client.send(new DeleteBucketPolicyCommand({ Bucket: 'public-ish' }));
    assert.equal((await send(env.port, 'GET', '/public-ish/pub/a.txt', {})).status, 403);
  });

  test('team-a role sessions read their bucket, are denied team-b, and bucket policies allow and deny', async () => {
    const root = s3(env, env.root);
    for (const bucket of ['team-a', 'team-b']) {
      await root.send(new CreateBucketCommand({ Bucket: bucket }));
      await root.send(new PutObjectCommand({ Bucket: bucket, Key: 'data.txt', Body: bucket }));
      await root.send(new PutObjectCommand({ Bucket: bucket, Key: 'shared/s.txt', Body: 'shared' }));
      await root.send(new PutObjectCommand({ Bucket: bucket, Key: 'secret/x.txt', Body: 'secret' }));
    }
    const session = await roleSession(env, 'team-a', teamPolicy('team-a'));
    const a = s3(env, session);
    const listed = await a.send(new ListObjectsV2Command({ Bucket: 'team-a' }));
    assert.deepEqual(
      listed.Contents?.map((o) => o.Key),
      ['data.txt', 'secret/x.txt', 'shared/s.txt'],
    );
    const got = await a.send(new GetObjectCommand({ Bucket: 'team-a', Key: 'data.txt' }));
    assert.equal(await got.Body?.transformToString(), 'team-a');
    await rejectsWith(a.send(new GetObjectCommand({ Bucket: 'team-a', Key: 'none' })), 'NoSuchKey', 404);
    await rejectsWith(a.send(new ListObjectsV2Command({ Bucket: 'team-b' })), 'AccessDenied', 403);
    await rejectsWith(
      a.send(new GetObjectCommand({ Bucket: 'team-b', Key: 'data.txt' })),
      'AccessDenied',
      403,
    );
    await rejectsWith(a.send(new GetObjectCommand({ Bucket: 'team-b', Key: 'none' })), 'AccessDenied', 403);
    await rejectsWith(a.send(new ListBucketsCommand({})), 'AccessDenied', 403);

    const denied = env.audit
      .recent()
      .find((e) => e.eventSource === 's3.amazonaws.com' && e.errorCode === 'AccessDenied');
    assert.ok(denied !== undefined);
    assert.equal(denied.userIdentity.type, 'AssumedRole');
    assert.equal(denied.openirsa.decision, 'implicitDeny');
    assert.match(denied.openirsa.explanation ?? '', /s3:ListAllMyBuckets/);

    // Same account: a bucket policy naming the role allows on its own.
    const roleArn = `arn:aws:iam::${ACCOUNT}:role/team-a`;
    await root.send(
      new PutBucketPolicyCommand({
        Bucket: 'team-b',
        Policy: JSON.stringify({
          Version: '2012-10-17',
          Statement: [
            {
              Effect: 'Allow',
              Principal: { AWS: roleArn },
              Action: 's3:GetObject',
              Resource: 'arn:aws:s3:::team-b/shared/*',
            },
          ],
        }),
      }),
    );
    const shared = await a.send(new GetObjectCommand({ Bucket: 'team-b', Key: 'shared/s.txt' }));
    assert.equal(await shared.Body?.transformToString(), 'shared');
    await rejectsWith(
      a.send(new GetObjectCommand({ Bucket: 'team-b', Key: 'data.txt' })),
      'AccessDenied',
      403,
    );

    // An explicit deny in the bucket policy beats the role's allow.
    await root.send(
      new PutBucketPolicyCommand({
        Bucket: 'team-a',
        Policy: JSON.stringify({
          Version: '2012-10-17',
          Statement: [
            {
              Effect: 'Deny',
              Principal: '*',
              Action: 's3:GetObject',
              Resource: 'arn:aws:s3:::team-a/secret/*',
            },
          ],
        }),
      }),
    );
    await rejectsWith(
      a.send(new GetObjectCommand({ Bucket: 'team-a', Key: 'secret/x.txt' })),
      'AccessDenied',
      403,
    );
    const last = env.audit.recent(1)[0];
    assert.equal(last?.openirsa.decision, 'explicitDeny');
    assert.equal(
      (await a.send(new GetObjectCommand({ Bucket: 'team-a', Key: 'data.txt' }))).$metadata.httpStatusCode,
      200,
    );
    assert.deepEqual(env.logged, []);
  });

  test('boto3 and the AWS CLI put, get and list', async () => {
    const root = s3(env, env.root);
    await root.send(new CreateBucketCommand({ Bucket: 'python' }));
    const pyEnv = credentialsEnv(env.tmp, env.root, REGION);
    const endpoint = `http://127.0.0.1:${env.port}`;
    const script = `
import boto3, sys
s3 = boto3.client('s3', endpoint_url=sys.argv[1])
s3.put_object(Bucket='python', Key='dir/boto.txt', Body=b'hello boto', Metadata={'k': 'v'})
print(s3.get_object(Bucket='python', Key='dir/boto.txt')['Body'].read().decode())
r = s3.list_objects_v2(Bucket='python', Prefix='dir/', Delimiter='/')
print(','.join(o['Key'] for o in r.get('Contents', [])))
`;
    const boto = await run('python3', ['-c', script, endpoint], { env: pyEnv });
    assert.equal(boto.stdout, 'hello boto\ndir/boto.txt\n');

    const file = join(env.tmp, 'hello.txt');
    await writeFile(file, 'hello cli\n');
    await run(
      'python3',
      ['-m', 'awscli', '--endpoint-url', endpoint, 's3', 'cp', file, 's3://python/cli/hello.txt'],
      { env: pyEnv },
    );
    const ls = await run(
      'python3',
      ['-m', 'awscli', '--endpoint-url', endpoint, 's3', 'ls', 's3://python/cli/'],
      { env: pyEnv },
    );
    assert.match(ls.stdout, /\s10 hello\.txt\n$/);
    const got = await root.send(new GetObjectCommand({ Bucket: 'python', Key: 'cli/hello.txt' }));
    assert.equal(await got.Body?.transformToString(), 'hello cli\n');
    assert.equal(got.ContentType, 'text/plain');
  });
  test('a role session copies, deletes in batches and lists versions: allowed keys work, the rest AccessDenied', async () => {
    const root = s3(env, env.root);
    for (const bucket of ['ops', 'ops-other']) await root.send(new CreateBucketCommand({ Bucket: bucket }));
    for (const key of ['keep.txt', 'tmp/1', 'tmp/2']) {
      await root.send(new PutObjectCommand({ Bucket: 'ops', Key: key, Body: key }));
    }
    await root.send(new PutObjectCommand({ Bucket: 'ops-other', Key: 'x', Body: 'x' }));
    const session = await roleSession(env, 'ops', {
      Version: '2012-10-17',
      Statement: [
        { Effect: 'Allow', Action: ['s3:ListBucket', 's3:ListBucketVersions'], Resource: 'arn:aws:s3:::ops' },
        { Effect: 'Allow', Action: ['s3:GetObject', 's3:PutObject'], Resource: 'arn:aws:s3:::ops/*' },
        { Effect: 'Allow', Action: 's3:DeleteObject', Resource: 'arn:aws:s3:::ops/tmp/*' },
      ],
    });
    const a = s3(env, session);
    const copied = await a.send(
      new CopyObjectCommand({ Bucket: 'ops', Key: 'tmp/a copy+1', CopySource: 'ops/keep.txt' }),
    );
    assert.equal(copied.CopyObjectResult?.ETag, (await env.data.store.objects.get('ops', 'keep.txt'))?.etag);
    const got = await a.send(new GetObjectCommand({ Bucket: 'ops', Key: 'tmp/a copy+1' }));
    assert.equal(await got.Body?.transformToString(), 'keep.txt');
    await rejectsWith(
      a.send(new CopyObjectCommand({ Bucket: 'ops', Key: 'tmp/stolen', CopySource: 'ops-other/x' })),
      'AccessDenied',
      403,
    );
    const versions: string[] = [];
    let markers: { KeyMarker?: string; VersionIdMarker?: string } = {};
    for (;;) {
      const page = await a.send(new ListObjectVersionsCommand({ Bucket: 'ops', MaxKeys: 2, ...markers }));
      versions.push(...(page.Versions ?? []).map((v) => `${v.Key ?? ''}@${v.VersionId ?? ''}`));
      if (page.IsTruncated !== true) break;
      markers = { KeyMarker: page.NextKeyMarker ?? '', VersionIdMarker: page.NextVersionIdMarker ?? '' };
    }
    assert.deepEqual(versions, ['keep.txt@null', 'tmp/1@null', 'tmp/2@null', 'tmp/a copy+1@null']);
    const deleted = await a.send(
      new DeleteObjectsCommand({
        Bucket: 'ops',
        Delete: { Objects: ['tmp/1', 'tmp/2', 'keep.txt'].map((Key) => ({ Key })) },
      }),
    );
    assert.deepEqual(
      deleted.Deleted?.map((d) => d.Key),
      ['tmp/1', 'tmp/2'],
    );
    assert.deepEqual(
      deleted.Errors?.map((e) => [e.Key, e.Code]),
      [['keep.txt', 'AccessDenied']],
    );

    // boto3 with its default checksums: a paginator over versions, then delete_objects of what it found.
    const pyEnv = credentialsEnv(env.tmp, session, REGION);
    const script = `
import boto3, sys
s3 = boto3.client('s3', endpoint_url=sys.argv[1])
s3.copy_object(Bucket='ops', Key='tmp/py', CopySource={'Bucket': 'ops', 'Key': 'keep.txt'})
found = [{'Key': v['Key'], 'VersionId': v['VersionId']}
         for p in s3.get_paginator('list_object_versions').paginate(Bucket='ops', MaxKeys=1)
         for v in p.get('Versions', [])]
r = s3.delete_objects(Bucket='ops', Delete={'Objects': found})
print(','.join(d['Key'] for d in r.get('Deleted', [])))
print(','.join(e['Key'] + ':' + e['Code'] for e in r.get('Errors', [])))
`;
    const boto = await run('python3', ['-c', script, `http://127.0.0.1:${env.port}`], { env: pyEnv });
    assert.equal(boto.stdout, 'tmp/a copy+1,tmp/py\nkeep.txt:AccessDenied\n');
  });
  test('Block Public Access with the JS SDK: BlockPublicPolicy refuses a public policy, RestrictPublicBuckets voids it', async () => {
    const root = s3(env, env.root);
    await root.send(new CreateBucketCommand({ Bucket: 'pab' }));
    await root.send(new PutObjectCommand({ Bucket: 'pab', Key: 'o.txt', Body: 'o' }));
    const settings = (policy: boolean, restrict: boolean) =>
      root.send(
        new PutPublicAccessBlockCommand({
          Bucket: 'pab',
          PublicAccessBlockConfiguration: { BlockPublicPolicy: policy, RestrictPublicBuckets: restrict },
        }),
      );
    const publicPolicy = JSON.stringify({
      Version: '2012-10-17',
      Statement: [
        { Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: 'arn:aws:s3:::pab/*' },
      ],
    });
    await settings(true, false);
    const read = await root.send(new GetPublicAccessBlockCommand({ Bucket: 'pab' }));
    assert.equal(read.PublicAccessBlockConfiguration?.BlockPublicPolicy, true);
    assert.equal(read.PublicAccessBlockConfiguration?.BlockPublicAcls, false);
    await rejectsWith(
      root.send(new PutBucketPolicyCommand({ Bucket: 'pab', Policy: publicPolicy })),
      'AccessDenied',
      403,
    );
    await settings(false, false);
    await root.send(new PutBucketPolicyCommand({ Bucket: 'pab', Policy: publicPolicy }));
    const anonymous = () => send(env.port, 'GET', '/pab/o.txt', { host: `127.0.0.1:${env.port}` });
    assert.equal((await anonymous()).status, 200);
    await settings(false, true);
    assert.equal((await anonymous()).status, 403);
    await root.send(new DeletePublicAccessBlockCommand({ Bucket: 'pab' }));
    assert.equal((await anonymous()).status, 200);
    await rejectsWith(
      root.send(new GetPublicAccessBlockCommand({ Bucket: 'pab' })),
      'NoSuchPublicAccessBlockConfiguration',
      404,
    );
  });
  test('presigned PUT and GET URLs fetched with plain fetch; boto3 download_file in ranges; the AWS CLI as a role session', async () => {
    const root = s3(env, env.root);
    for (const bucket of ['cli-own', 'cli-other'])
      await root.send(new CreateBucketCommand({ Bucket: bucket }));
    const putUrl = await getSignedUrl(root, new PutObjectCommand({ Bucket: 'cli-own', Key: 'pre/put.txt' }), {
      expiresIn: 300,
    });
    const put = await fetch(putUrl, { method: 'PUT', body: 'presigned body' });
    assert.equal(put.status, 200, await put.text());
    const getUrl = await getSignedUrl(root, new GetObjectCommand({ Bucket: 'cli-own', Key: 'pre/put.txt' }), {
      expiresIn: 300,
    });
    const got = await fetch(getUrl);
    assert.equal(await got.text(), 'presigned body');

    const session = await roleSession(env, 'cli', teamPolicy('cli-own'));
    const pyEnv = credentialsEnv(env.tmp, session, REGION);
    const endpoint = `http://127.0.0.1:${env.port}`;
    // 12 MiB generated in the script, read back by s3transfer in 5 MiB ranged GETs, then compared.
    const script = `
import boto3, hashlib, os, sys
from boto3.s3.transfer import TransferConfig
s3 = boto3.client('s3', endpoint_url=sys.argv[1])
data = bytes(range(256)) * (12 * 4096)
s3.put_object(Bucket='cli-own', Key='big.bin', Body=data)
path = os.path.join(sys.argv[2], 'big.out')
config = TransferConfig(multipart_threshold=5 * 1024 * 1024, multipart_chunksize=5 * 1024 * 1024)
s3.download_file('cli-own', 'big.bin', path, Config=config)
with open(path, 'rb') as f:
    print(hashlib.md5(f.read()).hexdigest() == hashlib.md5(data).hexdigest())
os.remove(path)
`;
    const boto = await run('python3', ['-c', script, endpoint, env.tmp], { env: pyEnv });
    assert.equal(boto.stdout, 'True\n');
    const ranged = env.audit.recent().filter((e) => e.eventName === 'GetObject' && e.errorCode === undefined);
    assert.ok(ranged.length >= 3, `ranged GETs: ${ranged.length}`);

    const dir = join(env.tmp, 'sync');
    await mkdir(join(dir, 'sub'), { recursive: true });
    await writeFile(join(dir, 'a.txt'), 'a');
    await writeFile(join(dir, 'sub', 'b.txt'), 'b');
    const cli = (...args: string[]) =>
      run('python3', ['-m', 'awscli', '--endpoint-url', endpoint, 's3', ...args], { env: pyEnv });
    await cli('sync', dir, 's3://cli-own/synced/');
    const ls = await cli('ls', '--recursive', 's3://cli-own/synced/');
    assert.match(ls.stdout, /synced\/a\.txt\n.*synced\/sub\/b\.txt\n$/s);
    await cli('cp', 's3://cli-own/synced/a.txt', 's3://cli-own/copied/a.txt');
    const copied = await root.send(new GetObjectCommand({ Bucket: 'cli-own', Key: 'copied/a.txt' }));
    assert.equal(await copied.Body?.transformToString(), 'a');
    await assert.rejects(cli('cp', join(dir, 'a.txt'), 's3://cli-other/a.txt'), /AccessDenied/);
    await assert.rejects(cli('ls', 's3://cli-other/'), /AccessDenied/);
    await assert.rejects(cli('rm', 's3://cli-own/synced/a.txt'), /AccessDenied/);
    assert.ok(await env.data.store.objects.get('cli-own', 'synced/a.txt'));
  });
});
