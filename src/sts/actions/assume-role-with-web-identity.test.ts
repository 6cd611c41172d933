import { PolicyCache } from '../../policy/compile.js';
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { AuditDecision } from '../../audit/event.js';
import { parseIssuer } from '../../identity/issuer.js';
import { KeyRing } from '../../identity/key-ring.js';
import { mintToken } from '../../identity/mint-token.js';
import { generateSigningKey } from '../../identity/signing-key.js';
import type { ActionContext } from '../../iam/query-action.js';
import { readQueryInput } from '../../protocol/query-input.js';
import { AwsError } from '../../shared/aws-error.js';
import { fixedClock } from '../../shared/clock.js';
import { sequentialIds } from '../../shared/ids.js';
import { openSqliteStore } from '../../store/sqlite/sqlite-store.js';
import { isRoleSession, openSession, sealSession } from '../session-token.js';
import { assumeRoleWithWebIdentity } from './assume-role-with-web-identity.js';

const ACCOUNT = '111122223333';
const ISSUER = 'https://oidc.example.test/id/ABC';
const PROVIDER = `arn:aws:iam::${ACCOUNT}:oidc-provider/oidc.example.test/id/ABC`;
const ROLE = `arn:aws:iam::${ACCOUNT}:role/team/reader`;
const SEALING = { id: 'sk-test', key: Buffer.alloc(32, 9) };
const NOW = Date.UTC(2026, 0, 1);

async function setup() {
  const clock = fixedClock(NOW);
  const ids = sequentialIds();
  const store = openSqliteStore({ path: ':memory:', clock });
  await store.accounts.create({ id: ACCOUNT, createdAt: NOW });
  await store.oidcProviders.create({
    accountId: ACCOUNT,
    arn: PROVIDER,
    url: ISSUER,
    clientIds: ['sts.amazonaws.com'],
    thumbprints: [],
    createdAt: NOW,
  });
  await store.roles.create({
    accountId: ACCOUNT,
    name: 'reader',
    id: 'AROAEXAMPLEREADER0001',
    path: '/team/',
    arn: ROLE,
    maxSessionDuration: 7200,
    trustPolicy: JSON.stringify({
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Allow',
          Principal: { Federated: PROVIDER },
          Action: 'sts:AssumeRoleWithWebIdentity',
          Condition: {
            StringLike: { 'oidc.example.test/id/ABC:sub': 'system:serviceaccount:team:*' },
          },
        },
      ],
    }),
    createdAt: NOW,
  });
  const ring = KeyRing.create(await generateSigningKey({ clock }), { clock, maxTokenLifetimeSeconds: 86400 });
  const issuer = parseIssuer(ISSUER);
  assert.ok(issuer.ok);
  const decisions = new Map<string, AuditDecision>();
  const action = assumeRoleWithWebIdentity({
    builtInIssuer: () => Promise.resolve({ url: ISSUER, keyFor: (kid) => ring.keyFor(kid) }),
    sealingKey: () => Promise.resolve(SEALING),
    recordDecision: (id, d) => decisions.set(id, d),
  });
  const ctx: ActionContext = {
    store,
    clock,
    ids,
    caller: { kind: 'anonymous' },
    requestId: 'req-1',
    region: 'us-east-1',
    policies: new PolicyCache(),
  };
  const token = (name: string, namespace = 'team') => {
    const minted = mintToken(
      { serviceAccount: { namespace, name }, audiences: ['sts.amazonaws.com'] },
      { issuer: issuer.issuer, signer: ring, clock, ids },
    );
    assert.ok(minted.ok);
    return minted.token;
  };
  return { store, action, ctx, token, decisions };
}

test('a token whose sub matches the trust policy gets a sealed session of the role', async () => {
  const { store, action, ctx, token, decisions } = await setup();
  const out = await action.handle(
    { RoleArn: ROLE, RoleSessionName: 'app', WebIdentityToken: `${token('app')}\n`, DurationSeconds: 7200 },
    ctx,
  );
  assert.equal(out.AssumedRoleUser?.Arn, `arn:aws:sts::${ACCOUNT}:assumed-role/reader/app`);
  assert.equal(out.AssumedRoleUser?.AssumedRoleId, 'AROAEXAMPLEREADER0001:app');
  assert.equal(out.Provider, PROVIDER);
  assert.equal(out.Audience, 'sts.amazonaws.com');
  assert.equal(out.Credentials?.Expiration, NOW + 7200 * 1000);
  const opened = openSession(out.Credentials?.SessionToken ?? '', () => SEALING);
  assert.ok(opened.ok && isRoleSession(opened.context));
  assert.equal(opened.context.roleArn, ROLE);
  assert.equal(opened.context.accessKeyId, out.Credentials?.AccessKeyId);
  assert.deepEqual(opened.context.webIdentity, {
    provider: PROVIDER,
    sub: 'system:serviceaccount:team:app',
    aud: 'sts.amazonaws.com',
  });
  assert.equal(decisions.get('req-1')?.decision, 'allowed');
  await store.close();
});

