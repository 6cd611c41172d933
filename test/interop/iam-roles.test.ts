/**
 * IAM roles, inline policies and OIDC providers against a booted server, with the real clients:
 * `@aws-sdk/client-iam` and python3 boto3. Every AWS client runs with AWS_EC2_METADATA_DISABLED=true;
 * the server binds 127.0.0.1.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  CreateOpenIDConnectProviderCommand,
  CreateRoleCommand,
  DeleteRoleCommand,
  DeleteRolePolicyCommand,
  GetRoleCommand,
  type IAMClient,
  IAMServiceException,
  ListRolesCommand,
  PutRolePolicyCommand,
} from '@aws-sdk/client-iam';
import { serviceAccountClaims, webIdentityTrust } from '../shared/web-identity-trust.js';
import { hasBoto3, isolatedEnv, runPython } from './boto3.js';
import { iamClient } from './clients.js';
import { ACCOUNT, bootServer, serviceErrorOf, type Booted } from './support.js';

const ISSUER = 'oidc.example.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE';

const trust = webIdentityTrust(
  `arn:aws:iam::${ACCOUNT}:oidc-provider/${ISSUER}`,
  serviceAccountClaims(ISSUER, 'default', 'my-serviceaccount'),
);

const readS3 = JSON.stringify({
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::demo-bucket/*' }],
});

const serviceError = (fn: () => Promise<unknown>) => serviceErrorOf(fn, [IAMServiceException]);

const BOTO3_SCRIPT = `
import json, os, boto3
c = boto3.client('iam', endpoint_url=os.environ['ENDPOINT'], region_name='us-east-1',
    aws_access_key_id=os.environ['AKID'], aws_secret_access_key=os.environ['SECRET'])
out = {}
r = c.create_role(RoleName='boto-role', AssumeRolePolicyDocument=os.environ['TRUST'], Path='/boto/')
out['created'] = {'Arn': r['Role']['Arn'], 'RoleId': r['Role']['RoleId'], 'Max': r['Role']['MaxSessionDuration']}
g = c.get_role(RoleName='boto-role')
out['document'] = g['Role']['AssumeRolePolicyDocument']
out['path'] = g['Role']['Path']
try:
    c.create_role(RoleName='boto-role', AssumeRolePolicyDocument=os.environ['TRUST'])
except c.exceptions.ClientError as e:
    out['duplicate'] = {'Code': e.response['Error']['Code'], 'Message': e.response['Error']['Message'],
        'Status': e.response['ResponseMetadata']['HTTPStatusCode']}
try:
    c.get_role(RoleName='no-such-role')
except c.exceptions.ClientError as e:
    out['missing'] = {'Code': e.response['Error']['Code'], 'Message': e.response['Error']['Message'],
        'Status': e.response['ResponseMetadata']['HTTPStatusCode']}
print(json.dumps(out))
`;

describe('IAM roles over the wire', () => {
  let server: Booted;
  let iam: IAMClient;
  before(async () => {
    process.env.AWS_EC2_METADATA_DISABLED = 'true';
    server = await bootServer();
    iam = iamClient(server, server.root);
  });
  after(async () => {
    iam.destroy();
    await server.stop();
  });

  test('@aws-sdk/client-iam: OIDC provider, IRSA role, inline policy, paging, DeleteConflict, delete', async () => {
    const provider = await iam.send(
      new CreateOpenIDConnectProviderCommand({
        Url: `https://${ISSUER}`,
        ClientIDList: ['sts.amazonaws.com'],
        ThumbprintList: ['9e99a48a9960b14926bb7f3b02e22da2b0ab7280'],
      }),
    );
    assert.equal(provider.OpenIDConnectProviderArn, `arn:aws:iam::${ACCOUNT}:oidc-provider/${ISSUER}`);

    const created = await iam.send(
      new CreateRoleCommand({ RoleName: 'irsa-app', AssumeRolePolicyDocument: trust }),
    );
    assert.equal(created.Role?.Arn, `arn:aws:iam::${ACCOUNT}:role/irsa-app`);
    assert.match(created.Role?.RoleId ?? '', /^AROA[A-Z2-7]{17}$/);
    assert.equal(created.Role?.Path, '/');
    assert.equal(created.Role?.MaxSessionDuration, 3600);
    assert.ok(created.Role?.CreateDate instanceof Date);

    await iam.send(
      new PutRolePolicyCommand({ RoleName: 'irsa-app', PolicyName: 'read', PolicyDocument: readS3 }),
    );

    const got = await iam.send(new GetRoleCommand({ RoleName: 'irsa-app' }));
    assert.deepEqual(
      JSON.parse(decodeURIComponent(got.Role?.AssumeRolePolicyDocument ?? '')),
      JSON.parse(trust),
    );

    for (const name of ['page-a', 'page-b']) {
      await iam.send(new CreateRoleCommand({ RoleName: name, AssumeRolePolicyDocument: trust }));
    }
    const names: string[] = [];
    let marker: string | undefined;
    let pages = 0;
    do {
      const page = await iam.send(
        new ListRolesCommand({ MaxItems: 2, ...(marker ? { Marker: marker } : {}) }),
      );
      names.push(...(page.Roles ?? []).map((r) => r.RoleName ?? ''));
      assert.equal(page.IsTruncated, page.Marker !== undefined);
      marker = page.Marker;
      pages++;
    } while (marker !== undefined);
    assert.equal(pages, 2);
    assert.deepEqual(names, ['irsa-app', 'page-a', 'page-b']);

    const conflict = await serviceError(() => iam.send(new DeleteRoleCommand({ RoleName: 'irsa-app' })));
    assert.equal(conflict.name, 'DeleteConflictException');
    assert.equal(conflict.$metadata.httpStatusCode, 409);
    assert.equal(conflict.message, 'Cannot delete entity, must delete policies first.');

    await iam.send(new DeleteRolePolicyCommand({ RoleName: 'irsa-app', PolicyName: 'read' }));
    await iam.send(new DeleteRoleCommand({ RoleName: 'irsa-app' }));
    const gone = await serviceError(() => iam.send(new GetRoleCommand({ RoleName: 'irsa-app' })));
    assert.equal(gone.name, 'NoSuchEntityException');
  });

  test('@aws-sdk/client-iam: a duplicate role is EntityAlreadyExists 409 "Role with name X already exists."', async () => {
    await iam.send(new CreateRoleCommand({ RoleName: 'dup', AssumeRolePolicyDocument: trust }));
    const e = await serviceError(() =>
      iam.send(new CreateRoleCommand({ RoleName: 'dup', AssumeRolePolicyDocument: trust })),
    );
    assert.equal(e.name, 'EntityAlreadyExistsException');
    assert.equal(e.$metadata.httpStatusCode, 409);
    assert.equal(e.message, 'Role with name dup already exists.');
  });

  test('@aws-sdk/client-iam: a missing role is NoSuchEntity 404 "The role with name X cannot be found."', async () => {
    const e = await serviceError(() => iam.send(new GetRoleCommand({ RoleName: 'nobody' })));
    assert.equal(e.name, 'NoSuchEntityException');
    assert.equal(e.$metadata.httpStatusCode, 404);
    assert.equal(e.message, 'The role with name nobody cannot be found.');
  });

  test('@aws-sdk/client-iam: a trust policy that is not JSON is MalformedPolicyDocument 400', async () => {
    const e = await serviceError(() =>
      iam.send(new CreateRoleCommand({ RoleName: 'bad', AssumeRolePolicyDocument: '{"Version":' })),
    );
    assert.equal(e.name, 'MalformedPolicyDocumentException');
    assert.equal(e.$metadata.httpStatusCode, 400);
    assert.equal(e.message, 'Syntax errors in policy.');
  });

  test('@aws-sdk/client-iam: a RoleName over 64 characters is ValidationError 400', async () => {
    const name = 'r'.repeat(65);
    const e = await serviceError(() =>
      iam.send(new CreateRoleCommand({ RoleName: name, AssumeRolePolicyDocument: trust })),
    );
    assert.equal(e.name, 'ValidationError');
    assert.equal(e.$metadata.httpStatusCode, 400);
    assert.equal(
      e.message,
      `1 validation error detected: Value '${name}' at 'roleName' failed to satisfy constraint: Member must have length less than or equal to 64`,
    );
  });

  test('@aws-sdk/client-iam: an IAM user is authorized by its policies: GetRole allowed, CreateRole AccessDenied 403', async () => {
    const userArn = `arn:aws:iam::${ACCOUNT}:user/reader`;
    await server.store.users.create({
      accountId: ACCOUNT,
      name: 'reader',
      id: 'AIDAREADEREXAMPLE01',
      path: '/',
      arn: userArn,
      createdAt: Date.now(),
    });
    await server.store.users.putPolicy(ACCOUNT, 'reader', {
      name: 'get-roles',
      document: JSON.stringify({
        Version: '2012-10-17',
        Statement: [{ Effect: 'Allow', Action: 'iam:GetRole', Resource: '*' }],
      }),
    });
    const key = {
      accessKeyId: 'AKIAREADEREXAMPLE001',
      secretAccessKey: 'reader-secret-key-for-tests-only-0000000',
    };
    await server.store.accessKeys.create({
      ...key,
      accountId: ACCOUNT,
      userName: 'reader',
      createdAt: Date.now(),
    });
    await iam.send(new CreateRoleCommand({ RoleName: 'readable', AssumeRolePolicyDocument: trust }));
    const reader = iamClient(server, key);
    try {
      const got = await reader.send(new GetRoleCommand({ RoleName: 'readable' }));
      assert.equal(got.Role?.RoleName, 'readable');
      const e = await serviceError(() =>
        reader.send(new CreateRoleCommand({ RoleName: 'not-allowed', AssumeRolePolicyDocument: trust })),
      );
      assert.equal(e.name, 'AccessDenied');
      assert.equal(e.$metadata.httpStatusCode, 403);
      assert.equal(
        e.message,
        `User: ${userArn} is not authorized to perform: iam:CreateRole on resource: arn:aws:iam::${ACCOUNT}:role/not-allowed`,
      );
    } finally {
      reader.destroy();
    }
  });

  test('boto3: create_role and get_role, with the decoded trust policy and the errors of a duplicate and a missing role', async (t) => {
    if (!(await hasBoto3())) {
      t.skip('python3 boto3 is not installed');
      return;
    }
    const stdout = await runPython(
      BOTO3_SCRIPT,
      isolatedEnv(server.dir, {
        ENDPOINT: server.endpoint,
        AKID: server.root.accessKeyId,
        SECRET: server.root.secretAccessKey,
        TRUST: trust,
      }),
    );
    const out = JSON.parse(stdout) as Record<string, Record<string, unknown>>;
    assert.equal(out.created?.Arn, `arn:aws:iam::${ACCOUNT}:role/boto/boto-role`);
    assert.equal(out.created?.Max, 3600);
    // botocore decodes the percent-encoded document into a dict.
    assert.deepEqual(out.document, JSON.parse(trust));
    assert.deepEqual(out.duplicate, {
      Code: 'EntityAlreadyExists',
      Message: 'Role with name boto-role already exists.',
      Status: 409,
    });
    assert.deepEqual(out.missing, {
      Code: 'NoSuchEntity',
      Message: 'The role with name no-such-role cannot be found.',
      Status: 404,
    });
  });
});
