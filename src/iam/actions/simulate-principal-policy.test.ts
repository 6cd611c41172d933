import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ActionContext } from '../query-action.js';
import { ACCOUNT, invoke, IRSA_TRUST, READ_S3, rootContext } from '../testdata/context.js';
import { attachRolePolicy } from './attach-role-policy.js';
import { createPolicy } from './create-policy.js';
import { createRole } from './create-role.js';
import { putRolePolicy } from './put-role-policy.js';
import { simulatePrincipalPolicy } from './simulate-principal-policy.js';
import type { Store } from '../../store/types.js';

const USER_ARN = `arn:aws:iam::${ACCOUNT}:user/team/alice`;
const ROLE_ARN = `arn:aws:iam::${ACCOUNT}:role/app`;
const PROVIDER = `arn:aws:iam::${ACCOUNT}:oidc-provider/oidc.example.com/id/ABC`;

const OWN_PREFIX = JSON.stringify({
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Action: 's3:PutObject', Resource: 'arn:aws:s3:::home/${aws:username}/*' }],
});

/** alice (path /team/) with an inline policy, the managed policy `read` attached and `read` as boundary. */
async function withAlice(ctx: ActionContext, store: Store, boundary: boolean): Promise<void> {
  const arn =
    (await invoke(createPolicy, ctx, { PolicyName: 'read', PolicyDocument: READ_S3 })).Policy.Arn ?? '';
  await store.users.create({
    accountId: ACCOUNT,
    name: 'alice',
    id: 'AIDAALICE00000000000',
    path: '/team/',
    arn: USER_ARN,
    ...(boundary ? { permissionsBoundaryArn: arn } : {}),
    createdAt: 0,
  });
  await store.users.putPolicy(ACCOUNT, 'alice', { name: 'own-prefix', document: OWN_PREFIX });
  await store.users.attachPolicy(ACCOUNT, 'alice', arn);
}

test("a user's inline and attached policies decide, reported under their names; aws:username comes from the user", async () => {
  const { ctx, store } = await rootContext();
  await withAlice(ctx, store, false);
  const out2 = await invoke(simulatePrincipalPolicy, ctx, {
    PolicySourceArn: USER_ARN,
    'ActionNames.member.1': 's3:PutObject',
    'ActionNames.member.2': 's3:GetObject',
    'ResourceArns.member.1': 'arn:aws:s3:::home/alice/x',
    'ResourceArns.member.2': 'arn:aws:s3:::bucket/k',
  });
  const decisions = out2.EvaluationResults?.map((r) => [
    r.EvalActionName,
    r.EvalResourceName,
    r.EvalDecision,
  ]);
  assert.deepEqual(decisions, [
    ['s3:PutObject', 'arn:aws:s3:::home/alice/x', 'allowed'],
    ['s3:PutObject', 'arn:aws:s3:::bucket/k', 'implicitDeny'],
    ['s3:GetObject', 'arn:aws:s3:::home/alice/x', 'implicitDeny'],
    ['s3:GetObject', 'arn:aws:s3:::bucket/k', 'allowed'],
  ]);
  const [putHome, , , getBucket, extra] = out2.EvaluationResults ?? [];
  assert.equal(extra, undefined);
  assert.deepEqual(
    putHome?.MatchedStatements?.map((s) => [s.SourcePolicyId, s.SourcePolicyType]),
    [['own-prefix', 'user']],
  );
  assert.deepEqual(
    getBucket?.MatchedStatements?.map((s) => [s.SourcePolicyId, s.SourcePolicyType]),
    [['read', 'user-managed']],
  );
  await store.close();
});

test("a user's permissions boundary limits the simulation; PermissionsBoundaryPolicyInputList replaces it", async () => {
  const { ctx, store } = await rootContext();
  await withAlice(ctx, store, true);
  const base = {
    PolicySourceArn: USER_ARN,
    'ActionNames.member.1': 's3:PutObject',
    'ResourceArns.member.1': 'arn:aws:s3:::home/alice/x',
  };
  const bounded = (await invoke(simulatePrincipalPolicy, ctx, base)).EvaluationResults?.[0];
  assert.equal(bounded?.EvalDecision, 'implicitDeny');
  assert.deepEqual(bounded?.PermissionsBoundaryDecisionDetail, { AllowedByPermissionsBoundary: false });
  const wide = JSON.stringify({
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Action: 's3:*', Resource: '*' }],
  });
  const replaced = (
    await invoke(simulatePrincipalPolicy, ctx, {
      ...base,
      'PermissionsBoundaryPolicyInputList.member.1': wide,
    })
  ).EvaluationResults?.[0];
  assert.equal(replaced?.EvalDecision, 'allowed');
  assert.deepEqual(replaced?.PermissionsBoundaryDecisionDetail, { AllowedByPermissionsBoundary: true });
  await store.close();
});