test('the role session name breaking the pattern is a ValidationError with AWS wording', () => {
  const input = assumeRoleWithWebIdentity({
    builtInIssuer: () => Promise.reject(new Error('unused')),
    sealingKey: () => Promise.reject(new Error('unused')),
    recordDecision: () => undefined,
  }).input;
  const read = readQueryInput(
    input,
    new Map([
      ['RoleArn', ROLE],
      ['RoleSessionName', 'a'],
      ['WebIdentityToken', 'abc'],
      ['DurationSeconds', '600'],
    ]),
  );
  assert.equal(read.ok, false);
  assert.deepEqual(read.ok ? [] : read.violations.map((v) => v.message), [
    "Value 'a' at 'roleSessionName' failed to satisfy constraint: Member must have length greater than or equal to 2",
    "Value at 'webIdentityToken' failed to satisfy constraint: Member must have length greater than or equal to 4",
    "Value '600' at 'durationSeconds' failed to satisfy constraint: Member must have value greater than or equal to 900",
  ]);
});

test('a sub outside the trust policy is AccessDenied 403, with an explanation naming the :sub key', async () => {
  const { store, action, ctx, token, decisions } = await setup();
  await assert.rejects(
    action.handle({ RoleArn: ROLE, RoleSessionName: 'app', WebIdentityToken: token('app', 'other') }, ctx),
    (e: AwsError) =>
      e.code === 'AccessDenied' &&
      e.status === 403 &&
      e.message === 'Not authorized to perform sts:AssumeRoleWithWebIdentity',
  );
  const recorded = decisions.get('req-1');
  assert.equal(recorded?.decision, 'implicitDeny');
  assert.match(recorded.explanation ?? '', /oidc\.example\.test\/id\/ABC:sub/);
  await store.close();
});

test('a token signed by a key the issuer does not hold is InvalidIdentityToken', async () => {
  const { store, action, ctx } = await setup();
  const foreign = await setup();
  await assert.rejects(
    action.handle({ RoleArn: ROLE, RoleSessionName: 'app', WebIdentityToken: foreign.token('app') }, ctx),
    (e: AwsError) => e.code === 'InvalidIdentityToken' && e.status === 400,
  );
  await store.close();
  await foreign.store.close();
});

test('a role ARN whose path differs from the role is AccessDenied: that role does not exist', async () => {
  const { store, action, ctx, token, decisions } = await setup();
  await assert.rejects(
    action.handle(
      { RoleArn: ROLE.replace('team/', ''), RoleSessionName: 'app', WebIdentityToken: token('app') },
      ctx,
    ),
    (e: AwsError) => e instanceof AwsError && e.code === 'AccessDenied' && e.status === 403,
  );
  assert.match(decisions.get('req-1')?.explanation ?? '', /does not exist/);
  await store.close();
});

test('a forged token that the trust policy would also refuse is InvalidIdentityToken, and no trust decision is recorded', async () => {
  // Steps 5-10 are decided while the signature is checked; the token's own failure must still win.
  const { store, action, ctx, token, decisions } = await setup();
  const [header, payload, signature] = token('app', 'other').split('.') as [string, string, string];
  const forged = `${header}.${payload}.${signature.startsWith('A') ? 'B' : 'A'}${signature.slice(1)}`;
  await assert.rejects(
    action.handle({ RoleArn: ROLE, RoleSessionName: 'app', WebIdentityToken: forged }, ctx),
    (e: AwsError) => e.code === 'InvalidIdentityToken' && e.status === 400,
  );
  assert.equal(decisions.get('req-1'), undefined);
  await store.close();
});

test('the session token sealed beside the signature check is byte for byte what sealSession writes', async () => {
  const { store, action, ctx, token } = await setup();
  const out = await action.handle(
    { RoleArn: ROLE, RoleSessionName: 'app', WebIdentityToken: token('app') },
    ctx,
  );
  const sealed = out.Credentials?.SessionToken ?? '';
  const opened = openSession(sealed, () => SEALING);
  assert.ok(opened.ok);
  // The nonce sits after "OIS1", the key id's length and the key id.
  const raw = Buffer.from(sealed, 'base64');
  const ivAt = 5 + SEALING.id.length;
  assert.equal(sealSession(opened.context, SEALING, raw.subarray(ivAt, ivAt + 12)), sealed);
  await store.close();
});
