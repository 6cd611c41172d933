/**
 * IAM's policy simulator against a booted server, with the real clients: `@aws-sdk/client-iam` (root
 * credentials) and python3 boto3; and the same decisions through `openirsa policy simulate`, so both
 * front ends of the one engine agree. Every AWS client runs with AWS_EC2_METADATA_DISABLED=true; the
 * server binds 127.0.0.1.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import {
  CreateRoleCommand,
  GetContextKeysForCustomPolicyCommand,
  GetContextKeysForPrincipalPolicyCommand,
  type IAMClient,
  IAMServiceException,
  PutRolePolicyCommand,
  SimulateCustomPolicyCommand,
  SimulatePrincipalPolicyCommand,
  type EvaluationResult,
} from '@aws-sdk/client-iam';
import { iamClient } from './clients.js';
import { ACCOUNT, bootServer, type Booted, serviceErrorOf } from './support.js';
import { hasBoto3, isolatedEnv, runPython } from './boto3.js';

const cli = fileURLToPath(new URL('../../src/cli/main.js', import.meta.url));
const ISSUER = 'oidc.example.com/id/SIMULATE';
const PROVIDER = `arn:aws:iam::${ACCOUNT}:oidc-provider/${ISSUER}`;
const ALICE = `arn:aws:iam::${ACCOUNT}:user/alice`;

const doc = (...statements: object[]) => JSON.stringify({ Version: '2012-10-17', Statement: statements });

const IDENTITY = doc(
  { Effect: 'Allow', Action: 's3:*', Resource: 'arn:aws:s3:::data/*' },
  { Effect: 'Deny', Action: 's3:DeleteObject', Resource: 'arn:aws:s3:::data/keep/*' },
  {
    Effect: 'Allow',
    Action: 's3:ListBucket',
    Resource: 'arn:aws:s3:::data',
    Condition: { IpAddress: { 'aws:SourceIp': '203.0.113.0/24' } },
  },
);
const BOUNDARY = doc({ Effect: 'Allow', Action: ['s3:GetObject', 's3:ListBucket'], Resource: '*' });
const BUCKET_POLICY = doc({
  Effect: 'Allow',
  Principal: { AWS: ALICE },
  Action: 's3:GetObject',
  Resource: 'arn:aws:s3:::shared/*',
});
const TRUST = doc({
  Effect: 'Allow',
  Principal: { Federated: PROVIDER },
  Action: 'sts:AssumeRoleWithWebIdentity',
  Condition: { StringEquals: { [`${ISSUER}:sub`]: 'system:serviceaccount:default:app' } },
});

const serviceError = (fn: () => Promise<unknown>) => serviceErrorOf(fn, [IAMServiceException]);

const decisionsOf = (results: EvaluationResult[] | undefined) =>
  (results ?? []).map((r) => [r.EvalActionName, r.EvalResourceName, r.EvalDecision]);

/** One request through `openirsa policy simulate`, as a user pipes it. */
function cliDecision(request: object): string | undefined {
  const r = spawnSync(process.execPath, [cli, 'policy', 'simulate'], {
    input: JSON.stringify(request),
    encoding: 'utf8',
  });
  assert.equal(r.status, 0, r.stderr);
  return (JSON.parse(r.stdout) as { decision?: string }).decision;
}

const BOTO3_SCRIPT = `
import json, os, boto3
c = boto3.client('iam', endpoint_url=os.environ['ENDPOINT'], region_name='us-east-1',
    aws_access_key_id=os.environ['AKID'], aws_secret_access_key=os.environ['SECRET'])
out = {'results': []}
pages = c.get_paginator('simulate_custom_policy').paginate(
    PolicyInputList=[os.environ['POLICY']],
    ActionNames=['s3:GetObject', 's3:DeleteObject', 's3:ListBucket', 'iam:CreateRole'],
    ResourceArns=['arn:aws:s3:::data/keep/x'],
    ContextEntries=[{'ContextKeyName': 'aws:SourceIp', 'ContextKeyValues': ['203.0.113.9'], 'ContextKeyType': 'ip'}],
    PaginationConfig={'PageSize': 2})
for page in pages:
    for r in page['EvaluationResults']:
        out['results'].append([r['EvalActionName'], r['EvalDecision'],
            [s['SourcePolicyId'] for s in r.get('MatchedStatements', [])]])
k = c.get_context_keys_for_custom_policy(PolicyInputList=[os.environ['POLICY']])
out['keys'] = k['ContextKeyNames']
print(json.dumps(out))
`;