test('a role is simulated with its policies; its trust policy decides sts:AssumeRoleWithWebIdentity on it', async () => {
  const { ctx, store } = await rootContext();
  await invoke(createRole, ctx, { RoleName: 'app', AssumeRolePolicyDocument: IRSA_TRUST });
  await invoke(putRolePolicy, ctx, { RoleName: 'app', PolicyName: 'read', PolicyDocument: READ_S3 });
  const own = await invoke(simulatePrincipalPolicy, ctx, {
    PolicySourceArn: ROLE_ARN,
    'ActionNames.member.1': 's3:GetObject',
    'ResourceArns.member.1': 'arn:aws:s3:::bucket/k',
  });
  assert.equal(own.EvaluationResults?.[0]?.EvalDecision, 'allowed');
  assert.deepEqual(
    own.EvaluationResults?.[0]?.MatchedStatements?.map((s) => [s.SourcePolicyId, s.SourcePolicyType]),
    [['read', 'role']],
  );
  const assume = (sub: string) =>
    invoke(simulatePrincipalPolicy, ctx, {
      PolicySourceArn: ROLE_ARN,
      CallerArn: PROVIDER,
      'ActionNames.member.1': 'sts:AssumeRoleWithWebIdentity',
      'ResourceArns.member.1': ROLE_ARN,
      'ContextEntries.member.1.ContextKeyName': 'oidc.example.com/id/ABC:sub',
      'ContextEntries.member.1.ContextKeyValues.member.1': sub,
      'ContextEntries.member.1.ContextKeyType': 'string',
    });
  const allowed = (await assume('system:serviceaccount:default:app')).EvaluationResults?.[0];
  assert.equal(allowed?.EvalDecision, 'allowed');
  assert.deepEqual(allowed?.MatchedStatements, [
    {
      SourcePolicyId: 'AssumeRolePolicyDocument',
      SourcePolicyType: 'resource',
      StartPosition: { Line: 1, Column: 39 },
      EndPosition: { Line: 1, Column: 286 },
    },
  ]);
  const other = (await assume('system:serviceaccount:default:other')).EvaluationResults?.[0];
  assert.equal(other?.EvalDecision, 'implicitDeny');
  await store.close();
});

test('a role with a ResourcePolicy and no CallerArn is InvalidInput 400', async () => {
  const { ctx, store } = await rootContext();
  await invoke(createRole, ctx, { RoleName: 'app', AssumeRolePolicyDocument: IRSA_TRUST });
  await assert.rejects(
    invoke(simulatePrincipalPolicy, ctx, {
      PolicySourceArn: ROLE_ARN,
      'ActionNames.member.1': 's3:GetObject',
      ResourcePolicy: '{"Version":"2012-10-17","Statement":[]}',
    }),
    { code: 'InvalidInput', status: 400, message: 'CallerArn is required when a ResourcePolicy is given.' },
  );
  await store.close();
});

test('an unknown user, role or group is NoSuchEntity 404 with GetUser / GetRole wording', async () => {
  const { ctx, store } = await rootContext();
  const run = (arn: string) =>
    invoke(simulatePrincipalPolicy, ctx, { PolicySourceArn: arn, 'ActionNames.member.1': 's3:GetObject' });
  await assert.rejects(run(`arn:aws:iam::${ACCOUNT}:user/bob`), {
    code: 'NoSuchEntity',
    status: 404,
    message: 'The user with name bob cannot be found.',
  });
  await assert.rejects(run(`arn:aws:iam::${ACCOUNT}:role/x/none`), {
    code: 'NoSuchEntity',
    status: 404,
    message: 'The role with name none cannot be found.',
  });
  await assert.rejects(run(`arn:aws:iam::${ACCOUNT}:group/devs`), {
    code: 'NoSuchEntity',
    status: 404,
    message: 'The group with name devs cannot be found.',
  });
  await assert.rejects(run('arn:aws:iam::444455556666:role/app'), { code: 'NoSuchEntity', status: 404 });
  await assert.rejects(run('arn:aws:s3:::bucket-name-here'), { code: 'InvalidInput', status: 400 });
  await store.close();
});

