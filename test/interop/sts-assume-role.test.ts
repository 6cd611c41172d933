/**
 * STS AssumeRole, role chaining, session tags and GetSessionToken against a booted server, with the real
 * clients: `@aws-sdk/client-sts`, `@aws-sdk/credential-providers` (`fromTemporaryCredentials`, chained),
 * `@aws-sdk/client-iam` for a later call whose policy reads `aws:PrincipalTag`, and python3 boto3.
 * Every AWS client runs with AWS_EC2_METADATA_DISABLED=true against 127.0.0.1.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { after, before, describe, test } from 'node:test';
import { promisify } from 'node:util';
import { GetRoleCommand, IAMClient } from '@aws-sdk/client-iam';
import {
  AssumeRoleCommand,
  GetCallerIdentityCommand,
  GetSessionTokenCommand,
  STSClient,
} from '@aws-sdk/client-sts';
import { fromTemporaryCredentials } from '@aws-sdk/credential-providers';
import { ACCOUNT, REGION, bootServer, type Booted, type Credentials } from './support.js';

process.env.AWS_EC2_METADATA_DISABLED = 'true';

const run = promisify(execFile);
const USER_ARN = `arn:aws:iam::${ACCOUNT}:user/alice`;
const ALICE = {
  accessKeyId: 'AKIAALICEEXAMPLE0001',
  secretAccessKey: 'alice-secret-key-for-interop-tests-00001',
};
const roleArn = (name: string) => `arn:aws:iam::${ACCOUNT}:role/${name}`;

const trust = (principal: string, actions: string[], condition?: unknown) =>
  JSON.stringify({
    Version: '2012-10-17',
    Statement: [
      {
        Effect: 'Allow',
        Principal: { AWS: principal },
        Action: actions,
        ...(condition !== undefined ? { Condition: condition } : {}),
      },
    ],
  });

/** The role's own permissions: GetRole only for sessions tagged team=blue, and assuming `second`. */
const TAGGED_PERMISSIONS = JSON.stringify({
  Version: '2012-10-17',
  Statement: [
    {
      Effect: 'Allow',
      Action: 'iam:GetRole',
      Resource: '*',
      Condition: { StringEquals: { 'aws:PrincipalTag/team': 'blue' } },
    },
    { Effect: 'Allow', Action: ['sts:AssumeRole', 'sts:TagSession'], Resource: roleArn('second') },
  ],
});

async function seed(server: Booted): Promise<void> {
  const { store } = server;
  await store.users.create({
    accountId: ACCOUNT,
    name: 'alice',
    id: 'AIDAALICEEXAMPLE00001',
    path: '/',
    arn: USER_ARN,
    createdAt: Date.now(),
  });
  await store.accessKeys.create({ ...ALICE, accountId: ACCOUNT, userName: 'alice', createdAt: Date.now() });
  let n = 0;
  const role = (name: string, trustPolicy: string, maxSessionDuration = 3600) =>
    store.roles.create({
      accountId: ACCOUNT,
      name,
      id: `AROAINTEROP${String(++n).padStart(10, '0')}`,
      path: '/',
      arn: roleArn(name),
      trustPolicy,
      maxSessionDuration,
      createdAt: Date.now(),
    });
  await role('direct', trust(USER_ARN, ['sts:AssumeRole', 'sts:TagSession']), 43200);
  await store.roles.putPolicy(ACCOUNT, 'direct', { name: 'tagged', document: TAGGED_PERMISSIONS });
  await role('delegated', trust(ACCOUNT, ['sts:AssumeRole']));
  await role(
    'external',
    trust(USER_ARN, ['sts:AssumeRole'], { StringEquals: { 'sts:ExternalId': 'partner-7f3a' } }),
  );
  await role('second', trust(roleArn('direct'), ['sts:AssumeRole', 'sts:TagSession']), 43200);
  await store.roles.putPolicy(ACCOUNT, 'second', { name: 'tagged', document: TAGGED_PERMISSIONS });
}

