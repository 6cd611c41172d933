import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { AuditDecision } from '../../audit/event.js';
import type { Caller } from '../../iam/caller.js';
import type { ActionContext } from '../../iam/query-action.js';
import { invoke } from '../../iam/testdata/context.js';
import { PolicyCache } from '../../policy/compile.js';
import { AwsError } from '../../shared/aws-error.js';
import { fixedClock } from '../../shared/clock.js';
import { sequentialIds } from '../../shared/ids.js';
import { openSqliteStore } from '../../store/sqlite/sqlite-store.js';
import { isRoleSession, openSession } from '../session-token.js';
import { assumeRole } from './assume-role.js';

const A = '111122223333';
const B = '444455556666';
const NOW = Date.UTC(2026, 0, 1);
const SEALING = { id: 'sk-test', key: Buffer.alloc(32, 7) };
const USER_ARN = `arn:aws:iam::${A}:user/alice`;
const roleArn = (name: string, account = A) => `arn:aws:iam::${account}:role/${name}`;

const trust = (principal: unknown, actions: string[] = ['sts:AssumeRole'], condition?: unknown) =>
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

const ALLOW_ASSUME = JSON.stringify({
  Version: '2012-10-17',
  Statement: [
    { Effect: 'Allow', Action: ['sts:AssumeRole', 'sts:TagSession', 'sts:SetSourceIdentity'], Resource: '*' },
  ],
});

async function setup() {
  const clock = fixedClock(NOW);
  const store = openSqliteStore({ path: ':memory:', clock });
  for (const id of [A, B]) await store.accounts.create({ id, createdAt: NOW });
  await store.users.create({
    accountId: A,
    name: 'alice',
    id: 'AIDAALICE000000000001',
    path: '/',
    arn: USER_ARN,
    createdAt: NOW,
  });
  let n = 0;
  const role = async (name: string, trustPolicy: string, account = A, maxSessionDuration = 3600) =>
    store.roles.create({
      accountId: account,
      name,
      id: `AROA${String(++n).padStart(17, 'X')}`,
      path: '/',
      arn: roleArn(name, account),
      trustPolicy,
      maxSessionDuration,
      createdAt: NOW,
    });
  await role('named', trust(USER_ARN), A, 7200);
  await role('account', trust(A));
  await role('tagged', trust(USER_ARN, ['sts:AssumeRole', 'sts:TagSession']));
  await role(
    'external',
    trust(USER_ARN, ['sts:AssumeRole'], { StringEquals: { 'sts:ExternalId': 'xyz-123' } }),
  );
  await role('cross', trust(A), B);
  await role(
    'chain1',
    trust(USER_ARN, ['sts:AssumeRole', 'sts:TagSession', 'sts:SetSourceIdentity']),
    A,
    43200,
  );
  await role(
    'chain2',
    trust(roleArn('chain1'), ['sts:AssumeRole', 'sts:TagSession', 'sts:SetSourceIdentity']),
    A,
    43200,
  );
  const decisions = new Map<string, AuditDecision>();
  const action = assumeRole({
    sealingKey: () => Promise.resolve(SEALING),
    recordDecision: (id, d) => decisions.set(id, d),
  });
  const user: Caller = {
    kind: 'user',
    accountId: A,
    partition: 'aws',
    arn: USER_ARN,
    userId: 'AIDAALICE000000000001',
    userName: 'alice',
    accessKeyId: 'AKIAALICE',
  };
  const ctx = (caller: Caller = user): ActionContext => ({
    store,
    clock,
    ids: sequentialIds(),
    caller,
    requestId: 'req-1',
    region: 'us-east-1',
    policies: new PolicyCache(),
  });
  const grant = (document = ALLOW_ASSUME) => store.users.putPolicy(A, 'alice', { name: 'assume', document });
  return { store, action, ctx, decisions, grant };
}