test('SimulatePrincipalPolicy is authorized as iam:SimulatePrincipalPolicy on the principal ARN', async () => {
  const { ctx, store } = await rootContext();
  assert.deepEqual(simulatePrincipalPolicy.authorize({ PolicySourceArn: USER_ARN, ActionNames: [] }, ctx), [
    { action: 'iam:SimulatePrincipalPolicy', resource: USER_ARN },
  ]);
  await store.close();
});

test('attached role policies count; a bucket-scoped grant does not match the resource *', async () => {
  const { ctx, store } = await rootContext();
  await invoke(createRole, ctx, { RoleName: 'app', AssumeRolePolicyDocument: IRSA_TRUST });
  const arn =
    (await invoke(createPolicy, ctx, { PolicyName: 'read', PolicyDocument: READ_S3 })).Policy.Arn ?? '';
  await invoke(attachRolePolicy, ctx, { RoleName: 'app', PolicyArn: arn });
  const out = await invoke(simulatePrincipalPolicy, ctx, {
    PolicySourceArn: ROLE_ARN,
    'ActionNames.member.1': 's3:GetObject',
  });
  const star = out.EvaluationResults?.[0];
  assert.equal(star?.EvalResourceName, '*');
  assert.equal(star?.EvalDecision, 'implicitDeny');
  const onKey = await invoke(simulatePrincipalPolicy, ctx, {
    PolicySourceArn: ROLE_ARN,
    'ActionNames.member.1': 's3:GetObject',
    'ResourceArns.member.1': 'arn:aws:s3:::bucket/k',
  });
  const r = onKey.EvaluationResults?.[0];
  assert.equal(r?.EvalDecision, 'allowed');
  assert.deepEqual(
    r?.MatchedStatements?.map((s) => [s.SourcePolicyId, s.SourcePolicyType]),
    [['read', 'user-managed']],
  );
  await store.close();
});

test("CallerArn makes another user the caller with the source user's policies: aws:username is theirs", async () => {
  const { ctx, store } = await rootContext();
  await withAlice(ctx, store, false);
  const out = await invoke(simulatePrincipalPolicy, ctx, {
    PolicySourceArn: USER_ARN,
    CallerArn: `arn:aws:iam::${ACCOUNT}:user/bob`,
    'ActionNames.member.1': 's3:PutObject',
    'ResourceArns.member.1': 'arn:aws:s3:::home/alice/x',
    'ResourceArns.member.2': 'arn:aws:s3:::home/bob/x',
  });
  assert.deepEqual(
    out.EvaluationResults?.map((r) => r.EvalDecision),
    ['implicitDeny', 'allowed'],
  );
  await store.close();
});

test('a service principal as CallerArn is decided by the trust policy alone', async () => {
  const { ctx, store } = await rootContext();
  const trust = JSON.stringify({
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' }],
  });
  await invoke(createRole, ctx, { RoleName: 'app', AssumeRolePolicyDocument: trust });
  const ask = (caller: string) =>
    invoke(simulatePrincipalPolicy, ctx, {
      PolicySourceArn: ROLE_ARN,
      CallerArn: caller,
      'ActionNames.member.1': 'sts:AssumeRole',
      'ResourceArns.member.1': ROLE_ARN,
    });
  assert.equal((await ask('ec2.amazonaws.com')).EvaluationResults?.[0]?.EvalDecision, 'allowed');
  assert.equal((await ask('lambda.amazonaws.com')).EvaluationResults?.[0]?.EvalDecision, 'implicitDeny');
  await store.close();
});

test('more than 10000 action and resource combinations is InvalidInput 400', async () => {
  const { ctx, store } = await rootContext();
  await invoke(createRole, ctx, { RoleName: 'app', AssumeRolePolicyDocument: IRSA_TRUST });
  const params: Record<string, string> = { PolicySourceArn: ROLE_ARN };
  for (let i = 1; i <= 101; i++) {
    params[`ActionNames.member.${i}`] = `s3:Get${i}`;
    params[`ResourceArns.member.${i}`] = `arn:aws:s3:::b/${i}`;
  }
  await assert.rejects(invoke(simulatePrincipalPolicy, ctx, params), {
    code: 'InvalidInput',
    status: 400,
    message: 'A simulation may evaluate at most 10000 combinations of action and resource.',
  });
  await store.close();
});
