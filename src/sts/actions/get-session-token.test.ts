import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Caller } from '../../iam/caller.js';
import type { ActionContext } from '../../iam/query-action.js';
import { invoke } from '../../iam/testdata/context.js';
import { PolicyCache } from '../../policy/compile.js';
import { AwsError } from '../../shared/aws-error.js';
import { fixedClock } from '../../shared/clock.js';
import { sequentialIds } from '../../shared/ids.js';
import { openSqliteStore } from '../../store/sqlite/sqlite-store.js';
import type { Store } from '../../store/types.js';
import { openSession } from '../session-token.js';
import { getSessionToken } from './get-session-token.js';

const A = '111122223333';
const NOW = Date.UTC(2026, 0, 1);
const SEALING = { id: 'sk-test', key: Buffer.alloc(32, 3) };
const user: Caller = {
  kind: 'user',
  accountId: A,
  partition: 'aws',
  arn: `arn:aws:iam::${A}:user/alice`,
  userId: 'AIDAALICE000000000001',
  userName: 'alice',
  accessKeyId: 'AKIAALICE',
};
const root: Caller = {
  kind: 'root',
  accountId: A,
  partition: 'aws',
  arn: `arn:aws:iam::${A}:root`,
  accessKeyId: 'AKIAROOT',
};

const action = getSessionToken({
  sealingKey: () => Promise.resolve(SEALING),
  recordDecision: () => undefined,
});

function ctx(caller: Caller): ActionContext & { readonly store: Store } {
  return {
    store: openSqliteStore({ path: ':memory:' }),
    clock: fixedClock(NOW),
    ids: sequentialIds(),
    caller,
    requestId: 'req-1',
    region: 'us-east-1',
    policies: new PolicyCache(),
  };
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

test('an IAM user gets a 12-hour session by default, sealed as that user', async () => {
  const c = ctx(user);
  const out = await invoke(action, c, {});
  assert.match(out.Credentials?.AccessKeyId ?? '', /^ASIA[A-Z2-7]{16}$/);
  assert.equal(out.Credentials?.Expiration, NOW + 43200 * 1000);
  const opened = openSession(out.Credentials?.SessionToken ?? '', () => SEALING);
  assert.ok(opened.ok);
  assert.deepEqual(opened.context, {
    kind: 'user',
    accessKeyId: out.Credentials?.AccessKeyId,
    secretAccessKey: out.Credentials?.SecretAccessKey,
    account: A,
    partition: 'aws',
    user: { name: 'alice', id: 'AIDAALICE000000000001', arn: `arn:aws:iam::${A}:user/alice` },
    issuedAt: NOW,
    expiresAt: NOW + 43200 * 1000,
  });
  await c.store.close();
});

test('DurationSeconds is 900..129600 for users; the root gets at most one hour', async () => {
  const c = ctx(user);
  assert.equal(
    (await invoke(action, c, { DurationSeconds: '129600' })).Credentials?.Expiration,
    NOW + 129600 * 1000,
  );
  await assert.rejects(
    invoke(action, c, { DurationSeconds: '129601' }),
    rejects(
      'ValidationError',
      400,
      "1 validation error detected: Value '129601' at 'durationSeconds' failed to satisfy constraint: Member must have value less than or equal to 129600",
    ),
  );
  await assert.rejects(
    invoke(action, c, { DurationSeconds: '600' }),
    rejects(
      'ValidationError',
      400,
      "1 validation error detected: Value '600' at 'durationSeconds' failed to satisfy constraint: Member must have value greater than or equal to 900",
    ),
  );
  const r = ctx(root);
  assert.equal(
    (await invoke(action, r, { DurationSeconds: '7200' })).Credentials?.Expiration,
    NOW + 3600 * 1000,
  );
  assert.equal(
    (await invoke(action, r, { DurationSeconds: '1800' })).Credentials?.Expiration,
    NOW + 1800 * 1000,
  );
  const opened = openSession((await invoke(action, r, {})).Credentials?.SessionToken ?? '', () => SEALING);
  assert.ok(opened.ok);
  assert.equal(opened.context.kind, 'root');
  await c.store.close();
  await r.store.close();
});

test('session credentials cannot call it, as AWS words it', async () => {
  const session: Caller = {
    kind: 'assumedRole',
    accountId: A,
    partition: 'aws',
    arn: `arn:aws:sts::${A}:assumed-role/r/s`,
    roleArn: `arn:aws:iam::${A}:role/r`,
    roleId: 'AROAEXAMPLE000000001',
    roleName: 'r',
    sessionName: 's',
    accessKeyId: 'ASIAX',
    issuedAt: NOW,
    expiresAt: NOW + 1,
  };
  for (const caller of [session, { ...user, temporary: { issuedAt: NOW, expiresAt: NOW + 1 } }]) {
    const c = ctx(caller);
    await assert.rejects(
      invoke(action, c, {}),
      rejects('AccessDenied', 403, 'Cannot call GetSessionToken with session credentials'),
    );
    await c.store.close();
  }
});

test('MFA codes are refused: openirsa has no MFA devices', async () => {
  const c = ctx(user);
  await assert.rejects(
    invoke(action, c, { SerialNumber: `arn:aws:iam::${A}:mfa/alice`, TokenCode: '123456' }),
    rejects('AccessDenied', 403, 'MultiFactorAuthentication failed with invalid MFA one time pass code.'),
  );
  await assert.rejects(
    invoke(action, c, { TokenCode: 'abcdef' }),
    rejects(
      'ValidationError',
      400,
      /at 'tokenCode' failed to satisfy constraint: Member must satisfy regular expression pattern: \[\\d\]\*/,
    ),
  );
  await c.store.close();
});