function rejects(code: string, status: number, message: string | RegExp) {
  return (e: unknown) => {
    assert.ok(e instanceof AwsError);
    assert.equal(e.code, code);
    assert.equal(e.status, status);
    if (typeof message === 'string') assert.equal(e.message, message);
    else assert.match(e.message, message);
    return true;
  };
}

/** Opens the session an AssumeRole answer carries. */
function sessionOf(out: { Credentials?: { SessionToken: string } }) {
  const opened = openSession(out.Credentials?.SessionToken ?? '', () => SEALING);
  assert.ok(opened.ok && isRoleSession(opened.context));
  return opened.context;
}

/** The role-session caller a session of `roleName` authenticates as. */
function sessionCaller(out: Awaited<ReturnType<ReturnType<typeof assumeRole>['handle']>>): Caller {
  const s = sessionOf(out);
  return {
    kind: 'assumedRole',
    accountId: s.account,
    partition: 'aws',
    arn: out.AssumedRoleUser?.Arn ?? '',
    roleArn: s.roleArn,
    roleId: s.roleId,
    roleName: s.roleName,
    sessionName: s.sessionName,
    accessKeyId: s.accessKeyId,
    issuedAt: s.issuedAt,
    expiresAt: s.expiresAt,
    ...(s.tags !== undefined ? { tags: s.tags } : {}),
    ...(s.transitiveTagKeys !== undefined ? { transitiveTagKeys: s.transitiveTagKeys } : {}),
    ...(s.sourceIdentity !== undefined ? { sourceIdentity: s.sourceIdentity } : {}),
  };
}

test('a trust policy naming the user ARN allows it in the same account without any identity policy', async () => {
  const { store, action, ctx, decisions } = await setup();
  const out = await invoke(action, ctx(), {
    RoleArn: roleArn('named'),
    RoleSessionName: 's1',
    DurationSeconds: '7200',
  });
  assert.equal(out.AssumedRoleUser?.Arn, `arn:aws:sts::${A}:assumed-role/named/s1`);
  assert.match(out.AssumedRoleUser?.AssumedRoleId ?? '', /^AROA.+:s1$/);
  assert.match(out.Credentials?.AccessKeyId ?? '', /^ASIA[A-Z2-7]{16}$/);
  assert.equal(out.Credentials?.Expiration, NOW + 7200 * 1000);
  assert.equal(out.PackedPolicySize, undefined);
  assert.equal(sessionOf(out).roleArn, roleArn('named'));
  assert.equal(decisions.get('req-1')?.decision, 'allowed');
  await store.close();
});

test('a trust policy naming the account needs the identity policy too', async () => {
  const { store, action, ctx, decisions, grant } = await setup();
  await assert.rejects(
    invoke(action, ctx(), { RoleArn: roleArn('account'), RoleSessionName: 's1' }),
    rejects(
      'AccessDenied',
      403,
      `User: ${USER_ARN} is not authorized to perform: sts:AssumeRole on resource: ${roleArn('account')}`,
    ),
  );
  assert.equal(decisions.get('req-1')?.authorizations[0]?.reason, 'noIdentityAllow');
  assert.match(decisions.get('req-1')?.explanation ?? '', /identity/);
  await grant();
  const out = await invoke(action, ctx(), { RoleArn: roleArn('account'), RoleSessionName: 's1' });
  assert.equal(out.AssumedRoleUser?.Arn, `arn:aws:sts::${A}:assumed-role/account/s1`);
  await store.close();
});

