/**
 * Conditional writes and other wire details with real clients against an in-process server on 127.0.0.1:
 * the JS SDK's IfNoneMatch / IfMatch on PutObject and CompleteMultipartUpload (412, 404, 501), and boto3
 * with a non-ASCII metadata value (signed as UTF-8 bytes, answered RFC 2047 encoded), presigned URLs with
 * X-Amz-Expires 0 and -1, and a Transfer-Encoding: chunked body. Every client runs with
 * AWS_EC2_METADATA_DISABLED=true.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { promisify } from 'node:util';
import {
  CompleteMultipartUploadCommand,
  CreateBucketCommand,
  CreateMultipartUploadCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  PutObjectCommand,
  S3ServiceException,
  UploadPartCommand,
} from '@aws-sdk/client-s3';
import { boot, REGION, s3, type Env } from './s3-support.js';

process.env.AWS_EC2_METADATA_DISABLED = 'true';

const run = promisify(execFile);

describe('S3 conditional writes and wire details with real clients', () => {
  let env: Env;
  before(async () => {
    env = await boot();
    await s3(env, env.root).send(new CreateBucketCommand({ Bucket: 'cond' }));
  });
  after(async () => {
    await env.stop();
  });

  test('the JS SDK: If-None-Match * and If-Match on PutObject', async () => {
    const root = s3(env, env.root);
    const first = await root.send(
      new PutObjectCommand({ Bucket: 'cond', Key: 'k', Body: 'one', IfNoneMatch: '*' }),
    );
    await fails(
      root.send(new PutObjectCommand({ Bucket: 'cond', Key: 'k', Body: 'two', IfNoneMatch: '*' })),
      412,
      'PreconditionFailed',
    );
    await fails(
      root.send(
        new PutObjectCommand({ Bucket: 'cond', Key: 'k', Body: 'two', IfNoneMatch: first.ETag ?? '' }),
      ),
      501,
      'NotImplemented',
    );
    await fails(
      root.send(new PutObjectCommand({ Bucket: 'cond', Key: 'k', Body: 'two', IfMatch: '"0123"' })),
      412,
      'PreconditionFailed',
    );
    await root.send(
      new PutObjectCommand({ Bucket: 'cond', Key: 'k', Body: 'three', IfMatch: first.ETag ?? '' }),
    );
    const got = await root.send(new GetObjectCommand({ Bucket: 'cond', Key: 'k' }));
    assert.equal(await got.Body?.transformToString(), 'three');
    await root.send(new DeleteObjectCommand({ Bucket: 'cond', Key: 'k' }));
    await fails(
      root.send(new PutObjectCommand({ Bucket: 'cond', Key: 'k', Body: 'four', IfMatch: first.ETag ?? '' })),
      404,
      'NoSuchKey',
    );
  });

  test('the JS SDK: If-None-Match * on CompleteMultipartUpload', async () => {
    const root = s3(env, env.root);
    const upload = async (key: string) => {
      const created = await root.send(new CreateMultipartUploadCommand({ Bucket: 'cond', Key: key }));
      const part = await root.send(
        new UploadPartCommand({
          Bucket: 'cond',
          Key: key,
          UploadId: created.UploadId,
          PartNumber: 1,
          Body: 'only part',
        }),
      );
      return { UploadId: created.UploadId, MultipartUpload: { Parts: [{ PartNumber: 1, ETag: part.ETag }] } };
    };
    const a = await upload('mp');
    const b = await upload('mp');
    await root.send(
      new CompleteMultipartUploadCommand({ Bucket: 'cond', Key: 'mp', ...a, IfNoneMatch: '*' }),
    );
    await fails(
      root.send(new CompleteMultipartUploadCommand({ Bucket: 'cond', Key: 'mp', ...b, IfNoneMatch: '*' })),
      412,
      'PreconditionFailed',
    );
  });

  test('boto3: UTF-8 metadata, presigned expiry 0 and -1, Transfer-Encoding: chunked', async () => {
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
import sys, urllib.request, urllib.error, boto3
from botocore.config import Config
s3 = boto3.client('s3', endpoint_url=sys.argv[1], config=Config(signature_version='s3v4'))
def meta(params, **kw):
    params['headers']['x-amz-meta-meta1'] = 'Hello World\\u00e9'
s3.meta.events.register('before-call.s3.PutObject', meta)
s3.put_object(Bucket='cond', Key='uni', Body=b'bar')
s3.meta.events.unregister('before-call.s3.PutObject', meta)
print(s3.get_object(Bucket='cond', Key='uni')['Metadata']['meta1'])
for expires in (0, -1):
    url = s3.generate_presigned_url('get_object', Params={'Bucket': 'cond', 'Key': 'uni'}, ExpiresIn=expires)
    try:
        urllib.request.urlopen(url)
    except urllib.error.HTTPError as e:
        body = e.read().decode()
        print(e.code, body.split('<Code>')[1].split('<')[0], body.split('<Message>')[1].split('<')[0])
s3.meta.events.register_first('before-sign.s3.PutObject', lambda request, **kw: request.headers.add_header('Transfer-Encoding', 'chunked'))
try:
    s3.put_object(Bucket='cond', Key='te', Body=b'bar')
except s3.exceptions.ClientError as e:
    print(e.response['ResponseMetadata']['HTTPStatusCode'], e.response['Error']['Code'], e.response['Error'].get('Header'))
`;
    const boto = await run('python3', ['-c', script, `http://127.0.0.1:${env.port}`], { env: pyEnv });
    assert.equal(
      boto.stdout,
      [
        '=?UTF-8?Q?Hello_World=C3=A9?=',
        '403 AccessDenied Request has expired',
        '400 AuthorizationQueryParametersError X-Amz-Expires must be non-negative',
        '501 NotImplemented Transfer-Encoding',
        '',
      ].join('\n'),
    );
    assert.deepEqual(env.logged, []);
  });
});

async function fails(promise: Promise<unknown>, status: number, code: string): Promise<void> {
  await assert.rejects(promise, (e: unknown) => {
    assert.ok(e instanceof S3ServiceException, String(e));
    assert.equal(e.name, code);
    assert.equal(e.$metadata.httpStatusCode, status);
    return true;
  });
}