function sts(server: Booted, credentials: Credentials): STSClient {
  return new STSClient({ region: REGION, endpoint: server.endpoint, credentials, maxAttempts: 1 });
}

function iam(server: Booted, credentials: Credentials): IAMClient {
  return new IAMClient({ region: REGION, endpoint: server.endpoint, credentials, maxAttempts: 1 });
}

function sessionCredentials(out: {
  Credentials?: { AccessKeyId?: string; SecretAccessKey?: string; SessionToken?: string };
}): Credentials {
  return {
    accessKeyId: out.Credentials?.AccessKeyId ?? '',
    secretAccessKey: out.Credentials?.SecretAccessKey ?? '',
    sessionToken: out.Credentials?.SessionToken ?? '',
  };
}

/** Runs `fn`, which must fail with a service error; returns its name, message and status. */
async function failure(
  fn: () => Promise<unknown>,
): Promise<{ name: string; message: string; status?: number }> {
  try {
    await fn();
  } catch (e) {
    const err = e as Error & { $metadata?: { httpStatusCode?: number } };
    return { name: err.name, message: err.message, status: err.$metadata?.httpStatusCode };
  }
  assert.fail('the call succeeded');
}

describe('STS AssumeRole and GetSessionToken over the wire', () => {
  let server: Booted;
  before(async () => {
    server = await bootServer();
    await seed(server);
  });
  after(async () => {
    await server.stop();
  });

  test('a trust policy naming the user ARN suffices; the credentials answer GetCallerIdentity', async () => {
    const out = await sts(server, ALICE).send(
      new AssumeRoleCommand({
        RoleArn: roleArn('direct'),
        RoleSessionName: 'js-direct',
        DurationSeconds: 7200,
      }),
    );
    assert.equal(out.AssumedRoleUser?.Arn, `arn:aws:sts::${ACCOUNT}:assumed-role/direct/js-direct`);
    assert.ok(out.Credentials?.AccessKeyId?.startsWith('ASIA'));
    assert.ok(out.Credentials?.Expiration instanceof Date);
    const who = await sts(server, sessionCredentials(out)).send(new GetCallerIdentityCommand({}));
    assert.equal(who.Arn, `arn:aws:sts::${ACCOUNT}:assumed-role/direct/js-direct`);
    assert.match(who.UserId ?? '', /^AROAINTEROP\d+:js-direct$/);
  });

  test('a trust policy naming the account needs an identity policy too', async () => {
    const denied = await failure(() =>
      sts(server, ALICE).send(
        new AssumeRoleCommand({ RoleArn: roleArn('delegated'), RoleSessionName: 's1' }),
      ),
    );
    assert.deepEqual(denied, {
      name: 'AccessDenied',
      message: `User: ${USER_ARN} is not authorized to perform: sts:AssumeRole on resource: ${roleArn('delegated')}`,
      status: 403,
    });
    const event = server.audit
      .recent()
      .find((e) => e.eventName === 'AssumeRole' && e.errorCode === 'AccessDenied');
    assert.equal(event?.openirsa.authorizations[0]?.reason, 'noIdentityAllow');
    await server.store.users.putPolicy(ACCOUNT, 'alice', {
      name: 'assume-delegated',
      document: JSON.stringify({
        Version: '2012-10-17',
        Statement: [{ Effect: 'Allow', Action: 'sts:AssumeRole', Resource: roleArn('delegated') }],
      }),
    });
    const out = await sts(server, ALICE).send(
      new AssumeRoleCommand({ RoleArn: roleArn('delegated'), RoleSessionName: 's1' }),
    );
    assert.equal(out.AssumedRoleUser?.Arn, `arn:aws:sts::${ACCOUNT}:assumed-role/delegated/s1`);
  });

  test('ExternalId is matched by sts:ExternalId in the trust policy', async () => {
    const client = sts(server, ALICE);
    const wrong = await failure(() =>
      client.send(
        new AssumeRoleCommand({ RoleArn: roleArn('external'), RoleSessionName: 's1', ExternalId: 'guess' }),
      ),
    );
    assert.equal(wrong.name, 'AccessDenied');
    const out = await client.send(
      new AssumeRoleCommand({
        RoleArn: roleArn('external'),
        RoleSessionName: 's1',
        ExternalId: 'partner-7f3a',
      }),
    );
    assert.ok(out.Credentials?.SessionToken);
  });

  test('session tags become aws:PrincipalTag in a later IAM call', async () => {
    const assume = (team: string) =>
      sts(server, ALICE).send(
        new AssumeRoleCommand({
          RoleArn: roleArn('direct'),
          RoleSessionName: `team-${team}`,
          Tags: [{ Key: 'team', Value: team }],
        }),
      );
    const blue = await assume('blue');
    assert.ok((blue.PackedPolicySize ?? 0) > 0);
    const role = await iam(server, sessionCredentials(blue)).send(
      new GetRoleCommand({ RoleName: 'external' }),
    );
    assert.equal(role.Role?.Arn, roleArn('external'));
    const red = await assume('red');
    const denied = await failure(() =>
      iam(server, sessionCredentials(red)).send(new GetRoleCommand({ RoleName: 'external' })),
    );
    assert.equal(denied.name, 'AccessDenied');
    assert.equal(denied.status, 403);
    assert.match(denied.message, /assumed-role\/direct\/team-red is not authorized to perform: iam:GetRole/);
  });

  test('tags need sts:TagSession in the trust policy', async () => {
    const denied = await failure(() =>
      sts(server, ALICE).send(
        new AssumeRoleCommand({
          RoleArn: roleArn('external'),
          RoleSessionName: 's1',
          ExternalId: 'partner-7f3a',
          Tags: [{ Key: 'team', Value: 'blue' }],
        }),
      ),
    );
    assert.equal(
      denied.message,
      `User: ${USER_ARN} is not authorized to perform: sts:TagSession on resource: ${roleArn('external')}`,
    );
  });

  test('fromTemporaryCredentials chained: transitive tags carry over, and chaining is capped at one hour', async () => {
    const clientConfig = { region: REGION, endpoint: server.endpoint, maxAttempts: 1 };
    const first = fromTemporaryCredentials({
      masterCredentials: ALICE,
      params: {
        RoleArn: roleArn('direct'),
        RoleSessionName: 'hop1',
        Tags: [{ Key: 'team', Value: 'blue' }],
        TransitiveTagKeys: ['team'],
      },
      clientConfig,
    });
    const second = fromTemporaryCredentials({
      masterCredentials: first,
      params: { RoleArn: roleArn('second'), RoleSessionName: 'hop2' },
      clientConfig,
    });
    const creds = await second();
    const who = await sts(server, creds).send(new GetCallerIdentityCommand({}));
    assert.equal(who.Arn, `arn:aws:sts::${ACCOUNT}:assumed-role/second/hop2`);
    // The transitive tag reached the second session: its PrincipalTag condition holds.
    const role = await iam(server, creds).send(new GetRoleCommand({ RoleName: 'direct' }));
    assert.equal(role.Role?.RoleName, 'direct');
    const tooLong = fromTemporaryCredentials({
      masterCredentials: first,
      params: { RoleArn: roleArn('second'), RoleSessionName: 'hop2', DurationSeconds: 7200 },
      clientConfig,
    });
    const error = await failure(() => tooLong());
    assert.equal(error.name, 'ValidationError');
    assert.equal(
      error.message,
      'The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role chaining.',
    );
  });

  test('GetSessionToken: the session acts as the user, cannot call IAM, and cannot call GetSessionToken', async () => {
    const out = await sts(server, ALICE).send(new GetSessionTokenCommand({ DurationSeconds: 900 }));
    const session = sessionCredentials(out);
    assert.ok(session.accessKeyId.startsWith('ASIA'));
    const who = await sts(server, session).send(new GetCallerIdentityCommand({}));
    assert.equal(who.Arn, USER_ARN);
    assert.equal(who.UserId, 'AIDAALICEEXAMPLE00001');
    const again = await failure(() => sts(server, session).send(new GetSessionTokenCommand({})));
    assert.deepEqual(again, {
      name: 'AccessDenied',
      message: 'Cannot call GetSessionToken with session credentials',
      status: 403,
    });
    const viaIam = await failure(() => iam(server, session).send(new GetRoleCommand({ RoleName: 'direct' })));
    assert.equal(viaIam.name, 'InvalidClientTokenId');
    assert.equal(viaIam.status, 403);
    // The user's own permissions: the trust policy naming the user lets the session assume the role.
    const assumed = await sts(server, session).send(
      new AssumeRoleCommand({ RoleArn: roleArn('direct'), RoleSessionName: 'from-session' }),
    );
    assert.equal(assumed.AssumedRoleUser?.Arn, `arn:aws:sts::${ACCOUNT}:assumed-role/direct/from-session`);
  });

  test('boto3 assume_role with tags, then get_caller_identity and iam get_role with the result', async (t) => {
    const hasBoto3 = await run('python3', ['-c', 'import boto3']).then(
      () => true,
      () => false,
    );
    if (!hasBoto3) {
      t.skip('python3 boto3 is not installed');
      return;
    }
    const script = `
import json, os, boto3
from botocore.config import Config
kw = dict(endpoint_url=os.environ['ENDPOINT'], region_name='us-east-1')
s = boto3.client('sts', aws_access_key_id=os.environ['AKID'], aws_secret_access_key=os.environ['SECRET'], **kw)
r = s.assume_role(RoleArn=os.environ['ROLE'], RoleSessionName='boto3-session', DurationSeconds=3600,
    Tags=[{'Key': 'team', 'Value': 'blue'}])
k = r['Credentials']
creds = dict(aws_access_key_id=k['AccessKeyId'], aws_secret_access_key=k['SecretAccessKey'],
    aws_session_token=k['SessionToken'])
who = boto3.client('sts', **creds, **kw).get_caller_identity()
role = boto3.client('iam', **creds, **kw).get_role(RoleName='direct')
unchecked = boto3.client('sts', aws_access_key_id=os.environ['AKID'], aws_secret_access_key=os.environ['SECRET'],
    config=Config(parameter_validation=False), **kw)
try:
    unchecked.assume_role(RoleArn=os.environ['ROLE'], RoleSessionName='x', DurationSeconds=60)
    bad = None
except unchecked.exceptions.ClientError as e:
    bad = e.response['Error']['Code']
print(json.dumps({'Assumed': r['AssumedRoleUser']['Arn'], 'Packed': r.get('PackedPolicySize'),
    'Arn': who['Arn'], 'RoleName': role['Role']['RoleName'], 'Bad': bad}))
`;
    const { stdout } = await run('python3', ['-c', script], {
      env: {
        PATH: process.env.PATH ?? '/usr/bin:/bin',
        HOME: server.dir,
        AWS_EC2_METADATA_DISABLED: 'true',
        AWS_CONFIG_FILE: '/dev/null',
        AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
        ENDPOINT: server.endpoint,
        ROLE: roleArn('direct'),
        AKID: ALICE.accessKeyId,
        SECRET: ALICE.secretAccessKey,
      },
    });
    const out = JSON.parse(stdout) as Record<string, unknown>;
    assert.equal(out.Assumed, `arn:aws:sts::${ACCOUNT}:assumed-role/direct/boto3-session`);
    assert.equal(out.Arn, out.Assumed);
    assert.equal(typeof out.Packed, 'number');
    assert.equal(out.RoleName, 'direct');
    assert.equal(out.Bad, 'ValidationError');
  });
});