test('across accounts the trust policy and the identity policy must both allow', async () => {
  const { store, action, ctx, decisions, grant } = await setup();
  const arn = roleArn('cross', B);
  const message = `User: ${USER_ARN} is not authorized to perform: sts:AssumeRole on resource: ${arn}`;
  await assert.rejects(
    invoke(action, ctx(), { RoleArn: arn, RoleSessionName: 's1' }),
    rejects('AccessDenied', 403, message),
  );
  assert.equal(decisions.get('req-1')?.authorizations[0]?.reason, 'crossAccountNoIdentityAllow');
  await store.roles.update(B, 'cross', { trustPolicy: trust(`arn:aws:iam::${B}:root`) });
  await grant();
  await assert.rejects(
    invoke(action, ctx(), { RoleArn: arn, RoleSessionName: 's1' }),
    rejects('AccessDenied', 403, message),
  );
  assert.equal(decisions.get('req-1')?.authorizations[0]?.reason, 'noTrustAllow');
  await store.roles.update(B, 'cross', { trustPolicy: trust(A) });
  const out = await invoke(action, ctx(), { RoleArn: arn, RoleSessionName: 's1' });
  assert.equal(out.AssumedRoleUser?.Arn, `arn:aws:sts::${B}:assumed-role/cross/s1`);
  await store.close();
});

test('a role that does not exist is the same AccessDenied, and the explanation says it does not exist', async () => {
  const { store, action, ctx, decisions } = await setup();
  await assert.rejects(
    invoke(action, ctx(), { RoleArn: roleArn('nope'), RoleSessionName: 's1' }),
    rejects(
      'AccessDenied',
      403,
      `User: ${USER_ARN} is not authorized to perform: sts:AssumeRole on resource: ${roleArn('nope')}`,
    ),
  );
  assert.match(decisions.get('req-1')?.explanation ?? '', /does not exist/);
  await store.close();
});

test('sts:ExternalId decides a trust policy condition on it', async () => {
  const { store, action, ctx } = await setup();
  const arn = roleArn('external');
  await assert.rejects(
    invoke(action, ctx(), { RoleArn: arn, RoleSessionName: 's1' }),
    rejects('AccessDenied', 403, /sts:AssumeRole on resource/),
  );
  await assert.rejects(
    invoke(action, ctx(), { RoleArn: arn, RoleSessionName: 's1', ExternalId: 'wrong-id' }),
    rejects('AccessDenied', 403, /sts:AssumeRole/),
  );
  const out = await invoke(action, ctx(), { RoleArn: arn, RoleSessionName: 's1', ExternalId: 'xyz-123' });
  assert.ok(out.Credentials !== undefined);
  await store.close();
});

test('tags need sts:TagSession in the trust policy, and are sealed into the session', async () => {
  const { store, action, ctx, decisions } = await setup();
  const tagged = {
    'Tags.member.1.Key': 'team',
    'Tags.member.1.Value': 'blue',
    'TransitiveTagKeys.member.1': 'team',
  };
  await assert.rejects(
    invoke(action, ctx(), { RoleArn: roleArn('named'), RoleSessionName: 's1', ...tagged }),
    rejects(
      'AccessDenied',
      403,
      `User: ${USER_ARN} is not authorized to perform: sts:TagSession on resource: ${roleArn('named')}`,
    ),
  );
  assert.deepEqual(
    decisions.get('req-1')?.authorizations.map((a) => [a.action, a.decision]),
    [
      ['sts:AssumeRole', 'allowed'],
      ['sts:TagSession', 'implicitDeny'],
    ],
  );
  const out = await invoke(action, ctx(), { RoleArn: roleArn('tagged'), RoleSessionName: 's1', ...tagged });
  assert.ok((out.PackedPolicySize ?? 0) > 0);
  const session = sessionOf(out);
  assert.deepEqual(session.tags, { team: 'blue' });
  assert.deepEqual(session.transitiveTagKeys, ['team']);
  await store.close();
});

test('aws:RequestTag and aws:TagKeys are in the trust policy context', async () => {
  const { store, action, ctx } = await setup();
  await store.roles.update(A, 'tagged', {
    trustPolicy: trust(USER_ARN, ['sts:AssumeRole', 'sts:TagSession'], {
      StringEquals: { 'aws:RequestTag/team': 'blue' },
      'ForAllValues:StringEquals': { 'aws:TagKeys': ['team'] },
    }),
  });
  const base = { RoleArn: roleArn('tagged'), RoleSessionName: 's1', 'Tags.member.1.Key': 'team' };
  await assert.rejects(
    invoke(action, ctx(), { ...base, 'Tags.member.1.Value': 'red' }),
    rejects('AccessDenied', 403, /sts:AssumeRole/),
  );
  const out = await invoke(action, ctx(), { ...base, 'Tags.member.1.Value': 'blue' });
  assert.ok(out.Credentials !== undefined);
  await store.close();
});

