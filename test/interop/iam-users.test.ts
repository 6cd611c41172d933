/**
 * IAM users and their access keys against a booted server, with the real clients: `@aws-sdk/client-iam`,
 * `@aws-sdk/client-sts` and python3 boto3. The root creates a user, a key and a policy; the user's key
 * then signs requests that are authorized with the user's own policies and boundary. Every AWS client
 * runs with AWS_EC2_METADATA_DISABLED=true; the server binds 127.0.0.1.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  AttachUserPolicyCommand,
  CreateAccessKeyCommand,
  CreatePolicyCommand,
  CreateRoleCommand,
  CreateUserCommand,
  DeleteAccessKeyCommand,
  DeleteUserCommand,
  DeleteUserPermissionsBoundaryCommand,
  DetachUserPolicyCommand,
  GetUserCommand,
  type IAMClient,
  IAMServiceException,
  ListAccessKeysCommand,
  ListUsersCommand,
  PutUserPermissionsBoundaryCommand,
  PutUserPolicyCommand,
  UpdateAccessKeyCommand,
} from '@aws-sdk/client-iam';
import { GetCallerIdentityCommand, STSClient, STSServiceException } from '@aws-sdk/client-sts';
import { iamClient } from './clients.js';
import { ACCOUNT, REGION, bootServer, type Booted, type Credentials, serviceErrorOf } from './support.js';
import { hasBoto3, isolatedEnv, runPython } from './boto3.js';

const USER_ARN = `arn:aws:iam::${ACCOUNT}:user/team/dev`;

const trust = JSON.stringify({
  Version: '2012-10-17',
  Statement: [
    {
      Effect: 'Allow',
      Principal: { Federated: `arn:aws:iam::${ACCOUNT}:oidc-provider/oidc.example.com/id/ABC` },
      Action: 'sts:AssumeRoleWithWebIdentity',
    },
  ],
});

/** What the user may do: read itself and its keys, create roles. Not: list users, create keys. */
const selfPolicy = JSON.stringify({
  Version: '2012-10-17',
  Statement: [
    {
      Effect: 'Allow',
      Action: ['iam:GetUser', 'iam:ListAccessKeys'],
      Resource: `arn:aws:iam::${ACCOUNT}:user/team/\${aws:username}`,
    },
    { Effect: 'Allow', Action: 'iam:CreateRole', Resource: `arn:aws:iam::${ACCOUNT}:role/*` },
  ],
});

/** Self-service keys, for the user's own ARN only. */
const ownKeysPolicy = JSON.stringify({
  Version: '2012-10-17',
  Statement: [
    {
      Effect: 'Allow',
      Action: 'iam:CreateAccessKey',
      Resource: `arn:aws:iam::${ACCOUNT}:user/team/\${aws:username}`,
    },
  ],
});

/** The boundary: everything but role creation. */
const boundaryPolicy = JSON.stringify({
  Version: '2012-10-17',
  Statement: [
    { Effect: 'Allow', Action: ['iam:GetUser', 'iam:ListAccessKeys', 'iam:CreateAccessKey'], Resource: '*' },
  ],
});

const serviceError = (fn: () => Promise<unknown>) =>
  serviceErrorOf(fn, [IAMServiceException, STSServiceException]);

function denied(action: string, resource: string): string {
  return `User: ${USER_ARN} is not authorized to perform: ${action} on resource: ${resource}`;
}

const BOTO3_SCRIPT = `
import json, os, boto3
kw = dict(endpoint_url=os.environ['ENDPOINT'], region_name='us-east-1',
    aws_access_key_id=os.environ['AKID'], aws_secret_access_key=os.environ['SECRET'])
out = {}
out['identity'] = boto3.client('sts', **kw).get_caller_identity()['Arn']
iam = boto3.client('iam', **kw)
u = iam.get_user()['User']
out['user'] = {'UserName': u['UserName'], 'Path': u['Path'], 'Arn': u['Arn'], 'UserId': u['UserId']}
out['keys'] = [k['Status'] for k in iam.list_access_keys()['AccessKeyMetadata']]
try:
    iam.list_users()
except iam.exceptions.ClientError as e:
    out['denied'] = {'Code': e.response['Error']['Code'], 'Message': e.response['Error']['Message'],
        'Status': e.response['ResponseMetadata']['HTTPStatusCode']}
print(json.dumps(out))
`;

