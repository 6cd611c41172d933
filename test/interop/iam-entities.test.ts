/**
 * IAM role tags and boundaries, OIDC provider client ids, thumbprints and tags, and managed policy
 * versions, against a booted server with the real clients (`@aws-sdk/client-iam`, `@aws-sdk/client-sts`,
 * python3 boto3). The policy-version lifecycle is proven on a real role session: a token of the built-in
 * issuer, STS AssumeRoleWithWebIdentity, then IAM calls with the session's credentials, which the
 * server authorizes with the default version of the role's attached policy. Every AWS client runs with
 * AWS_EC2_METADATA_DISABLED=true against 127.0.0.1.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  AddClientIDToOpenIDConnectProviderCommand,
  AttachRolePolicyCommand,
  CreateOpenIDConnectProviderCommand,
  CreatePolicyCommand,
  CreatePolicyVersionCommand,
  CreateRoleCommand,
  DeletePolicyVersionCommand,
  DeleteRolePermissionsBoundaryCommand,
  GetOpenIDConnectProviderCommand,
  GetRoleCommand,
  IAMClient,
  IAMServiceException,
  ListEntitiesForPolicyCommand,
  ListOpenIDConnectProviderTagsCommand,
  ListPoliciesCommand,
  ListPolicyTagsCommand,
  ListPolicyVersionsCommand,
  ListRolesCommand,
  ListRoleTagsCommand,
  PutRolePermissionsBoundaryCommand,
  PutRolePolicyCommand,
  RemoveClientIDFromOpenIDConnectProviderCommand,
  SetDefaultPolicyVersionCommand,
  TagOpenIDConnectProviderCommand,
  TagPolicyCommand,
  TagRoleCommand,
  UntagOpenIDConnectProviderCommand,
  UntagRoleCommand,
  UpdateOpenIDConnectProviderThumbprintCommand,
  UpdateRoleCommand,
  UpdateRoleDescriptionCommand,
} from '@aws-sdk/client-iam';
import { AssumeRoleWithWebIdentityCommand, STSClient, STSServiceException } from '@aws-sdk/client-sts';
import { systemClock } from '../../src/shared/clock.js';
import { webIdentityTrust } from '../shared/web-identity-trust.js';
import { iamClient } from './clients.js';
import { ACCOUNT, REGION, bootServer, serviceAccountToken, serviceErrorOf, type Booted } from './support.js';
import { hasBoto3, isolatedEnv, runPython } from './boto3.js';

interface Env extends Booted {
  /** The built-in issuer as IAM knows it: `127.0.0.1:PORT`, and its provider ARN. */
  readonly issuerHost: string;
  readonly providerArn: string;
}

async function boot(): Promise<Env> {
  const booted = await bootServer(systemClock, { issuerKeyRing: true });
  const issuerHost = `127.0.0.1:${booted.port}`;
  return { ...booted, issuerHost, providerArn: `arn:aws:iam::${ACCOUNT}:oidc-provider/${issuerHost}` };
}

const serviceError = (fn: () => Promise<unknown>) =>
  serviceErrorOf(fn, [IAMServiceException, STSServiceException]);

const doc = (statements: { Action: string; Resource: string }[]) =>
  JSON.stringify({ Version: '2012-10-17', Statement: statements.map((s) => ({ Effect: 'Allow', ...s })) });