test('tag keys that differ only in case are refused, and a transitive key must be one of the tags', async () => {
  const { store, action, ctx } = await setup();
  const base = {
    RoleArn: roleArn('tagged'),
    RoleSessionName: 's1',
    'Tags.member.1.Key': 'Team',
    'Tags.member.1.Value': 'a',
  };
  await assert.rejects(
    invoke(action, ctx(), { ...base, 'Tags.member.2.Key': 'team', 'Tags.member.2.Value': 'b' }),
    rejects(
      'InvalidParameterValue',
      400,
      'Duplicate tag keys found. Please note that Tag keys are case insensitive.',
    ),
  );
  await assert.rejects(
    invoke(action, ctx(), { ...base, 'TransitiveTagKeys.member.1': 'project' }),
    rejects('InvalidParameterValue', 400, 'the transitive tag key `project` is not one of the session tags'),
  );
  await store.close();
});

test('tag and parameter constraints are ValidationErrors worded as the model', async () => {
  const { store, action, ctx } = await setup();
  const params: Record<string, string> = { RoleArn: roleArn('tagged'), RoleSessionName: 's1' };
  for (let i = 1; i <= 51; i++) {
    params[`Tags.member.${i}.Key`] = `k${i}`;
    params[`Tags.member.${i}.Value`] = 'v';
  }
  await assert.rejects(
    invoke(action, ctx(), params),
    rejects(
      'ValidationError',
      400,
      /at 'tags' failed to satisfy constraint: Member must have length less than or equal to 50/,
    ),
  );
  await assert.rejects(
    invoke(action, ctx(), {
      RoleArn: roleArn('tagged'),
      RoleSessionName: 's1',
      'Tags.member.1.Key': 'bad*key',
      'Tags.member.1.Value': 'v',
    }),
    rejects(
      'ValidationError',
      400,
      /Value 'bad\*key' at 'tags\.1\.member\.key' failed to satisfy constraint: Member must satisfy regular expression pattern/,
    ),
  );
  await assert.rejects(
    invoke(action, ctx(), { RoleArn: roleArn('named'), RoleSessionName: 's1', ExternalId: 'x' }),
    rejects(
      'ValidationError',
      400,
      "1 validation error detected: Value 'x' at 'externalId' failed to satisfy constraint: Member must have length greater than or equal to 2",
    ),
  );
  await assert.rejects(
    invoke(action, ctx(), { RoleArn: roleArn('named'), RoleSessionName: 's1', DurationSeconds: '43201' }),
    rejects(
      'ValidationError',
      400,
      "1 validation error detected: Value '43201' at 'durationSeconds' failed to satisfy constraint: Member must have value less than or equal to 43200",
    ),
  );
  await assert.rejects(
    invoke(action, ctx(), { RoleArn: roleArn('named'), RoleSessionName: 's1', SourceIdentity: 'a b' }),
    rejects(
      'ValidationError',
      400,
      /at 'sourceIdentity' failed to satisfy constraint: Member must satisfy regular expression pattern: \[\\w\+=,\.@-\]\*/,
    ),
  );
  await store.close();
});

test('DurationSeconds beyond the role MaxSessionDuration is AWS ValidationError', async () => {
  const { store, action, ctx } = await setup();
  await assert.rejects(
    invoke(action, ctx(), { RoleArn: roleArn('named'), RoleSessionName: 's1', DurationSeconds: '7201' }),
    rejects(
      'ValidationError',
      400,
      'The requested DurationSeconds exceeds the MaxSessionDuration set for this role.',
    ),
  );
  await store.close();
});

