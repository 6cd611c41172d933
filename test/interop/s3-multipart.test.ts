/**
 * S3 multipart uploads with real clients against an in-process server on 127.0.0.1: @aws-sdk/lib-storage
 * `Upload` of 50 MiB streamed in 5 MiB parts, 4 at a time, with the SDK's default checksums, then a ranged
 * GetObject across a part boundary and a full read compared by hash; boto3's s3transfer `upload_file` /
 * `download_file` with a low multipart threshold; the AWS CLI v1 `s3 cp` of a 20 MiB file. Every client runs
 * with AWS_EC2_METADATA_DISABLED=true. Afterwards no part blob is left on disk.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { after, before, describe, test } from 'node:test';
import { promisify } from 'node:util';
import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CreateBucketCommand,
  CreateMultipartUploadCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListMultipartUploadsCommand,
  PutBucketPolicyCommand,
  PutObjectCommand,
  S3Client,
  UploadPartCopyCommand,
} from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { blobFiles } from '../../src/s3/testdata/multipart.js';
import { credentialsEnv } from './boto3.js';
import { bootServer, REGION, type Booted } from './support.js';

process.env.AWS_EC2_METADATA_DISABLED = 'true';

const run = promisify(execFile);
const MiB = 1024 * 1024;

/** MiB number `i` of the generated object: the SHA-256 of `i`, repeated. */
function mebibyte(i: number): Buffer {
  const seed = createHash('sha256').update(`mebibyte ${i}`).digest();
  return Buffer.alloc(MiB, seed);
}

/** `count` generated MiB, streamed (never all in memory). */
function generated(count: number): Readable {
  return Readable.from(
    (function* () {
      for (let i = 0; i < count; i++) yield mebibyte(i);
    })(),
  );
}

function generatedHash(count: number): string {
  const hash = createHash('sha256');
  for (let i = 0; i < count; i++) hash.update(mebibyte(i));
  return hash.digest('hex');
}

