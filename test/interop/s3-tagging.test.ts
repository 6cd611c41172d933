/**
 * S3 object tagging with real clients against an in-process server on 127.0.0.1: the JS SDK puts an object
 * with tags and reads them back, and a role session from AssumeRoleWithWebIdentity whose policy allows
 * tagging only through `s3:ExistingObjectTag/team` is allowed on a blue object and denied on a red one;
 * boto3 reads the tag count. Every client runs with AWS_EC2_METADATA_DISABLED=true.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { after, before, describe, test } from 'node:test';
import { promisify } from 'node:util';
import {
  CreateBucketCommand,
  GetObjectTaggingCommand,
  HeadObjectCommand,
  PutObjectCommand,
  PutObjectTaggingCommand,
  DeleteObjectTaggingCommand,
  S3ServiceException,
} from '@aws-sdk/client-s3';
import { credentialsEnv } from './boto3.js';
import { boot, REGION, roleSession, s3, type Env } from './s3-support.js';

process.env.AWS_EC2_METADATA_DISABLED = 'true';

const run = promisify(execFile);

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

    const pyEnv = credentialsEnv(env.tmp, env.root, REGION);
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