test('role chaining: capped at one hour, transitive tags carried and not overridable, source identity sticky', async () => {
  const { store, action, ctx } = await setup();
  const first = await invoke(action, ctx(), {
    RoleArn: roleArn('chain1'),
    RoleSessionName: 'hop1',
    DurationSeconds: '43200',
    SourceIdentity: 'alice-laptop',
    'Tags.member.1.Key': 'team',
    'Tags.member.1.Value': 'blue',
    'Tags.member.2.Key': 'cost',
    'Tags.member.2.Value': 'x1',
    'TransitiveTagKeys.member.1': 'team',
  });
  assert.equal(first.SourceIdentity, 'alice-laptop');
  const hop = sessionCaller(first);
  await assert.rejects(
    invoke(action, ctx(hop), {
      RoleArn: roleArn('chain2'),
      RoleSessionName: 'hop2',
      DurationSeconds: '3601',
    }),
    rejects(
      'ValidationError',
      400,
      'The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role chaining.',
    ),
  );
  await assert.rejects(
    invoke(action, ctx(hop), {
      RoleArn: roleArn('chain2'),
      RoleSessionName: 'hop2',
      'Tags.member.1.Key': 'TEAM',
      'Tags.member.1.Value': 'red',
    }),
    rejects(
      'InvalidParameterValue',
      400,
      'the session tag `TEAM` cannot override the transitive tag the calling session passes on',
    ),
  );
  await assert.rejects(
    invoke(action, ctx(hop), {
      RoleArn: roleArn('chain2'),
      RoleSessionName: 'hop2',
      SourceIdentity: 'someone-else',
    }),
    rejects(
      'InvalidParameterValue',
      400,
      'the source identity `alice-laptop` of the calling session cannot be changed to `someone-else`',
    ),
  );
  const second = await invoke(action, ctx(hop), {
    RoleArn: roleArn('chain2'),
    RoleSessionName: 'hop2',
    'Tags.member.1.Key': 'project',
    'Tags.member.1.Value': 'p9',
  });
  const s = sessionOf(second);
  assert.deepEqual(s.tags, { team: 'blue', project: 'p9' });
  assert.deepEqual(s.transitiveTagKeys, ['team']);
  assert.equal(s.sourceIdentity, 'alice-laptop');
  assert.equal(s.chained, true);
  assert.equal(second.SourceIdentity, 'alice-laptop');
  assert.equal(second.Credentials?.Expiration, NOW + 3600 * 1000);
  await store.close();
});

test('setting a source identity needs sts:SetSourceIdentity', async () => {
  const { store, action, ctx } = await setup();
  await assert.rejects(
    invoke(action, ctx(), { RoleArn: roleArn('named'), RoleSessionName: 's1', SourceIdentity: 'alice' }),
    rejects(
      'AccessDenied',
      403,
      `User: ${USER_ARN} is not authorized to perform: sts:SetSourceIdentity on resource: ${roleArn('named')}`,
    ),
  );
  await store.close();
});

test('MFA is not supported: SerialNumber and TokenCode are refused as AWS refuses a code that does not verify', async () => {
  const { store, action, ctx, decisions } = await setup();
  await assert.rejects(
    invoke(action, ctx(), {
      RoleArn: roleArn('named'),
      RoleSessionName: 's1',
      SerialNumber: 'arn:aws:iam::111122223333:mfa/alice',
      TokenCode: '123456',
    }),
    rejects('AccessDenied', 403, 'MultiFactorAuthentication failed with invalid MFA one time pass code.'),
  );
  assert.match(decisions.get('req-1')?.explanation ?? '', /no MFA devices/);
  await assert.rejects(
    invoke(action, ctx(), { RoleArn: roleArn('named'), RoleSessionName: 's1', TokenCode: '12345' }),
    rejects(
      'ValidationError',
      400,
      /at 'tokenCode' failed to satisfy constraint: Member must have length greater than or equal to 6/,
    ),
  );
  await store.close();
});