describe('IAM roles, OIDC providers and managed policies over the wire', () => {
  let env: Env;
  let iam: IAMClient;
  let sts: STSClient;
  let trust: string;
  before(async () => {
    process.env.AWS_EC2_METADATA_DISABLED = 'true';
    env = await boot();
    iam = iamClient(env, env.root);
    sts = new STSClient({
      endpoint: env.endpoint,
      region: REGION,
      credentials: { accessKeyId: 'unused', secretAccessKey: 'unused' },
      maxAttempts: 1,
    });
    trust = webIdentityTrust(env.providerArn, {
      [`${env.issuerHost}:sub`]: 'system:serviceaccount:default:app',
    });
  });
  after(async () => {
    iam.destroy();
    sts.destroy();
    await env.stop();
  });

  /** IAM as the role `app` may use it: a web-identity session of the built-in issuer. */
  async function sessionIam(roleArn: string): Promise<IAMClient> {
    const out = await sts.send(
      new AssumeRoleWithWebIdentityCommand({
        RoleArn: roleArn,
        RoleSessionName: 'entities',
        WebIdentityToken: await serviceAccountToken(env, 'app'),
      }),
    );
    const c = out.Credentials;
    assert.ok(
      c?.AccessKeyId !== undefined && c.SecretAccessKey !== undefined && c.SessionToken !== undefined,
    );
    return new IAMClient({
      endpoint: env.endpoint,
      region: REGION,
      credentials: {
        accessKeyId: c.AccessKeyId,
        secretAccessKey: c.SecretAccessKey,
        sessionToken: c.SessionToken,
      },
      maxAttempts: 1,
    });
  }

  test('role tags: CreateRole Tags, TagRole overwrites ignoring case, ListRoleTags pages, UntagRole, duplicate keys InvalidInput', async () => {
    await iam.send(
      new CreateRoleCommand({
        RoleName: 'tagged',
        Path: '/team/',
        AssumeRolePolicyDocument: trust,
        Description: 'first',
        MaxSessionDuration: 7200,
        Tags: [{ Key: 'team', Value: 'a' }],
      }),
    );
    await iam.send(
      new TagRoleCommand({
        RoleName: 'tagged',
        Tags: [
          { Key: 'Team', Value: 'b' },
          { Key: 'env', Value: 'dev' },
          { Key: 'tier', Value: '' },
        ],
      }),
    );
    const first = await iam.send(new ListRoleTagsCommand({ RoleName: 'tagged', MaxItems: 2 }));
    assert.deepEqual(first.Tags, [
      { Key: 'Team', Value: 'b' },
      { Key: 'env', Value: 'dev' },
    ]);
    assert.equal(first.IsTruncated, true);
    const rest = await iam.send(new ListRoleTagsCommand({ RoleName: 'tagged', Marker: first.Marker }));
    assert.deepEqual(rest.Tags, [{ Key: 'tier', Value: '' }]);
    assert.equal(rest.IsTruncated, false);
    await iam.send(new UntagRoleCommand({ RoleName: 'tagged', TagKeys: ['TEAM', 'tier'] }));
    assert.deepEqual((await iam.send(new GetRoleCommand({ RoleName: 'tagged' }))).Role?.Tags, [
      { Key: 'env', Value: 'dev' },
    ]);

    const dup = await serviceError(() =>
      iam.send(
        new TagRoleCommand({
          RoleName: 'tagged',
          Tags: [
            { Key: 'k', Value: '1' },
            { Key: 'K', Value: '2' },
          ],
        }),
      ),
    );
    assert.equal(dup.name, 'InvalidInputException');
    assert.equal(dup.$metadata.httpStatusCode, 400);
    assert.equal(dup.message, 'Duplicate tag keys found. Please note that Tag keys are case insensitive.');
    const missing = await serviceError(() => iam.send(new ListRoleTagsCommand({ RoleName: 'nobody' })));
    assert.equal(missing.name, 'NoSuchEntityException');
    assert.equal(missing.$metadata.httpStatusCode, 404);
    assert.equal(missing.message, 'The role with name nobody cannot be found.');
  });

  test('UpdateRole and UpdateRoleDescription; MaxSessionDuration out of range is ValidationError', async () => {
    await iam.send(new UpdateRoleCommand({ RoleName: 'tagged', MaxSessionDuration: 43200 }));
    const out = await iam.send(
      new UpdateRoleDescriptionCommand({ RoleName: 'tagged', Description: 'second' }),
    );
    assert.equal(out.Role?.Description, 'second');
    assert.equal(out.Role?.MaxSessionDuration, 43200);
    assert.equal(out.Role?.Arn, `arn:aws:iam::${ACCOUNT}:role/team/tagged`);
    const e = await serviceError(() =>
      iam.send(new UpdateRoleCommand({ RoleName: 'tagged', MaxSessionDuration: 60 })),
    );
    assert.equal(e.name, 'ValidationError');
    assert.equal(e.$metadata.httpStatusCode, 400);
    assert.equal(
      e.message,
      "1 validation error detected: Value '60' at 'maxSessionDuration' failed to satisfy constraint: Member must have value greater than or equal to 3600",
    );
  });

  test('permissions boundary: Put (existing policy only), GetRole shows it, Delete', async () => {
    const policy = await iam.send(
      new CreatePolicyCommand({
        PolicyName: 'boundary',
        PolicyDocument: doc([{ Action: 'iam:Get*', Resource: '*' }]),
      }),
    );
    const arn = policy.Policy?.Arn ?? '';
    await iam.send(new PutRolePermissionsBoundaryCommand({ RoleName: 'tagged', PermissionsBoundary: arn }));
    const got = await iam.send(new GetRoleCommand({ RoleName: 'tagged' }));
    assert.deepEqual(got.Role?.PermissionsBoundary, {
      PermissionsBoundaryType: 'PermissionsBoundaryPolicy',
      PermissionsBoundaryArn: arn,
    });
    const used = await iam.send(
      new ListEntitiesForPolicyCommand({ PolicyArn: arn, PolicyUsageFilter: 'PermissionsBoundary' }),
    );
    assert.deepEqual(
      used.PolicyRoles?.map((r) => r.RoleName),
      ['tagged'],
    );
    const absent = `arn:aws:iam::${ACCOUNT}:policy/absent`;
    const e = await serviceError(() =>
      iam.send(new PutRolePermissionsBoundaryCommand({ RoleName: 'tagged', PermissionsBoundary: absent })),
    );
    assert.equal(e.name, 'NoSuchEntityException');
    assert.equal(e.$metadata.httpStatusCode, 404);
    assert.equal(e.message, `Scope ARN: ${absent} does not exist or is not attachable.`);
    await iam.send(new DeleteRolePermissionsBoundaryCommand({ RoleName: 'tagged' }));
    assert.equal(
      (await iam.send(new GetRoleCommand({ RoleName: 'tagged' }))).Role?.PermissionsBoundary,
      undefined,
    );
  });

  test('policy versions: the default version decides what a role session may do', async () => {
    const role = await iam.send(
      new CreateRoleCommand({ RoleName: 'app', Path: '/irsa/', AssumeRolePolicyDocument: trust }),
    );
    const roleArn = role.Role?.Arn ?? '';
    assert.equal(roleArn, `arn:aws:iam::${ACCOUNT}:role/irsa/app`);
    // v1 names the role by its path-qualified ARN: the server must authorize GetRole on that ARN.
    const v1 = doc([{ Action: 'iam:GetRole', Resource: `arn:aws:iam::${ACCOUNT}:role/irsa/*` }]);
    const v2 = doc([{ Action: 'iam:ListRoles', Resource: '*' }]);
    const policy = await iam.send(
      new CreatePolicyCommand({ PolicyName: 'app-permissions', PolicyDocument: v1 }),
    );
    const policyArn = policy.Policy?.Arn ?? '';
    await iam.send(new AttachRolePolicyCommand({ RoleName: 'app', PolicyArn: policyArn }));
    const session = await sessionIam(roleArn);
    try {
      const sessionArn = `arn:aws:sts::${ACCOUNT}:assumed-role/app/entities`;
      const denied = async (fn: () => Promise<unknown>, action: string, resource: string) => {
        const e = await serviceError(fn);
        assert.equal(e.name, 'AccessDenied');
        assert.equal(e.$metadata.httpStatusCode, 403);
        assert.equal(
          e.message,
          `User: ${sessionArn} is not authorized to perform: ${action} on resource: ${resource}`,
        );
      };
      assert.equal((await session.send(new GetRoleCommand({ RoleName: 'app' }))).Role?.Arn, roleArn);
      await denied(() => session.send(new ListRolesCommand({})), 'iam:ListRoles', '*');

      const created = await iam.send(
        new CreatePolicyVersionCommand({ PolicyArn: policyArn, PolicyDocument: v2 }),
      );
      assert.equal(created.PolicyVersion?.VersionId, 'v2');
      assert.equal(created.PolicyVersion?.IsDefaultVersion, false);
      // Not the default yet: nothing changes for the session.
      await denied(() => session.send(new ListRolesCommand({})), 'iam:ListRoles', '*');

      await iam.send(new SetDefaultPolicyVersionCommand({ PolicyArn: policyArn, VersionId: 'v2' }));
      assert.ok(((await session.send(new ListRolesCommand({}))).Roles ?? []).some((r) => r.Arn === roleArn));
      await denied(() => session.send(new GetRoleCommand({ RoleName: 'app' })), 'iam:GetRole', roleArn);

      const versions = await iam.send(new ListPolicyVersionsCommand({ PolicyArn: policyArn }));
      assert.deepEqual(
        versions.Versions?.map((v) => [v.VersionId, v.IsDefaultVersion]),
        [
          ['v2', true],
          ['v1', false],
        ],
      );
      const conflict = await serviceError(() =>
        iam.send(new DeletePolicyVersionCommand({ PolicyArn: policyArn, VersionId: 'v2' })),
      );
      assert.equal(conflict.name, 'DeleteConflictException');
      assert.equal(conflict.$metadata.httpStatusCode, 409);
      assert.equal(conflict.message, 'Cannot delete the default version of a policy.');

      await iam.send(new SetDefaultPolicyVersionCommand({ PolicyArn: policyArn, VersionId: 'v1' }));
      await iam.send(new DeletePolicyVersionCommand({ PolicyArn: policyArn, VersionId: 'v2' }));
      assert.equal((await session.send(new GetRoleCommand({ RoleName: 'app' }))).Role?.RoleName, 'app');
      for (const n of [3, 4, 5, 6]) {
        const v = await iam.send(
          new CreatePolicyVersionCommand({ PolicyArn: policyArn, PolicyDocument: v1 }),
        );
        assert.equal(v.PolicyVersion?.VersionId, `v${n}`);
      }
      const limit = await serviceError(() =>
        iam.send(
          new CreatePolicyVersionCommand({ PolicyArn: policyArn, PolicyDocument: v2, SetAsDefault: true }),
        ),
      );
      assert.equal(limit.name, 'LimitExceededException');
      assert.equal(limit.$metadata.httpStatusCode, 409);
      assert.equal(
        limit.message,
        'A managed policy can have up to 5 versions. Before you create a new version, you must delete an existing version.',
      );
      // The refused version did not become the default.
      assert.equal((await session.send(new GetRoleCommand({ RoleName: 'app' }))).Role?.RoleName, 'app');
    } finally {
      session.destroy();
    }

    const entities = await iam.send(new ListEntitiesForPolicyCommand({ PolicyArn: policyArn }));
    assert.deepEqual(entities.PolicyRoles, [{ RoleName: 'app', RoleId: role.Role?.RoleId }]);
    assert.deepEqual(entities.PolicyUsers, []);
    assert.deepEqual(entities.PolicyGroups, []);
    const attached = await iam.send(new ListPoliciesCommand({ Scope: 'Local', OnlyAttached: true }));
    assert.deepEqual(
      attached.Policies?.map((p) => [p.PolicyName, p.AttachmentCount, p.DefaultVersionId]),
      [['app-permissions', 1, 'v1']],
    );
    assert.deepEqual((await iam.send(new ListPoliciesCommand({ Scope: 'AWS' }))).Policies ?? [], []);

    await iam.send(
      new TagPolicyCommand({ PolicyArn: policyArn, Tags: [{ Key: 'owner', Value: 'platform' }] }),
    );
    assert.deepEqual((await iam.send(new ListPolicyTagsCommand({ PolicyArn: policyArn }))).Tags, [
      { Key: 'owner', Value: 'platform' },
    ]);
  });

  test('OIDC provider: client ids (STS follows them), thumbprints, tags, and NoSuchEntity', async () => {
    const url = 'https://oidc.example.com/id/ENTITIES';
    const created = await iam.send(
      new CreateOpenIDConnectProviderCommand({
        Url: url,
        ClientIDList: ['sts.amazonaws.com'],
        ThumbprintList: ['a'.repeat(40)],
      }),
    );
    const arn = created.OpenIDConnectProviderArn ?? '';
    await iam.send(
      new AddClientIDToOpenIDConnectProviderCommand({ OpenIDConnectProviderArn: arn, ClientID: 'other' }),
    );
    await iam.send(
      new AddClientIDToOpenIDConnectProviderCommand({ OpenIDConnectProviderArn: arn, ClientID: 'other' }),
    );
    await iam.send(
      new UpdateOpenIDConnectProviderThumbprintCommand({
        OpenIDConnectProviderArn: arn,
        ThumbprintList: ['b'.repeat(40), 'c'.repeat(40)],
      }),
    );
    await iam.send(
      new RemoveClientIDFromOpenIDConnectProviderCommand({
        OpenIDConnectProviderArn: arn,
        ClientID: 'sts.amazonaws.com',
      }),
    );
    const got = await iam.send(new GetOpenIDConnectProviderCommand({ OpenIDConnectProviderArn: arn }));
    assert.deepEqual(got.ClientIDList, ['other']);
    assert.deepEqual(got.ThumbprintList, ['b'.repeat(40), 'c'.repeat(40)]);

    await iam.send(
      new TagOpenIDConnectProviderCommand({
        OpenIDConnectProviderArn: arn,
        Tags: [{ Key: 'cluster', Value: 'kind' }],
      }),
    );
    assert.deepEqual(
      (await iam.send(new ListOpenIDConnectProviderTagsCommand({ OpenIDConnectProviderArn: arn }))).Tags,
      [{ Key: 'cluster', Value: 'kind' }],
    );
    await iam.send(
      new UntagOpenIDConnectProviderCommand({ OpenIDConnectProviderArn: arn, TagKeys: ['CLUSTER'] }),
    );
    assert.deepEqual(
      (await iam.send(new ListOpenIDConnectProviderTagsCommand({ OpenIDConnectProviderArn: arn }))).Tags,
      [],
    );

    const missing = `arn:aws:iam::${ACCOUNT}:oidc-provider/oidc.example.com/id/NONE`;
    const e = await serviceError(() =>
      iam.send(
        new AddClientIDToOpenIDConnectProviderCommand({ OpenIDConnectProviderArn: missing, ClientID: 'x' }),
      ),
    );
    assert.equal(e.name, 'NoSuchEntityException');
    assert.equal(e.$metadata.httpStatusCode, 404);
    assert.equal(e.message, `OpenIDConnect Provider not found for arn ${missing}`);

    // The built-in issuer's provider: without the token's audience, STS refuses the token.
    const roleArn = `arn:aws:iam::${ACCOUNT}:role/irsa/app`;
    await iam.send(
      new RemoveClientIDFromOpenIDConnectProviderCommand({
        OpenIDConnectProviderArn: env.providerArn,
        ClientID: 'sts.amazonaws.com',
      }),
    );
    const refused = await serviceError(() => sessionIam(roleArn));
    assert.equal(refused.name, 'InvalidIdentityTokenException');
    assert.equal(refused.message, 'Incorrect token audience');
    await iam.send(
      new AddClientIDToOpenIDConnectProviderCommand({
        OpenIDConnectProviderArn: env.providerArn,
        ClientID: 'sts.amazonaws.com',
      }),
    );
    (await sessionIam(roleArn)).destroy();
  });

  test('a session is authorized with aws:RequestTag, aws:ResourceTag and iam:PermissionsBoundary', async () => {
    const boundary =
      (
        await iam.send(
          new CreatePolicyCommand({
            PolicyName: 'delegated-boundary',
            PolicyDocument: doc([{ Action: 's3:*', Resource: '*' }]),
          }),
        )
      ).Policy?.Arn ?? '';
    const other =
      (
        await iam.send(
          new CreatePolicyCommand({
            PolicyName: 'other-boundary',
            PolicyDocument: doc([{ Action: '*', Resource: '*' }]),
          }),
        )
      ).Policy?.Arn ?? '';
    const delegate = await iam.send(
      new CreateRoleCommand({ RoleName: 'delegate', AssumeRolePolicyDocument: trust }),
    );
    await iam.send(new CreateRoleCommand({ RoleName: 'target', AssumeRolePolicyDocument: trust }));
    await iam.send(
      new PutRolePolicyCommand({
        RoleName: 'delegate',
        PolicyName: 'delegation',
        PolicyDocument: JSON.stringify({
          Version: '2012-10-17',
          Statement: [
            {
              Effect: 'Allow',
              Action: 'iam:TagRole',
              Resource: '*',
              Condition: { StringEquals: { 'aws:RequestTag/team': 'a' } },
            },
            {
              Effect: 'Allow',
              Action: 'iam:ListRoleTags',
              Resource: '*',
              Condition: { StringEquals: { 'aws:ResourceTag/team': 'a' } },
            },
            {
              Effect: 'Allow',
              Action: 'iam:PutRolePermissionsBoundary',
              Resource: '*',
              Condition: { ArnEquals: { 'iam:PermissionsBoundary': boundary } },
            },
          ],
        }),
      }),
    );
    const session = await sessionIam(delegate.Role?.Arn ?? '');
    try {
      const target = `arn:aws:iam::${ACCOUNT}:role/target`;
      const denied = async (fn: () => Promise<unknown>, action: string) => {
        const e = await serviceError(fn);
        assert.equal(e.name, 'AccessDenied');
        assert.equal(
          e.message,
          `User: arn:aws:sts::${ACCOUNT}:assumed-role/delegate/entities is not authorized to perform: ${action} on resource: ${target}`,
        );
      };
      await denied(() => session.send(new ListRoleTagsCommand({ RoleName: 'target' })), 'iam:ListRoleTags');
      await denied(
        () => session.send(new TagRoleCommand({ RoleName: 'target', Tags: [{ Key: 'team', Value: 'b' }] })),
        'iam:TagRole',
      );
      await session.send(new TagRoleCommand({ RoleName: 'target', Tags: [{ Key: 'team', Value: 'a' }] }));
      assert.deepEqual((await session.send(new ListRoleTagsCommand({ RoleName: 'target' }))).Tags, [
        { Key: 'team', Value: 'a' },
      ]);
      await denied(
        () =>
          session.send(
            new PutRolePermissionsBoundaryCommand({ RoleName: 'target', PermissionsBoundary: other }),
          ),
        'iam:PutRolePermissionsBoundary',
      );
      await session.send(
        new PutRolePermissionsBoundaryCommand({ RoleName: 'target', PermissionsBoundary: boundary }),
      );
      const got = await iam.send(new GetRoleCommand({ RoleName: 'target' }));
      assert.equal(got.Role?.PermissionsBoundary?.PermissionsBoundaryArn, boundary);
    } finally {
      session.destroy();
    }
  });

  test('boto3: list_role_tags, list_policy_versions, list_entities_for_policy and a DeleteConflict parse', async (t) => {
    if (!(await hasBoto3())) {
      t.skip('python3 boto3 is not installed');
      return;
    }
    const script = `
import json, os, boto3
c = boto3.client('iam', endpoint_url=os.environ['ENDPOINT'], region_name='us-east-1',
    aws_access_key_id=os.environ['AKID'], aws_secret_access_key=os.environ['SECRET'])
out = {}
c.tag_role(RoleName='tagged', Tags=[{'Key': 'boto', 'Value': 'yes'}])
t = c.list_role_tags(RoleName='tagged', MaxItems=1)
out['tags'] = {'Tags': t['Tags'], 'IsTruncated': t['IsTruncated'], 'HasMarker': 'Marker' in t}
arn = 'arn:aws:iam::${ACCOUNT}:policy/app-permissions'
v = c.list_policy_versions(PolicyArn=arn)
out['versions'] = [[x['VersionId'], x['IsDefaultVersion'], 'Document' in x] for x in v['Versions']]
e = c.list_entities_for_policy(PolicyArn=arn)
out['roles'] = [r['RoleName'] for r in e['PolicyRoles']]
d = c.get_policy_version(PolicyArn=arn, VersionId='v1')
out['document'] = d['PolicyVersion']['Document']
try:
    c.delete_policy_version(PolicyArn=arn, VersionId='v1')
except c.exceptions.DeleteConflictException as err:
    out['conflict'] = {'Code': err.response['Error']['Code'], 'Message': err.response['Error']['Message'],
        'Status': err.response['ResponseMetadata']['HTTPStatusCode']}
print(json.dumps(out))
`;
    const stdout = await runPython(
      script,
      isolatedEnv(env.data.dir, {
        ENDPOINT: env.endpoint,
        AKID: env.root.accessKeyId,
        SECRET: env.root.secretAccessKey,
      }),
    );
    const out = JSON.parse(stdout) as Record<string, unknown>;
    assert.deepEqual(out.tags, { Tags: [{ Key: 'env', Value: 'dev' }], IsTruncated: true, HasMarker: true });
    assert.deepEqual(out.versions, [
      ['v6', false, false],
      ['v5', false, false],
      ['v4', false, false],
      ['v3', false, false],
      ['v1', true, false],
    ]);
    assert.deepEqual(out.roles, ['app']);
    // botocore decodes the percent-encoded document into a dict.
    assert.deepEqual(out.document, {
      Version: '2012-10-17',
      Statement: [
        { Effect: 'Allow', Action: 'iam:GetRole', Resource: `arn:aws:iam::${ACCOUNT}:role/irsa/*` },
      ],
    });
    assert.deepEqual(out.conflict, {
      Code: 'DeleteConflict',
      Message: 'Cannot delete the default version of a policy.',
      Status: 409,
    });
  });
});