describe('IAM users over the wire', () => {
  let server: Booted;
  let iam: IAMClient;
  const clients: { destroy(): void }[] = [];
  const iamAs = (credentials: Credentials) => {
    const c = iamClient(server, credentials);
    clients.push(c);
    return c;
  };
  const stsAs = (credentials: Credentials) => {
    const c = new STSClient({ endpoint: server.endpoint, region: REGION, credentials, maxAttempts: 1 });
    clients.push(c);
    return c;
  };
  const keyOf = (out: { AccessKey?: { AccessKeyId?: string; SecretAccessKey?: string } }): Credentials => ({
    accessKeyId: out.AccessKey?.AccessKeyId ?? '',
    secretAccessKey: out.AccessKey?.SecretAccessKey ?? '',
  });

  before(async () => {
    process.env.AWS_EC2_METADATA_DISABLED = 'true';
    server = await bootServer();
    iam = iamAs(server.root);
  });
  after(async () => {
    for (const c of clients) c.destroy();
    await server.stop();
  });

  test('@aws-sdk: a user with a key and a policy is allowed what the policy allows, denied the rest, bounded, and its inactive key rejected', async () => {
    const created = await iam.send(new CreateUserCommand({ UserName: 'dev', Path: '/team/' }));
    assert.equal(created.User?.Arn, USER_ARN);
    assert.match(created.User?.UserId ?? '', /^AIDA[A-Z2-7]{17}$/);
    assert.ok(created.User?.CreateDate instanceof Date);
    const first = keyOf(await iam.send(new CreateAccessKeyCommand({ UserName: 'dev' })));
    assert.match(first.accessKeyId, /^AKIA[A-Z2-7]{16}$/);
    assert.equal(first.secretAccessKey.length, 40);
    await iam.send(
      new PutUserPolicyCommand({ UserName: 'dev', PolicyName: 'self', PolicyDocument: selfPolicy }),
    );

    // The key works, as the user.
    const identity = await stsAs(first).send(new GetCallerIdentityCommand({}));
    assert.equal(identity.Arn, USER_ARN);
    assert.equal(identity.UserId, created.User?.UserId);
    assert.equal(identity.Account, ACCOUNT);

    // Allowed: what the policy names, through ${aws:username}.
    const dev = iamAs(first);
    const self = await dev.send(new GetUserCommand({}));
    assert.equal(self.User?.UserName, 'dev');
    assert.equal(self.User?.Path, '/team/');
    const keys = await dev.send(new ListAccessKeysCommand({}));
    assert.deepEqual(
      keys.AccessKeyMetadata?.map((k) => [k.AccessKeyId, k.Status]),
      [[first.accessKeyId, 'Active']],
    );
    await dev.send(new CreateRoleCommand({ RoleName: 'made-by-dev', AssumeRolePolicyDocument: trust }));

    // Denied: everything else, with the user's ARN in AWS's message.
    const list = await serviceError(() => dev.send(new ListUsersCommand({})));
    assert.equal(list.name, 'AccessDenied');
    assert.equal(list.$metadata.httpStatusCode, 403);
    assert.equal(list.message, denied('iam:ListUsers', `arn:aws:iam::${ACCOUNT}:user/`));
    const other = await serviceError(() => dev.send(new GetUserCommand({ UserName: 'someone' })));
    assert.equal(other.message, denied('iam:GetUser', `arn:aws:iam::${ACCOUNT}:user/someone`));

    // Self-service keys only once a policy allows them.
    const noKey = await serviceError(() => dev.send(new CreateAccessKeyCommand({})));
    assert.equal(noKey.name, 'AccessDenied');
    assert.equal(noKey.message, denied('iam:CreateAccessKey', USER_ARN));
    await iam.send(
      new PutUserPolicyCommand({ UserName: 'dev', PolicyName: 'own-keys', PolicyDocument: ownKeysPolicy }),
    );
    const second = keyOf(await dev.send(new CreateAccessKeyCommand({})));
    assert.equal((await stsAs(second).send(new GetCallerIdentityCommand({}))).Arn, USER_ARN);
    const third = await serviceError(() => dev.send(new CreateAccessKeyCommand({})));
    assert.equal(third.name, 'LimitExceededException');
    assert.equal(third.$metadata.httpStatusCode, 409);
    assert.equal(third.message, 'Cannot exceed quota for AccessKeysPerUser: 2');

    // A boundary limits what the policies allow: CreateRole is no longer allowed.
    const boundary = await iam.send(
      new CreatePolicyCommand({ PolicyName: 'dev-boundary', PolicyDocument: boundaryPolicy }),
    );
    const boundaryArn = boundary.Policy?.Arn ?? '';
    await iam.send(
      new PutUserPermissionsBoundaryCommand({ UserName: 'dev', PermissionsBoundary: boundaryArn }),
    );
    assert.equal(
      (await dev.send(new GetUserCommand({}))).User?.PermissionsBoundary?.PermissionsBoundaryArn,
      boundaryArn,
    );
    const bounded = await serviceError(() =>
      dev.send(new CreateRoleCommand({ RoleName: 'not-any-more', AssumeRolePolicyDocument: trust })),
    );
    assert.equal(bounded.name, 'AccessDenied');
    assert.equal(bounded.message, denied('iam:CreateRole', `arn:aws:iam::${ACCOUNT}:role/not-any-more`));
    await iam.send(new DeleteUserPermissionsBoundaryCommand({ UserName: 'dev' }));
    await dev.send(new CreateRoleCommand({ RoleName: 'again', AssumeRolePolicyDocument: trust }));

    // An attached managed policy counts too: ListUsers is allowed while it is attached, denied after.
    const listing = await iam.send(
      new CreatePolicyCommand({
        PolicyName: 'list-users',
        PolicyDocument: JSON.stringify({
          Version: '2012-10-17',
          Statement: [{ Effect: 'Allow', Action: 'iam:ListUsers', Resource: '*' }],
        }),
      }),
    );
    const listingArn = listing.Policy?.Arn ?? '';
    await iam.send(new AttachUserPolicyCommand({ UserName: 'dev', PolicyArn: listingArn }));
    const users = await dev.send(new ListUsersCommand({}));
    assert.deepEqual(
      users.Users?.map((u) => u.Arn),
      [USER_ARN],
    );
    await iam.send(new DetachUserPolicyCommand({ UserName: 'dev', PolicyArn: listingArn }));
    assert.equal((await serviceError(() => dev.send(new ListUsersCommand({})))).name, 'AccessDenied');

    // An inactive key no longer authenticates; active again, it does.
    await iam.send(
      new UpdateAccessKeyCommand({ UserName: 'dev', AccessKeyId: first.accessKeyId, Status: 'Inactive' }),
    );
    for (const call of [
      () => stsAs(first).send(new GetCallerIdentityCommand({})),
      () => dev.send(new GetUserCommand({})),
    ]) {
      const e = await serviceError(call);
      assert.equal(e.name, 'InvalidClientTokenId');
      assert.equal(e.$metadata.httpStatusCode, 403);
      assert.equal(e.message, 'The security token included in the request is invalid.');
    }
    await iam.send(
      new UpdateAccessKeyCommand({ UserName: 'dev', AccessKeyId: first.accessKeyId, Status: 'Active' }),
    );
    assert.equal((await dev.send(new GetUserCommand({}))).User?.UserName, 'dev');

    // A deleted key is an unknown key; the user cannot be deleted while it has keys or policies.
    await iam.send(new DeleteAccessKeyCommand({ UserName: 'dev', AccessKeyId: first.accessKeyId }));
    const gone = await serviceError(() => stsAs(first).send(new GetCallerIdentityCommand({})));
    assert.equal(gone.name, 'InvalidClientTokenId');
    const conflict = await serviceError(() => iam.send(new DeleteUserCommand({ UserName: 'dev' })));
    assert.equal(conflict.name, 'DeleteConflictException');
    assert.equal(conflict.$metadata.httpStatusCode, 409);
    assert.equal(conflict.message, 'Cannot delete entity, must delete access keys first.');
  });

  test('@aws-sdk: GetUser with root credentials and no UserName answers the root user', async () => {
    const out = await iam.send(new GetUserCommand({}));
    assert.equal(out.User?.Arn, `arn:aws:iam::${ACCOUNT}:root`);
    assert.equal(out.User?.UserId, ACCOUNT);
    assert.equal(out.User?.UserName, undefined);
    assert.ok(out.User?.CreateDate instanceof Date);
  });

  test('@aws-sdk: a missing user is NoSuchEntity 404 "The user with name X cannot be found."', async () => {
    const e = await serviceError(() => iam.send(new GetUserCommand({ UserName: 'nobody' })));
    assert.equal(e.name, 'NoSuchEntityException');
    assert.equal(e.$metadata.httpStatusCode, 404);
    assert.equal(e.message, 'The user with name nobody cannot be found.');
  });

  test('boto3: a user key signs STS and IAM calls; the XML parses and AccessDenied names the user', async (t) => {
    if (!(await hasBoto3())) {
      t.skip('python3 boto3 is not installed');
      return;
    }
    await iam.send(new CreateUserCommand({ UserName: 'boto', Path: '/team/' }));
    await iam.send(
      new PutUserPolicyCommand({ UserName: 'boto', PolicyName: 'self', PolicyDocument: selfPolicy }),
    );
    const key = keyOf(await iam.send(new CreateAccessKeyCommand({ UserName: 'boto' })));
    const stdout = await runPython(
      BOTO3_SCRIPT,
      isolatedEnv(server.dir, {
        ENDPOINT: server.endpoint,
        AKID: key.accessKeyId,
        SECRET: key.secretAccessKey,
      }),
    );
    const out = JSON.parse(stdout) as {
      identity: string;
      user: Record<string, string>;
      keys: string[];
      denied: Record<string, unknown>;
    };
    const arn = `arn:aws:iam::${ACCOUNT}:user/team/boto`;
    assert.equal(out.identity, arn);
    assert.equal(out.user.UserName, 'boto');
    assert.equal(out.user.Path, '/team/');
    assert.equal(out.user.Arn, arn);
    assert.match(out.user.UserId ?? '', /^AIDA/);
    assert.deepEqual(out.keys, ['Active']);
    assert.deepEqual(out.denied, {
      Code: 'AccessDenied',
      Message: `User: ${arn} is not authorized to perform: iam:ListUsers on resource: arn:aws:iam::${ACCOUNT}:user/`,
      Status: 403,
    });
  });
});
