import assert from 'node:assert/strict';
import { createCipheriv, randomBytes } from 'node:crypto';
import { test } from 'node:test';
import {
  openSession,
  sealingKeyId,
  sealSession,
  secretAccessKey,
  temporaryAccessKeyId,
  isRoleSession,
  MAX_TOKEN_CHARS,
  type SealedSession,
  type SessionContext,
} from './session-token.js';

const key = { id: 'k2026a', key: randomBytes(32) };
const other = { id: 'k2026b', key: randomBytes(32) };
const keys = new Map([key, other].map((k) => [k.id, k]));
const context: SessionContext = {
  accessKeyId: 'ASIAEXAMPLEEXAMPLE22',
  secretAccessKey: 'secret',
  account: '111122223333',
  partition: 'aws',
  roleArn: 'arn:aws:iam::111122223333:role/team/team-a-reader',
  roleId: 'AROAEXAMPLEROLEID001',
  roleName: 'team-a-reader',
  sessionName: 'botocore-session-1',
  issuedAt: Date.UTC(2026, 11, 4),
  expiresAt: Date.UTC(2026, 11, 4, 1),
  sessionPolicy: '{"Version":"2012-10-17","Statement":[]}',
  tags: { team: 'a' },
  webIdentity: {
    provider: 'arn:aws:iam::111122223333:oidc-provider/oidc.example.com',
    sub: 'system:serviceaccount:team-a:app',
    aud: 'sts.amazonaws.com',
  },
};

test('a sealed session opens to the same context with the key it names', () => {
  const token = sealSession(context, key);
  assert.equal(sealingKeyId(token), 'k2026a');
  const opened = openSession(token, (id) => keys.get(id));
  assert.ok(opened.ok);
  assert.deepEqual(opened.context, context);
  assert.ok(
    !token.includes('secret') && !Buffer.from(token, 'base64').toString('latin1').includes('team-a-reader'),
  );
});

test('a token opens only with its own key; any changed byte fails verification', () => {
  const token = sealSession(context, key);
  assert.deepEqual(
    openSession(token, () => undefined),
    {
      ok: false,
      failure: {
        code: 'unknownKey',
        message: 'the session token was sealed with key `k2026a`, which this server does not hold',
      },
    },
  );
  const raw = Buffer.from(token, 'base64');
  for (let i = 0; i < raw.length; i += 7) {
    const copy = Buffer.from(raw);
    copy[i]! ^= 1;
    const r = openSession(copy.toString('base64'), (id) => keys.get(id));
    assert.equal(r.ok, false, `byte ${i}`);
  }
  // A header naming the other key cannot be opened with it either.
  const swapped = Buffer.from(raw);
  swapped.write('k2026b', 5, 'ascii');
  const r = openSession(swapped.toString('base64'), (id) => keys.get(id));
  assert.ok(!r.ok && r.failure.code === 'tampered');
});

test('malformed tokens are refused before any decryption', () => {
  for (const t of [
    '',
    'not base64!',
    'QUJD',
    'A'.repeat(MAX_TOKEN_CHARS + 4),
    Buffer.from('OIS1').toString('base64'),
  ]) {
    const r = openSession(t, (id) => keys.get(id));
    assert.ok(!r.ok && r.failure.code === 'malformed', t.slice(0, 10));
  }
});

test('temporary credentials look like AWS ones', () => {
  assert.match(temporaryAccessKeyId(randomBytes(16)), /^ASIA[A-Z2-7]{16}$/);
  assert.match(secretAccessKey(randomBytes(30)), /^[A-Za-z0-9+/]{40}$/);
  assert.throws(() => sealSession(context, { id: 'x', key: randomBytes(16) }), TypeError);
});

test('a GetSessionToken session seals and opens as the user or the root it acts as', () => {
  const user: SealedSession = {
    kind: 'user',
    accessKeyId: 'ASIAEXAMPLEEXAMPLE33',
    secretAccessKey: 'secret',
    account: '111122223333',
    partition: 'aws',
    user: { name: 'alice', id: 'AIDAALICE', arn: 'arn:aws:iam::111122223333:user/alice' },
    issuedAt: 1,
    expiresAt: 2,
  };
  const opened = openSession(sealSession(user, key), (id) => keys.get(id));
  assert.ok(opened.ok);
  assert.deepEqual(opened.context, user);
  assert.equal(isRoleSession(opened.context), false);
  assert.equal(isRoleSession(context), true);
});

test('a sealed context of the wrong shape does not verify', () => {
  const { user: _user, ...noUser } = {
    kind: 'user' as const,
    accessKeyId: 'ASIAEXAMPLEEXAMPLE33',
    secretAccessKey: 'secret',
    account: '111122223333',
    partition: 'aws',
    user: { name: 'alice', id: 'AIDAALICE', arn: 'arn:aws:iam::111122223333:user/alice' },
    issuedAt: 1,
    expiresAt: 2,
  };
  void _user;
  const bad: unknown[] = [
    noUser,
    { ...context, kind: 'federatedUser' },
    { ...context, tags: { team: 1 } },
    { ...context, transitiveTagKeys: 'team' },
    { ...context, sourceIdentity: 7 },
  ];
  for (const v of bad) {
    // INVARIANT: the cast only lets a malformed context be sealed, to prove it does not open.
    const r = openSession(sealSession(v as SealedSession, key), (id) => keys.get(id));
    assert.ok(!r.ok && r.failure.code === 'tampered', JSON.stringify(v));
  }
});

/** sealSession as first written (three concatenations): the reference for the one-buffer version. */
function sealByConcatenation(sealed: SealedSession, k: { id: string; key: Buffer }, iv: Buffer): string {
  const id = Buffer.from(k.id, 'ascii');
  const header = Buffer.concat([Buffer.from('OIS1', 'ascii'), Buffer.from([id.length]), id, iv]);
  const cipher = createCipheriv('aes-256-gcm', k.key, iv);
  cipher.setAAD(header);
  const body = Buffer.concat([cipher.update(JSON.stringify(sealed), 'utf8'), cipher.final()]);
  return Buffer.concat([header, cipher.getAuthTag(), body]).toString('base64');
}

test('a sealed token is byte for byte what the reference sealing makes, for any key id, iv and text', () => {
  const texts = [
    '',
    'plain',
    'é',
    '😀',
    '"quoted" \\ back',
    '\u0000\u001f\u2028',
    '\ud800 lone',
    'x'.repeat(3000),
  ];
  for (let i = 0; i < 300; i++) {
    const k = {
      id: 'K_-9k'.repeat(13).slice(0, 1 + (i % 64)),
      key: randomBytes(32),
    };
    const iv = randomBytes(12);
    const sealed: SessionContext = {
      ...context,
      sessionName: texts[i % texts.length] ?? '',
      tags: { [texts[(i + 3) % texts.length] ?? '']: texts[(i + 5) % texts.length] ?? '' },
      issuedAt: i,
    };
    const token = sealSession(sealed, k, iv);
    assert.equal(token, sealByConcatenation(sealed, k, iv), `key id ${k.id}`);
    const opened = openSession(token, () => k);
    assert.ok(opened.ok);
    assert.deepEqual(opened.context, sealed);
  }
});
