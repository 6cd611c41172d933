/**
 * ACLs disabled (Object Ownership BucketOwnerEnforced) with real clients against an in-process server on
 * 127.0.0.1: the JS SDK and boto3 read the owner's FULL_CONTROL grant, set the ACLs S3 still accepts, and
 * get AccessControlListNotSupported for the others; GetBucketOwnershipControls answers
 * BucketOwnerEnforced. Every client runs with AWS_EC2_METADATA_DISABLED=true.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { promisify } from 'node:util';
import {
  CreateBucketCommand,
  GetBucketAclCommand,
  GetBucketOwnershipControlsCommand,
  GetObjectAclCommand,
  ListBucketsCommand,
  PutBucketAclCommand,
  PutObjectAclCommand,
  PutObjectCommand,
  S3ServiceException,
} from '@aws-sdk/client-s3';
import { boot, REGION, s3, type Env } from './s3-support.js';

process.env.AWS_EC2_METADATA_DISABLED = 'true';

const run = promisify(execFile);

describe('S3 ACLs disabled (BucketOwnerEnforced) with real clients', () => {
  let env: Env;
  before(async () => {
    env = await boot();
  });
  after(async () => {
    await env.stop();
  });

  test('the JS SDK reads owner-only ACLs, sets the accepted ones, and is refused the others', async () => {
    const root = s3(env, env.root);
    await root.send(new CreateBucketCommand({ Bucket: 'acl-js', ACL: 'private' }));
    await root.send(
      new PutObjectCommand({ Bucket: 'acl-js', Key: 'k', Body: 'x', ACL: 'bucket-owner-full-control' }),
    );
    const owner = (await root.send(new ListBucketsCommand({}))).Owner?.ID;
    assert.match(owner ?? '', /^[0-9a-f]{64}$/);
    for (const acl of [
      await root.send(new GetBucketAclCommand({ Bucket: 'acl-js' })),
      await root.send(new GetObjectAclCommand({ Bucket: 'acl-js', Key: 'k' })),
    ]) {
      assert.equal(acl.Owner?.ID, owner);
      assert.deepEqual(
        acl.Grants?.map((g) => [g.Grantee?.Type, g.Grantee?.ID, g.Permission]),
        [['CanonicalUser', owner, 'FULL_CONTROL']],
      );
    }
    await root.send(
      new PutBucketAclCommand({
        Bucket: 'acl-js',
        AccessControlPolicy: {
          Owner: { ID: owner },
          Grants: [{ Grantee: { Type: 'CanonicalUser', ID: owner }, Permission: 'FULL_CONTROL' }],
        },
      }),
    );
    await root.send(new PutObjectAclCommand({ Bucket: 'acl-js', Key: 'k', ACL: 'private' }));
    await refused(root.send(new PutBucketAclCommand({ Bucket: 'acl-js', ACL: 'public-read' })));
    await refused(root.send(new PutObjectAclCommand({ Bucket: 'acl-js', Key: 'k', ACL: 'public-read' })));
    await refused(
      root.send(new PutObjectCommand({ Bucket: 'acl-js', Key: 'pub', Body: 'x', ACL: 'public-read' })),
    );
    await assert.rejects(
      root.send(new CreateBucketCommand({ Bucket: 'acl-js-public', ACL: 'public-read-write' })),
      (e: unknown) => e instanceof S3ServiceException && e.name === 'InvalidBucketAclWithObjectOwnership',
    );
    const controls = await root.send(new GetBucketOwnershipControlsCommand({ Bucket: 'acl-js' }));
    assert.deepEqual(controls.OwnershipControls?.Rules, [{ ObjectOwnership: 'BucketOwnerEnforced' }]);
    assert.deepEqual(env.logged, []);
  });

  test('boto3 reads the ACLs and gets AccessControlListNotSupported for a public one', async () => {
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
s3.create_bucket(Bucket='acl-boto')
s3.put_object(Bucket='acl-boto', Key='k', Body=b'x')
owner = s3.list_buckets()['Owner']['ID']
acl = s3.get_object_acl(Bucket='acl-boto', Key='k')
print(acl['Owner']['ID'] == owner, [(g['Grantee']['Type'], g['Grantee']['ID'] == owner, g['Permission']) for g in acl['Grants']])
s3.put_object_acl(Bucket='acl-boto', Key='k', ACL='bucket-owner-full-control')
try:
    s3.put_bucket_acl(Bucket='acl-boto', ACL='public-read')
except s3.exceptions.ClientError as e:
    print(e.response['ResponseMetadata']['HTTPStatusCode'], e.response['Error']['Code'], e.response['Error']['Message'])
print(s3.get_bucket_ownership_controls(Bucket='acl-boto')['OwnershipControls']['Rules'][0]['ObjectOwnership'])
`;
    const boto = await run('python3', ['-c', script, `http://127.0.0.1:${env.port}`], { env: pyEnv });
    assert.equal(
      boto.stdout,
      "True [('CanonicalUser', True, 'FULL_CONTROL')]\n400 AccessControlListNotSupported The bucket does not allow ACLs\nBucketOwnerEnforced\n",
    );
    assert.deepEqual(env.logged, []);
  });
});

async function refused(promise: Promise<unknown>): Promise<void> {
  await assert.rejects(promise, (e: unknown) => {
    assert.ok(e instanceof S3ServiceException, String(e));
    assert.equal(e.name, 'AccessControlListNotSupported');
    assert.equal(e.message, 'The bucket does not allow ACLs');
    assert.equal(e.$metadata.httpStatusCode, 400);
    return true;
  });
}