test('a session policy that does not parse is MalformedPolicyDocument; a valid one is sealed and counted', async () => {
  const { store, action, ctx } = await setup();
  await assert.rejects(
    invoke(action, ctx(), { RoleArn: roleArn('named'), RoleSessionName: 's1', Policy: '{"Version":' }),
    rejects('MalformedPolicyDocument', 400, /./),
  );
  const policy = JSON.stringify({
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: '*' }],
  });
  const out = await invoke(action, ctx(), {
    RoleArn: roleArn('named'),
    RoleSessionName: 's1',
    Policy: policy,
  });
  assert.equal(sessionOf(out).sessionPolicy, policy);
  assert.equal(out.PackedPolicySize, Math.ceil((100 * policy.length) / 2048));
  await store.close();
});

test('ProvidedContexts is not implemented: 501', async () => {
  const { store, action, ctx } = await setup();
  await assert.rejects(
    invoke(action, ctx(), {
      RoleArn: roleArn('named'),
      RoleSessionName: 's1',
      'ProvidedContexts.member.1.ProviderArn': 'arn:aws:iam::aws:contextProvider/IdentityCenter',
      'ProvidedContexts.member.1.ContextAssertion': 'abcd',
    }),
    rejects('InternalFailure', 501, 'STS.AssumeRole with ProvidedContexts is not implemented'),
  );
  await store.close();
});

test('the account root cannot assume a role, whatever the trust policy says', async () => {
  const { store, action, ctx, decisions } = await setup();
  await store.roles.update(A, 'account', { trustPolicy: trust(`arn:aws:iam::${A}:root`) });
  const root: Caller = {
    kind: 'root',
    accountId: A,
    partition: 'aws',
    arn: `arn:aws:iam::${A}:root`,
    accessKeyId: 'AKIAROOT',
  };
  await assert.rejects(
    invoke(action, ctx(root), { RoleArn: roleArn('account'), RoleSessionName: 's1' }),
    rejects('AccessDenied', 403, 'Roles may not be assumed by root accounts.'),
  );
  assert.match(decisions.get('req-1')?.explanation ?? '', /root user cannot assume roles/);
  await store.close();
});

test('a GetSessionToken session of the user assumes as the user, and counts as role chaining', async () => {
  const { store, action, ctx } = await setup();
  const temporary: Caller = {
    kind: 'user',
    accountId: A,
    partition: 'aws',
    arn: USER_ARN,
    userId: 'AIDAALICE000000000001',
    userName: 'alice',
    accessKeyId: 'ASIAALICE',
    temporary: { issuedAt: NOW, expiresAt: NOW + 3600_000 },
  };
  await assert.rejects(
    invoke(action, ctx(temporary), {
      RoleArn: roleArn('named'),
      RoleSessionName: 's1',
      DurationSeconds: '7200',
    }),
    rejects(
      'ValidationError',
      400,
      'The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role chaining.',
    ),
  );
  const out = await invoke(action, ctx(temporary), { RoleArn: roleArn('named'), RoleSessionName: 's1' });
  assert.equal(sessionOf(out).chained, true);
  await store.close();
});

test('aws:SourceIp is in the trust policy context', async () => {
  const { store, action, ctx } = await setup();
  await store.roles.update(A, 'named', {
    trustPolicy: trust(USER_ARN, ['sts:AssumeRole'], { IpAddress: { 'aws:SourceIp': '127.0.0.0/8' } }),
  });
  const params = { RoleArn: roleArn('named'), RoleSessionName: 's1' };
  await assert.rejects(
    invoke(action, { ...ctx(), sourceIp: '203.0.113.9' }, params),
    rejects('AccessDenied', 403, /sts:AssumeRole/),
  );
  await assert.rejects(invoke(action, ctx(), params), rejects('AccessDenied', 403, /sts:AssumeRole/));
  const out = await invoke(action, { ...ctx(), sourceIp: '127.0.0.1' }, params);
  assert.ok(out.Credentials !== undefined);
  await store.close();
});