describe('S3 multipart uploads with real clients', () => {
  let env: Booted;
  let client: S3Client;
  let pyEnv: Record<string, string>;
  before(async () => {
    env = await bootServer();
    client = new S3Client({
      region: REGION,
      endpoint: env.endpoint,
      forcePathStyle: true,
      credentials: env.root,
    });
    await client.send(new CreateBucketCommand({ Bucket: 'multi' }));
    pyEnv = credentialsEnv(env.dir, env.root, REGION);
  });
  after(async () => {
    client.destroy();
    await env.stop();
  });

  test('lib-storage Upload of 50 MiB in 5 MiB parts; a Range across a part boundary; the full read by hash', async () => {
    const upload = new Upload({
      client,
      params: {
        Bucket: 'multi',
        Key: 'big/fifty.bin',
        Body: generated(50),
        ContentType: 'application/x-test',
      },
      partSize: 5 * MiB,
      queueSize: 4,
    });
    const done = await upload.done();
    assert.match(done.ETag ?? '', /^"[0-9a-f]{32}-10"$/);
    const head = await client.send(new HeadObjectCommand({ Bucket: 'multi', Key: 'big/fifty.bin' }));
    assert.equal(head.ContentLength, 50 * MiB);
    assert.equal(head.ContentType, 'application/x-test');
    const start = 5 * MiB - 10;
    const ranged = await client.send(
      new GetObjectCommand({ Bucket: 'multi', Key: 'big/fifty.bin', Range: `bytes=${start}-${start + 19}` }),
    );
    const expected = Buffer.concat([mebibyte(4).subarray(MiB - 10), mebibyte(5).subarray(0, 10)]);
    assert.deepEqual(Buffer.from((await ranged.Body?.transformToByteArray()) ?? []), expected);
    const full = await client.send(new GetObjectCommand({ Bucket: 'multi', Key: 'big/fifty.bin' }));
    const hash = createHash('sha256');
    for await (const chunk of full.Body as Readable) hash.update(chunk as Buffer);
    assert.equal(hash.digest('hex'), generatedHash(50));
    const open = await client.send(new ListMultipartUploadsCommand({ Bucket: 'multi' }));
    assert.equal(open.Uploads, undefined);
  });

  test('boto3 upload_file and download_file in multipart with a low threshold', async () => {
    const source = join(env.dir, 'boto-src.bin');
    const target = join(env.dir, 'boto-dst.bin');
    const data = Buffer.concat([
      ...Array.from({ length: 12 }, (_, i) => mebibyte(7 + i)),
      Buffer.from('odd tail'),
    ]);
    await writeFile(source, data);
    const script = `
import boto3, sys
from boto3.s3.transfer import TransferConfig
s3 = boto3.client('s3', endpoint_url=sys.argv[1])
config = TransferConfig(multipart_threshold=5 * 1024 * 1024, multipart_chunksize=5 * 1024 * 1024, max_concurrency=2)
s3.upload_file(sys.argv[2], 'multi', 'boto/file.bin', Config=config)
print(s3.head_object(Bucket='multi', Key='boto/file.bin')['ETag'])
s3.download_file('multi', 'boto/file.bin', sys.argv[3], Config=config)
`;
    const boto = await run('python3', ['-c', script, env.endpoint, source, target], { env: pyEnv });
    assert.match(boto.stdout, /^"[0-9a-f]{32}-3"\n$/, '12 MiB and 8 bytes in 5 MiB parts');
    assert.deepEqual(await readFile(target), data);
  });

  test('aws s3 cp of a 20 MiB file goes multipart and comes back byte for byte', async () => {
    const source = join(env.dir, 'cli-src.bin');
    const target = join(env.dir, 'cli-dst.bin');
    const data = Buffer.concat(Array.from({ length: 20 }, (_, i) => mebibyte(100 + i)));
    await writeFile(source, data);
    const cli = (...args: string[]) =>
      run('python3', ['-m', 'awscli', '--endpoint-url', env.endpoint, 's3', ...args], { env: pyEnv });
    await cli('cp', source, 's3://multi/cli/twenty.bin');
    const head = await client.send(new HeadObjectCommand({ Bucket: 'multi', Key: 'cli/twenty.bin' }));
    assert.match(head.ETag ?? '', /^"[0-9a-f]{32}-3"$/, 'the CLI uploads 8 MiB parts');
    await cli('cp', 's3://multi/cli/twenty.bin', target);
    assert.deepEqual(await readFile(target), data);
  });

  test('UploadPartCopy: two ranged copies of a 6 MiB source complete to the same bytes; a denied source read', async () => {
    const source = Buffer.concat([
      mebibyte(0),
      mebibyte(1),
      mebibyte(2),
      mebibyte(3),
      mebibyte(4),
      mebibyte(5),
    ]);
    await client.send(new CreateBucketCommand({ Bucket: 'copysrc' }));
    await client.send(new PutObjectCommand({ Bucket: 'copysrc', Key: 'six.bin', Body: source }));
    const { UploadId } = await client.send(
      new CreateMultipartUploadCommand({ Bucket: 'multi', Key: 'copied.bin' }),
    );
    const split = 5 * MiB;
    const ranges = [`bytes=0-${split - 1}`, `bytes=${split}-${source.length - 1}`];
    const parts = [];
    for (const [i, range] of ranges.entries()) {
      const r = await client.send(
        new UploadPartCopyCommand({
          Bucket: 'multi',
          Key: 'copied.bin',
          UploadId,
          PartNumber: i + 1,
          CopySource: 'copysrc/six.bin',
          CopySourceRange: range,
        }),
      );
      assert.match(r.CopyPartResult?.ETag ?? '', /^"[0-9a-f]{32}"$/);
      assert.ok(r.CopyPartResult?.LastModified instanceof Date);
      parts.push({ PartNumber: i + 1, ETag: r.CopyPartResult?.ETag });
    }
    await client.send(
      new CompleteMultipartUploadCommand({
        Bucket: 'multi',
        Key: 'copied.bin',
        UploadId,
        MultipartUpload: { Parts: parts },
      }),
    );
    const got = await client.send(new GetObjectCommand({ Bucket: 'multi', Key: 'copied.bin' }));
    const bytes = Buffer.from((await got.Body?.transformToByteArray()) ?? []);
    assert.equal(bytes.length, source.length);
    assert.ok(bytes.equals(source), 'the completed object is the source, byte for byte');

    // An explicit Deny in the source bucket's policy refuses the source read, even to the root user.
    await client.send(
      new PutBucketPolicyCommand({
        Bucket: 'copysrc',
        Policy: JSON.stringify({
          Version: '2012-10-17',
          Statement: [
            { Effect: 'Deny', Principal: '*', Action: 's3:GetObject', Resource: 'arn:aws:s3:::copysrc/*' },
          ],
        }),
      }),
    );
    const second = await client.send(
      new CreateMultipartUploadCommand({ Bucket: 'multi', Key: 'denied.bin' }),
    );
    await assert.rejects(
      client.send(
        new UploadPartCopyCommand({
          Bucket: 'multi',
          Key: 'denied.bin',
          UploadId: second.UploadId,
          PartNumber: 1,
          CopySource: 'copysrc/six.bin',
        }),
      ),
      (e: Error & { $metadata?: { httpStatusCode?: number } }) =>
        e.name === 'AccessDenied' && e.$metadata?.httpStatusCode === 403,
    );
    await client.send(
      new AbortMultipartUploadCommand({ Bucket: 'multi', Key: 'denied.bin', UploadId: second.UploadId }),
    );
  });

  test('no part blob is left: one blob file per object', async () => {
    const files = blobFiles(join(env.dir, 'objects'));
    assert.equal(files.length, 5, 'three uploads, the copy source and its part copy');
    for (const f of files) assert.equal(await env.store.objects.hasBlob(f), true);
    assert.deepEqual(env.logged, []);
  });
});