describe('IAM policy simulator over the wire', () => {
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

  test('SimulateCustomPolicy: allowed, explicitDeny and implicitDeny, with the deciding statement and its position', async () => {
    const out = await iam.send(
      new SimulateCustomPolicyCommand({
        PolicyInputList: [IDENTITY],
        ActionNames: ['s3:GetObject', 's3:DeleteObject', 'iam:CreateRole'],
        ResourceArns: ['arn:aws:s3:::data/keep/report'],
      }),
    );
    assert.deepEqual(decisionsOf(out.EvaluationResults), [
      ['s3:GetObject', 'arn:aws:s3:::data/keep/report', 'allowed'],
      ['s3:DeleteObject', 'arn:aws:s3:::data/keep/report', 'explicitDeny'],
      ['iam:CreateRole', 'arn:aws:s3:::data/keep/report', 'implicitDeny'],
    ]);
    const [get, del, create] = out.EvaluationResults ?? [];
    // The second statement of the compact document: just past its `{` and just past its `}`.
    const start = IDENTITY.indexOf('{"Effect":"Deny"');
    const end = IDENTITY.indexOf('}', start) + 1;
    assert.deepEqual(del?.MatchedStatements, [
      {
        SourcePolicyId: 'PolicyInputList.1',
        SourcePolicyType: 'none',
        StartPosition: { Line: 1, Column: start + 2 },
        EndPosition: { Line: 1, Column: end + 1 },
      },
    ]);
    assert.equal(get?.MatchedStatements?.length, 1);
    // Same account, a named resource: "the parameter is present but the response is empty".
    assert.deepEqual(get?.EvalDecisionDetails, {});
    assert.deepEqual(create?.MatchedStatements, []);
    assert.equal(del?.ResourceSpecificResults?.[0]?.EvalResourceDecision, 'explicitDeny');
    assert.equal(out.IsTruncated, false);
  });

  test('SimulateCustomPolicy: a missing condition key is reported, and supplying it in ContextEntries allows', async () => {
    const ask = (context: boolean) =>
      iam.send(
        new SimulateCustomPolicyCommand({
          PolicyInputList: [IDENTITY],
          ActionNames: ['s3:ListBucket'],
          ...(context
            ? {
                ContextEntries: [
                  { ContextKeyName: 'aws:SourceIp', ContextKeyValues: ['203.0.113.9'], ContextKeyType: 'ip' },
                ],
              }
            : {}),
          ResourceArns: ['arn:aws:s3:::data'],
        }),
      );
    const without = (await ask(false)).EvaluationResults?.[0];
    assert.equal(without?.EvalDecision, 'implicitDeny');
    assert.deepEqual(without?.ResourceSpecificResults?.[0]?.MissingContextValues, ['aws:SourceIp']);
    const withIp = (await ask(true)).EvaluationResults?.[0];
    assert.equal(withIp?.EvalDecision, 'allowed');
    assert.deepEqual(withIp?.ResourceSpecificResults?.[0]?.MissingContextValues, []);
  });

  test('SimulateCustomPolicy: a permissions boundary limits the grant and says so', async () => {
    const out = await iam.send(
      new SimulateCustomPolicyCommand({
        PolicyInputList: [IDENTITY],
        PermissionsBoundaryPolicyInputList: [BOUNDARY],
        ActionNames: ['s3:GetObject', 's3:PutObject'],
        ResourceArns: ['arn:aws:s3:::data/a'],
      }),
    );
    const [get, put] = out.EvaluationResults ?? [];
    assert.equal(get?.EvalDecision, 'allowed');
    assert.equal(get?.PermissionsBoundaryDecisionDetail?.AllowedByPermissionsBoundary, true);
    assert.equal(put?.EvalDecision, 'implicitDeny');
    assert.equal(put?.PermissionsBoundaryDecisionDetail?.AllowedByPermissionsBoundary, false);
  });

  test('SimulateCustomPolicy: a resource policy naming CallerArn allows in its account, not across accounts', async () => {
    const ask = (owner: string) =>
      iam.send(
        new SimulateCustomPolicyCommand({
          PolicyInputList: [doc()],
          ActionNames: ['s3:GetObject'],
          ResourceArns: ['arn:aws:s3:::shared/x'],
          ResourcePolicy: BUCKET_POLICY,
          CallerArn: ALICE,
          ResourceOwner: owner,
        }),
      );
    const same = (await ask(ACCOUNT)).EvaluationResults?.[0];
    assert.equal(same?.EvalDecision, 'allowed');
    assert.equal(same?.MatchedStatements?.[0]?.SourcePolicyType, 'resource');
    assert.equal(same?.MatchedStatements?.[0]?.SourcePolicyId, 'ResourcePolicy');
    const cross = (await ask('444455556666')).EvaluationResults?.[0];
    assert.equal(cross?.EvalDecision, 'implicitDeny');
    assert.deepEqual(cross?.EvalDecisionDetails, {
      'IAM Policy': 'implicitDeny',
      'Resource Policy': 'allowed',
    });
  });

  test('SimulatePrincipalPolicy on a role: its policies, and its trust policy for AssumeRoleWithWebIdentity', async () => {
    await iam.send(new CreateRoleCommand({ RoleName: 'sim-app', AssumeRolePolicyDocument: TRUST }));
    await iam.send(
      new PutRolePolicyCommand({ RoleName: 'sim-app', PolicyName: 'data', PolicyDocument: IDENTITY }),
    );
    const roleArn = `arn:aws:iam::${ACCOUNT}:role/sim-app`;
    const own = await iam.send(
      new SimulatePrincipalPolicyCommand({
        PolicySourceArn: roleArn,
        ActionNames: ['s3:PutObject'],
        ResourceArns: ['arn:aws:s3:::data/new'],
      }),
    );
    assert.equal(own.EvaluationResults?.[0]?.EvalDecision, 'allowed');
    assert.equal(own.EvaluationResults?.[0]?.MatchedStatements?.[0]?.SourcePolicyId, 'data');
    assert.equal(own.EvaluationResults?.[0]?.MatchedStatements?.[0]?.SourcePolicyType, 'role');
    const assume = (sub: string) =>
      iam.send(
        new SimulatePrincipalPolicyCommand({
          PolicySourceArn: roleArn,
          CallerArn: PROVIDER,
          ActionNames: ['sts:AssumeRoleWithWebIdentity'],
          ResourceArns: [roleArn],
          ContextEntries: [
            { ContextKeyName: `${ISSUER}:sub`, ContextKeyValues: [sub], ContextKeyType: 'string' },
          ],
        }),
      );
    const yes = (await assume('system:serviceaccount:default:app')).EvaluationResults?.[0];
    assert.equal(yes?.EvalDecision, 'allowed');
    assert.equal(yes?.MatchedStatements?.[0]?.SourcePolicyId, 'AssumeRolePolicyDocument');
    const no = (await assume('system:serviceaccount:default:other')).EvaluationResults?.[0];
    assert.equal(no?.EvalDecision, 'implicitDeny');

    const keys = await iam.send(
      new GetContextKeysForPrincipalPolicyCommand({ PolicySourceArn: roleArn, PolicyInputList: [BOUNDARY] }),
    );
    assert.deepEqual(keys.ContextKeyNames, ['aws:SourceIp']);
  });

  test('an IAM user may simulate only the principals its policies name: iam:SimulatePrincipalPolicy on the ARN', async () => {
    await server.store.users.create({
      accountId: ACCOUNT,
      name: 'auditor',
      id: 'AIDAAUDITOREXAMPLE1',
      path: '/',
      arn: `arn:aws:iam::${ACCOUNT}:user/auditor`,
      createdAt: Date.now(),
    });
    await server.store.users.putPolicy(ACCOUNT, 'auditor', {
      name: 'simulate-one',
      document: doc({
        Effect: 'Allow',
        Action: 'iam:SimulatePrincipalPolicy',
        Resource: `arn:aws:iam::${ACCOUNT}:role/audited`,
      }),
    });
    const key = {
      accessKeyId: 'AKIAAUDITOREXAMPLE01',
      secretAccessKey: 'auditor-secret-key-for-tests-only-00000',
    };
    await server.store.accessKeys.create({
      ...key,
      accountId: ACCOUNT,
      userName: 'auditor',
      createdAt: Date.now(),
    });
    await iam.send(new CreateRoleCommand({ RoleName: 'audited', AssumeRolePolicyDocument: TRUST }));
    await iam.send(new CreateRoleCommand({ RoleName: 'private', AssumeRolePolicyDocument: TRUST }));
    const auditor = iamClient(server, key);
    try {
      const ok = await auditor.send(
        new SimulatePrincipalPolicyCommand({
          PolicySourceArn: `arn:aws:iam::${ACCOUNT}:role/audited`,
          ActionNames: ['s3:GetObject'],
        }),
      );
      assert.equal(ok.EvaluationResults?.[0]?.EvalDecision, 'implicitDeny');
      const denied = await serviceError(() =>
        auditor.send(
          new SimulatePrincipalPolicyCommand({
            PolicySourceArn: `arn:aws:iam::${ACCOUNT}:role/private`,
            ActionNames: ['s3:GetObject'],
          }),
        ),
      );
      assert.equal(denied.name, 'AccessDenied');
      assert.equal(denied.$metadata.httpStatusCode, 403);
      assert.equal(
        denied.message,
        `User: arn:aws:iam::${ACCOUNT}:user/auditor is not authorized to perform: iam:SimulatePrincipalPolicy on resource: arn:aws:iam::${ACCOUNT}:role/private`,
      );
    } finally {
      auditor.destroy();
    }
  });

  test('errors: an unknown principal is NoSuchEntity 404, a malformed policy InvalidInput 400', async () => {
    const missing = await serviceError(() =>
      iam.send(
        new SimulatePrincipalPolicyCommand({
          PolicySourceArn: `arn:aws:iam::${ACCOUNT}:role/nobody`,
          ActionNames: ['s3:GetObject'],
        }),
      ),
    );
    assert.equal(missing.name, 'NoSuchEntityException');
    assert.equal(missing.$metadata.httpStatusCode, 404);
    assert.equal(missing.message, 'The role with name nobody cannot be found.');
    const bad = await serviceError(() =>
      iam.send(new GetContextKeysForCustomPolicyCommand({ PolicyInputList: ['{"Version":'] })),
    );
    assert.equal(bad.name, 'InvalidInputException');
    assert.equal(bad.$metadata.httpStatusCode, 400);
    assert.equal(bad.message, 'Syntax errors in policy.');
  });

  test('boto3: simulate_custom_policy paged by its paginator, and get_context_keys_for_custom_policy', async (t) => {
    if (!(await hasBoto3())) {
      t.skip('python3 with boto3 is not installed');
      return;
    }
    const stdout = await runPython(
      BOTO3_SCRIPT,
      isolatedEnv(process.env.HOME ?? '', {
        ENDPOINT: server.endpoint,
        AKID: server.root.accessKeyId,
        SECRET: server.root.secretAccessKey,
        POLICY: IDENTITY,
      }),
    );
    const out = JSON.parse(stdout) as { results: [string, string, string[]][]; keys: string[] };
    assert.deepEqual(out.results, [
      ['s3:GetObject', 'allowed', ['PolicyInputList.1']],
      ['s3:DeleteObject', 'explicitDeny', ['PolicyInputList.1']],
      ['s3:ListBucket', 'allowed', ['PolicyInputList.1']],
      ['iam:CreateRole', 'implicitDeny', []],
    ]);
    assert.deepEqual(out.keys, ['aws:SourceIp']);
  });

  test('the API and `openirsa policy simulate` give the same decisions for the same inputs', async () => {
    const cases = [
      { action: 's3:GetObject', resource: 'arn:aws:s3:::data/a', boundary: false, resourcePolicy: false },
      {
        action: 's3:DeleteObject',
        resource: 'arn:aws:s3:::data/keep/a',
        boundary: false,
        resourcePolicy: false,
      },
      { action: 's3:PutObject', resource: 'arn:aws:s3:::other/a', boundary: false, resourcePolicy: false },
      { action: 's3:PutObject', resource: 'arn:aws:s3:::data/a', boundary: true, resourcePolicy: false },
      { action: 's3:GetObject', resource: 'arn:aws:s3:::shared/a', boundary: false, resourcePolicy: true },
      { action: 's3:GetObject', resource: 'arn:aws:s3:::shared/a', boundary: true, resourcePolicy: true },
    ];
    const seen = new Set<string>();
    for (const c of cases) {
      const api = await iam.send(
        new SimulateCustomPolicyCommand({
          PolicyInputList: [IDENTITY],
          ...(c.boundary ? { PermissionsBoundaryPolicyInputList: [BOUNDARY] } : {}),
          ...(c.resourcePolicy ? { ResourcePolicy: BUCKET_POLICY } : {}),
          CallerArn: ALICE,
          ActionNames: [c.action],
          ResourceArns: [c.resource],
        }),
      );
      const fromApi = api.EvaluationResults?.[0]?.EvalDecision;
      const fromCli = cliDecision({
        principal: ALICE,
        action: c.action,
        resource: c.resource,
        resourceAccount: ACCOUNT,
        identityPolicies: [IDENTITY],
        ...(c.boundary ? { permissionsBoundary: BOUNDARY } : {}),
        ...(c.resourcePolicy ? { resourcePolicy: BUCKET_POLICY } : {}),
      });
      assert.equal(fromApi, fromCli, JSON.stringify(c));
      seen.add(fromApi ?? '');
    }
    // The cases cover every decision, so agreement is not agreement on one answer.
    assert.deepEqual([...seen].sort(), ['allowed', 'explicitDeny', 'implicitDeny']);
  });
});
