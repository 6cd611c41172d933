import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { AuditDecision } from '../../audit/event.js';
import { parseIssuer } from '../../identity/issuer.js';
import { KeyRing } from '../../identity/key-ring.js';
import { mintToken } from '../../identity/mint-token.js';
import type { SessionTags } from '../../identity/session-tags.js';
import { generateSigningKey } from '../../identity/signing-key.js';
import { signJws } from '../../identity/sign-jws.js';
import type { ActionContext } from '../../iam/query-action.js';
import { PolicyCache } from '../../policy/compile.js';
import { AwsError } from '../../shared/aws-error.js';
import { fixedClock } from '../../shared/clock.js';
import { sequentialIds } from '../../shared/ids.js';
import { openSqliteStore } from '../../store/sqlite/sqlite-store.js';
import { isRoleSession, openSession } from '../session-token.js';
import { assumeRoleWithWebIdentity } from './assume-role-with-web-identity.js';

const ACCOUNT = '111122223333';
const ISSUER = 'https://oidc.example.test/id/TAGS';
const PROVIDER = `arn:aws:iam::${ACCOUNT}:oidc-provider/oidc.example.test/id/TAGS`;
const SEALING = { id: 'sk-test', key: Buffer.alloc(32, 5) };
const NOW = Date.UTC(2026, 0, 1);

const trust = (actions: string[]) =>
  JSON.stringify({
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Principal: { Federated: PROVIDER }, Action: actions }],
  });

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
  for (const [name, actions] of [
    ['plain', ['sts:AssumeRoleWithWebIdentity']],
    ['tagging', ['sts:AssumeRoleWithWebIdentity', 'sts:TagSession']],
  ] as const) {
    await store.roles.create({
      accountId: ACCOUNT,
      name,
      id: `AROA${name.toUpperCase().padEnd(17, 'X')}`,
      path: '/',
      arn: `arn:aws:iam::${ACCOUNT}:role/${name}`,
      trustPolicy: trust([...actions]),
      createdAt: NOW,
    });
  }
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
  const token = (sessionTags: SessionTags) => {
    const minted = mintToken(
      { serviceAccount: { namespace: 'team', name: 'app' }, audiences: ['sts.amazonaws.com'], sessionTags },
      { issuer: issuer.issuer, signer: ring, clock, ids },
    );
    assert.ok(minted.ok);
    return minted.token;
  };
  /** A token with `extra` claims, signed by the issuer's active key (mintToken sets no custom claims). */
  const signed = (extra: Record<string, string>) => {
    const key = ring.activeKey();
    const now = Math.floor(NOW / 1000);
    return signJws(
      { alg: key.alg, kid: key.kid },
      {
        iss: ISSUER,
        sub: 'system:serviceaccount:team:app',
        aud: ['sts.amazonaws.com'],
        iat: now,
        nbf: now,
        exp: now + 600,
        ...extra,
      },
      key.privateKey,
      key.alg,
    );
  };
  return { store, action, ctx, token, signed, decisions };
}

const TAGS: SessionTags = { tags: [{ key: 'Project', value: 'Automation' }], transitiveTagKeys: ['Project'] };

test('token session tags need sts:TagSession in the trust policy: AccessDenied otherwise', async () => {
  const { store, action, ctx, token, decisions } = await setup();
  await assert.rejects(
    action.handle(
      {
        RoleArn: `arn:aws:iam::${ACCOUNT}:role/plain`,
        RoleSessionName: 'app',
        WebIdentityToken: token(TAGS),
      },
      ctx,
    ),
    (e: unknown) =>
      e instanceof AwsError &&
      e.code === 'AccessDenied' &&
      e.status === 403 &&
      e.message === 'Not authorized to perform sts:TagSession',
  );
  assert.deepEqual(
    decisions.get('req-1')?.authorizations.map((a) => [a.action, a.decision]),
    [
      ['sts:AssumeRoleWithWebIdentity', 'allowed'],
      ['sts:TagSession', 'implicitDeny'],
    ],
  );
  await store.close();
});

test('token session tags are sealed into the session with their transitive keys', async () => {
  const { store, action, ctx, token } = await setup();
  const out = await action.handle(
    {
      RoleArn: `arn:aws:iam::${ACCOUNT}:role/tagging`,
      RoleSessionName: 'app',
      WebIdentityToken: token(TAGS),
    },
    ctx,
  );
  assert.equal(typeof out.PackedPolicySize, 'number');
  const opened = openSession(out.Credentials?.SessionToken ?? '', () => SEALING);
  assert.ok(opened.ok && isRoleSession(opened.context));
  assert.deepEqual(opened.context.tags, { Project: 'Automation' });
  assert.deepEqual(opened.context.transitiveTagKeys, ['Project']);
  await store.close();
});

test('a source identity in the token needs sts:SetSourceIdentity; with it, the session carries it', async () => {
  const { store, action, ctx, signed, decisions } = await setup();
  const claim = { 'https://aws.amazon.com/source_identity': 'alice-laptop' };
  const roleArn = `arn:aws:iam::${ACCOUNT}:role/tagging`;
  await assert.rejects(
    action.handle({ RoleArn: roleArn, RoleSessionName: 'app', WebIdentityToken: signed(claim) }, ctx),
    (e: unknown) =>
      e instanceof AwsError &&
      e.code === 'AccessDenied' &&
      e.message === 'Not authorized to perform sts:SetSourceIdentity',
  );
  assert.equal(decisions.get('req-1')?.authorizations.at(-1)?.action, 'sts:SetSourceIdentity');
  await store.roles.update(ACCOUNT, 'tagging', {
    trustPolicy: trust(['sts:AssumeRoleWithWebIdentity', 'sts:SetSourceIdentity']),
  });
  const out = await action.handle(
    { RoleArn: roleArn, RoleSessionName: 'app', WebIdentityToken: signed(claim) },
    ctx,
  );
  assert.equal(out.SourceIdentity, 'alice-laptop');
  await assert.rejects(
    action.handle(
      {
        RoleArn: roleArn,
        RoleSessionName: 'app',
        WebIdentityToken: signed({ 'https://aws.amazon.com/source_identity': 'a b' }),
      },
      ctx,
    ),
    (e: unknown) => e instanceof AwsError && e.code === 'InvalidIdentityToken' && e.status === 400,
  );
  await store.close();
});

test('aws:SourceIp is in the web identity trust policy context', async () => {
  const { store, action, ctx, token } = await setup();
  await store.roles.update(ACCOUNT, 'plain', {
    trustPolicy: JSON.stringify({
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Allow',
          Principal: { Federated: PROVIDER },
          Action: 'sts:AssumeRoleWithWebIdentity',
          Condition: { IpAddress: { 'aws:SourceIp': '10.0.0.0/8' } },
        },
      ],
    }),
  });
  const req = { RoleArn: `arn:aws:iam::${ACCOUNT}:role/plain`, RoleSessionName: 'app' };
  await assert.rejects(
    action.handle({ ...req, WebIdentityToken: token({ tags: [] }) }, { ...ctx, sourceIp: '192.0.2.1' }),
    (e: unknown) => e instanceof AwsError && e.code === 'AccessDenied',
  );
  const out = await action.handle(
    { ...req, WebIdentityToken: token({ tags: [] }) },
    { ...ctx, sourceIp: '10.1.2.3' },
  );
  assert.ok(out.Credentials !== undefined);
  await store.close();
});
